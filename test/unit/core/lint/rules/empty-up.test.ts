import assert from 'node:assert/strict';
import { lines, rendered, silent, useParser } from '../helpers';

const RULE = 'empty-up';

describe(RULE, () => {
  useParser();

  it('points at the UP marker of a migration with nothing to apply', () => {
    assert.equal(
      rendered('-- Migration: add users\n-- UP\n-- TODO\n\n-- DOWN\nDROP TABLE IF EXISTS users;\n', RULE),
      lines(
        '001_test.sql:2:1: warning empty-up: the UP section holds no SQL statements: `up` refuses to apply this migration',
        '2 | -- UP',
        '  | ^^^^^',
        '  = help: write the migration under `-- UP`, or delete the file',
      ),
    );
  });

  it('stays silent when UP has SQL (or an error, reported as such), for .down.sql files, and for files that are not migrations', () => {
    silent('-- UP\nSELECT 1;', RULE);
    silent('-- UP\nSELEC 1;', RULE);
    silent('', RULE, { file: '002_x.down.sql' });
    silent('-- scratch', RULE, { file: 'notes.sql' });
  });
});
