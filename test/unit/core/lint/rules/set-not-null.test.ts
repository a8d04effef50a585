import assert from 'node:assert/strict';
import { lines, rendered, silent, useParser } from '../helpers';

const RULE = 'set-not-null';

describe(RULE, () => {
  useParser();

  it('points at the SET NOT NULL command', () => {
    assert.equal(
      rendered('ALTER TABLE users ALTER COLUMN email SET NOT NULL, ALTER COLUMN age TYPE bigint;', RULE),
      lines(
        '001_test.sql:1:19: warning set-not-null: SET NOT NULL scans all of users under an ACCESS EXCLUSIVE lock, blocking reads and writes',
        '1 | ALTER TABLE users ALTER COLUMN email SET NOT NULL, ALTER COLUMN age TYPE bigint;',
        '  |                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: first ADD CONSTRAINT ... CHECK (email IS NOT NULL) NOT VALID and VALIDATE it; then SET NOT NULL uses the check instead of scanning',
      ),
    );
  });

  it('stays silent after a CHECK (column IS NOT NULL) in the same section, and on new tables', () => {
    silent(
      [
        'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;',
        'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;',
        'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
        'CREATE TABLE t (a int);',
        'ALTER TABLE t ALTER COLUMN a SET NOT NULL;',
        'ALTER TABLE users ALTER COLUMN name DROP NOT NULL;',
      ].join('\n'),
      RULE,
    );
  });

  it('still reports a column the CHECK does not cover', () => {
    assert.match(
      rendered('ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users ALTER COLUMN name SET NOT NULL;', RULE),
      /^001_test.sql:2:19: warning set-not-null/,
    );
  });
});
