import assert from 'node:assert/strict';
import { fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'add-column-if-not-exists';

describe(RULE, () => {
  useParser();

  it('points at each added column by name', () => {
    assert.equal(
      rendered('ALTER TABLE users ADD COLUMN email text, ADD "Nick Name" text;', RULE),
      lines(
        '001_test.sql:1:30: warning add-column-if-not-exists: ADD COLUMN email without IF NOT EXISTS fails when the migration runs again',
        '1 | ALTER TABLE users ADD COLUMN email text, ADD "Nick Name" text;',
        '  |                              ^^^^^',
        '  = help: write ADD COLUMN IF NOT EXISTS, so a re-run after a partial failure skips it',
        '',
        '001_test.sql:1:46: warning add-column-if-not-exists: ADD COLUMN Nick Name without IF NOT EXISTS fails when the migration runs again',
        '1 | ALTER TABLE users ADD COLUMN email text, ADD "Nick Name" text;',
        '  |                                              ^^^^^^^^^^^',
        '  = help: write ADD COLUMN IF NOT EXISTS, so a re-run after a partial failure skips it',
      ),
    );
  });

  it('adds IF NOT EXISTS with or without the COLUMN keyword', () => {
    assert.equal(
      fixAll('ALTER TABLE users ADD COLUMN email text, ADD "Nick Name" text;\nALTER FOREIGN TABLE remote ADD c int;', RULE),
      'ALTER TABLE users ADD COLUMN IF NOT EXISTS email text, ADD IF NOT EXISTS "Nick Name" text;\nALTER FOREIGN TABLE remote ADD IF NOT EXISTS c int;',
    );
  });

  it('stays silent on IF NOT EXISTS, other commands, and ALTER TYPE ... ADD ATTRIBUTE', () => {
    silent('ALTER TABLE users ADD COLUMN IF NOT EXISTS email text, ALTER COLUMN name SET DEFAULT \'\';\nALTER TYPE point3 ADD ATTRIBUTE z int;', RULE);
  });
});
