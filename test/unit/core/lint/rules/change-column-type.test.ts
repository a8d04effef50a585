import assert from 'node:assert/strict';
import { lines, rendered, silent, useParser } from '../helpers';

const RULE = 'change-column-type';

describe(RULE, () => {
  useParser();

  it('points at the column whose type changes', () => {
    assert.equal(
      rendered('ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint;', RULE),
      lines(
        '001_test.sql:1:32: warning change-column-type: changing the type of age rewrites users and its indexes under an ACCESS EXCLUSIVE lock (unless the types are binary-compatible)',
        '1 | ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint;',
        '  |                                ^^^',
        '  = help: add a column of the new type, backfill it in batches, and switch over; varchar(n) to text or to a larger n needs no rewrite',
      ),
    );
  });

  it('stays silent on other column changes and on tables created in the same section', () => {
    silent('ALTER TABLE users ALTER COLUMN age SET DEFAULT 0;\nCREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;', RULE);
  });
});
