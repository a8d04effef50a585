/** The rules that show what discoverMigrations found wrong with a file: duplicate-version, bad-file-name, orphan-down. */
import assert from 'node:assert/strict';
import type { FileProblem } from '../../../../../src/core/types';
import { lines, rendered, silent, useParser } from '../helpers';

function problem(kind: FileProblem['kind'], message: string): FileProblem {
  return { file: '/project/migrations/x.sql', kind, message, version: '001', line: null };
}

describe('duplicate-version, bad-file-name, orphan-down', () => {
  useParser();

  it('duplicate-version shows the folder problem on the first line', () => {
    const problems = [problem('duplicate-version', 'version 001 is also used by 001_other.sql; each version must belong to one migration')];
    assert.equal(
      rendered('-- UP\nSELECT 1;', 'duplicate-version', { problems }),
      lines(
        '001_test.sql:1:1: error duplicate-version: version 001 is also used by 001_other.sql; each version must belong to one migration',
        '1 | -- UP',
        '  | ^^^^^',
        '  = help: give one of the files the next free version (rename it); versions order migrations and must be unique',
      ),
    );
  });

  it('bad-file-name shows the name and what names are accepted', () => {
    const problems = [problem('bad-name', 'add users.sql is not a migration file name: accepted names are ...')];
    assert.equal(
      rendered('\uFEFFCREATE TABLE IF NOT EXISTS users (id int);', 'bad-file-name', { problems, file: 'add users.sql' }),
      lines(
        'add users.sql:1:2: error bad-file-name: add users.sql is not a migration file name',
        '1 | \uFEFFCREATE TABLE IF NOT EXISTS users (id int);',
        '  |  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: rename it (accepted names are VERSION_name.sql (VERSION a 14-digit UTC timestamp such as 20240115120000, or a sequence number such as 001), VERSION-name.sql, pairs VERSION_name.up.sql + VERSION_name.down.sql, and Flyway names V1.2__name.sql with U1.2__name.sql), or move it out of the migrations folder',
      ),
    );
  });

  it('orphan-down names the .up.sql it expects', () => {
    const problems = [problem('orphan-down', '003_x.down.sql has no matching 003_x.up.sql')];
    assert.match(rendered('DROP TABLE IF EXISTS x;', 'orphan-down', { problems, file: '003_x.down.sql' }), /^003_x.down.sql:1:1: error orphan-down: 003_x.down.sql has no matching 003_x.up.sql/);
  });

  it('stay silent without problems, and each ignores the others\' kinds', () => {
    for (const rule of ['duplicate-version', 'bad-file-name', 'orphan-down']) {
      silent('SELECT 1;', rule);
      silent('SELECT 1;', rule, { problems: [problem('bad-sections', 'x')] });
    }
  });
});
