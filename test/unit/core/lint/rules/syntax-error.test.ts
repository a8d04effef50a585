import assert from 'node:assert/strict';
import { findingsOf, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'syntax-error';

describe(RULE, () => {
  useParser();

  it('points at the token where PostgreSQL stops, and still lints the statements around it', () => {
    const sql = 'CREATE TABLE t (id int);\nSELECT * FRM users;\nDROP TABLE old;';
    assert.equal(
      rendered(sql, RULE),
      lines(
        '001_test.sql:2:10: error syntax-error: syntax error at or near "FRM"',
        '2 | SELECT * FRM users;',
        '  |          ^^^',
        '  = help: PostgreSQL would refuse this statement; the statements around it were still checked',
      ),
    );
    assert.deepEqual(findingsOf(sql, 'drop-if-exists').map((f) => f.line), [3]);
    assert.deepEqual(findingsOf(sql, 'create-if-not-exists').map((f) => f.line), [1]);
  });

  it('names a psql meta-command', () => {
    assert.equal(
      rendered('\\set ON_ERROR_STOP 1\nSELECT 1;', RULE),
      lines(
        '001_test.sql:1:1: error syntax-error: \\set is a psql meta-command, not SQL: PostgreSQL refuses it when Strata sends the migration',
        '1 | \\set ON_ERROR_STOP 1',
        '  | ^^^^^^^^^^^^^^^^^^^^',
        '  = help: write it in SQL (e.g. SET for \\set variables), or run that step with psql outside the migration',
      ),
    );
  });

  it('points at an unterminated quote or dollar quote', () => {
    assert.equal(
      rendered("SELECT 1;\nSELECT 'unterminated;\n", RULE),
      lines(
        `001_test.sql:2:8: error syntax-error: unterminated quoted string at or near "'unterminated;"`,
        "2 | SELECT 'unterminated;",
        '  |        ^',
        '  = help: PostgreSQL would refuse this statement; the statements around it were still checked',
      ),
    );
    assert.match(rendered('CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1;', RULE), /^001_test.sql:1:49: error syntax-error: unterminated dollar-quoted string/);
  });

  it('checks each section on its own, as the runner runs them: a missing ; before -- DOWN is no error', () => {
    silent('-- UP\nCREATE TABLE t (id int)\n-- DOWN\nDROP TABLE t', RULE);
  });
});
