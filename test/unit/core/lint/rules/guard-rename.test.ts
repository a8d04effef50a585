import assert from 'node:assert/strict';
import { findingsOf, fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'guard-rename';

describe(RULE, () => {
  useParser();

  it('points at the RENAME statement', () => {
    assert.equal(
      rendered('ALTER TABLE accounts RENAME COLUMN name TO full_name;', RULE),
      lines(
        '001_test.sql:1:1: warning guard-rename: RENAME fails when the migration runs again: the old name no longer exists',
        '1 | ALTER TABLE accounts RENAME COLUMN name TO full_name;',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: guard it with a DO block that ignores undefined_column',
      ),
    );
  });

  it('renames a table IF EXISTS (preferred), with a DO block catching undefined_table as the other fix', () => {
    const sql = 'ALTER TABLE users RENAME TO accounts;';
    assert.deepEqual(findingsOf(sql, RULE)[0]!.fixes.map((f) => [f.title, f.preferred]), [
      ['Add IF EXISTS', true],
      ['Guard with a DO block that ignores undefined_table', false],
    ]);
    assert.equal(fixAll(sql, RULE), 'ALTER TABLE IF EXISTS users RENAME TO accounts;');
    assert.equal(fixAll('ALTER INDEX users_email RENAME TO accounts_email;', RULE), 'ALTER INDEX IF EXISTS users_email RENAME TO accounts_email;');
  });

  it('guards column, constraint and enum value renames with the error a second run raises', () => {
    const fixed = fixAll(
      "ALTER TABLE accounts RENAME COLUMN name TO full_name;\nALTER TABLE accounts RENAME CONSTRAINT a TO b;\nALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
      RULE,
    );
    assert.deepEqual(
      fixed.split('\n').filter((line) => line.startsWith('EXCEPTION')),
      ['EXCEPTION WHEN undefined_column THEN NULL;', 'EXCEPTION WHEN undefined_object THEN NULL;', 'EXCEPTION WHEN invalid_parameter_value THEN NULL;'],
    );
  });

  it('stays silent on ALTER ... IF EXISTS renames of relations and on ADD VALUE', () => {
    silent("ALTER TABLE IF EXISTS users RENAME TO accounts;\nALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';", RULE);
  });
});
