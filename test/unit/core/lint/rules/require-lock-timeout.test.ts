import assert from 'node:assert/strict';
import { fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'require-lock-timeout';
const ON = { optIn: [RULE] };

describe(RULE, () => {
  useParser();

  const sql = '-- UP\nCREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a int;\n  ALTER TABLE users ADD COLUMN nick text;\nCREATE INDEX users_nick ON users (nick);\n';

  it('is opt-in: silent unless enabled', () => {
    silent(sql, RULE);
    assert.notEqual(rendered(sql, RULE, { severities: { [RULE]: 'error' } }), '');
  });

  it('points at the first statement that locks an existing table without lock_timeout, once per section', () => {
    assert.equal(
      rendered(sql, RULE, ON),
      lines(
        '001_test.sql:4:3: warning require-lock-timeout: this statement takes a lock that blocks reads or writes, and no lock_timeout is set: behind a long query it waits, and everything queues behind it',
        '4 |   ALTER TABLE users ADD COLUMN nick text;',
        '  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        "  = help: SET lock_timeout (e.g. '5s') before it, so the migration fails fast and can be retried instead of stalling the application",
      ),
    );
  });

  it("adds SET lock_timeout on its own line before it, at the statement's indentation", () => {
    assert.equal(
      fixAll(sql, RULE, ON),
      "-- UP\nCREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a int;\n  SET lock_timeout = '5s';\n  ALTER TABLE users ADD COLUMN nick text;\nCREATE INDEX users_nick ON users (nick);\n",
    );
  });

  it('stays silent after SET [LOCAL] lock_timeout, and on concurrent or new-table work', () => {
    silent("SET LOCAL lock_timeout TO '2s';\nALTER TABLE users ADD COLUMN a int;", RULE, ON);
    silent('CREATE INDEX CONCURRENTLY i ON users (a);\nCREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\nSELECT 1;', RULE, ON);
  });
});
