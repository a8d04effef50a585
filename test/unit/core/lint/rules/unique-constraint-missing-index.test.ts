import assert from 'node:assert/strict';
import { lines, rendered, silent, useParser } from '../helpers';

const RULE = 'unique-constraint-missing-index';

describe(RULE, () => {
  useParser();

  it('points at the constraint that builds an index under a full lock', () => {
    assert.equal(
      rendered('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', RULE),
      lines(
        '001_test.sql:1:23: warning unique-constraint-missing-index: adding a UNIQUE constraint builds its index while blocking reads and writes on users',
        '1 | ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
        '  |                       ^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: first CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT name UNIQUE USING INDEX that index, which takes only a brief lock',
      ),
    );
    assert.match(rendered('ALTER TABLE users ADD PRIMARY KEY (id);', RULE), /1:23: warning unique-constraint-missing-index: adding a PRIMARY KEY constraint/);
  });

  it('stays silent on USING INDEX and on tables created in the same section', () => {
    silent(
      [
        'CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);',
        'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;',
        'CREATE TABLE t (id int);',
        'ALTER TABLE t ADD PRIMARY KEY (id);',
      ].join('\n'),
      RULE,
    );
  });
});
