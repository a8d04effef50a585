import assert from 'node:assert/strict';
import { fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'require-concurrent-index-creation';

describe(RULE, () => {
  useParser();

  it('points at CREATE INDEX through the table it locks', () => {
    assert.equal(
      rendered('CREATE UNIQUE INDEX users_email ON public.users (email);', RULE),
      lines(
        '001_test.sql:1:1: warning require-concurrent-index-creation: CREATE INDEX without CONCURRENTLY blocks writes to public.users until the index is built',
        '1 | CREATE UNIQUE INDEX users_email ON public.users (email);',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: use CREATE INDEX CONCURRENTLY; Strata then runs this migration outside a transaction, statement by statement',
      ),
    );
  });

  it('adds CONCURRENTLY after INDEX', () => {
    assert.equal(
      fixAll('CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (email);\ncreate index on users (name);', RULE),
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);\ncreate index CONCURRENTLY on users (name);',
    );
  });

  it('stays silent on CONCURRENTLY, on tables created earlier in the same section, and on temporary tables', () => {
    silent(
      [
        'CREATE INDEX CONCURRENTLY users_email ON users (email);',
        'CREATE TABLE app.orders (id int, user_id int);',
        'CREATE INDEX orders_user ON app.orders (user_id);',
        'CREATE TABLE audit AS SELECT * FROM users;',
        'CREATE INDEX audit_id ON audit (id);',
        'CREATE TEMP TABLE scratch (id int);',
        'CREATE INDEX scratch_id ON scratch (id);',
      ].join('\n'),
      RULE,
    );
  });

  it('still reports an index on a table created in another schema, or only later', () => {
    const sql = 'CREATE INDEX early ON orders (id);\nCREATE TABLE billing.orders (id int);\nCREATE INDEX other ON sales.orders (id);';
    assert.equal(rendered(sql, RULE).split('\n').filter((l) => l.startsWith('001_test.sql')).length, 2);
  });
});
