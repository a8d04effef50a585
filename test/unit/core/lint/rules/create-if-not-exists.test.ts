import assert from 'node:assert/strict';
import { fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'create-if-not-exists';

describe(RULE, () => {
  useParser();

  it('points at CREATE TABLE and its name', () => {
    assert.equal(
      rendered('CREATE TABLE public.users (id bigint PRIMARY KEY);', RULE),
      lines(
        '001_test.sql:1:1: warning create-if-not-exists: CREATE TABLE without IF NOT EXISTS fails when the migration runs again',
        '1 | CREATE TABLE public.users (id bigint PRIMARY KEY);',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: write CREATE TABLE IF NOT EXISTS, so a re-run after a partial failure skips it',
      ),
    );
  });

  it('covers indexes, sequences, schemas, extensions, materialized views and the rest', () => {
    const sql = [
      'CREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email);',
      'CREATE SEQUENCE order_numbers;',
      'CREATE SCHEMA billing;',
      'CREATE EXTENSION pgcrypto;',
      'CREATE MATERIALIZED VIEW totals AS SELECT 1 AS n;',
      'CREATE TABLE archive AS SELECT * FROM users;',
      'CREATE FOREIGN TABLE remote_users (id int) SERVER remote;',
      'CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw;',
      'CREATE USER MAPPING FOR CURRENT_USER SERVER remote;',
      'CREATE STATISTICS user_stats ON email, name FROM users;',
      "CREATE COLLATION german (provider = icu, locale = 'de');",
    ].join('\n');
    const fixed = fixAll(sql, RULE);
    assert.equal(
      fixed,
      [
        'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);',
        'CREATE SEQUENCE IF NOT EXISTS order_numbers;',
        'CREATE SCHEMA IF NOT EXISTS billing;',
        'CREATE EXTENSION IF NOT EXISTS pgcrypto;',
        'CREATE MATERIALIZED VIEW IF NOT EXISTS totals AS SELECT 1 AS n;',
        'CREATE TABLE IF NOT EXISTS archive AS SELECT * FROM users;',
        'CREATE FOREIGN TABLE IF NOT EXISTS remote_users (id int) SERVER remote;',
        'CREATE SERVER IF NOT EXISTS remote FOREIGN DATA WRAPPER postgres_fdw;',
        'CREATE USER MAPPING IF NOT EXISTS FOR CURRENT_USER SERVER remote;',
        'CREATE STATISTICS IF NOT EXISTS user_stats ON email, name FROM users;',
        "CREATE COLLATION IF NOT EXISTS german (provider = icu, locale = 'de');",
      ].join('\n'),
    );
  });

  it('fixes names written with quotes, comments and odd case', () => {
    const fixed = fixAll('create /* new */ table "Users" (id int);\nCREATE INDEX /* c */ "Idx" ON "Users" (id);', RULE);
    assert.equal(fixed, 'create /* new */ table IF NOT EXISTS "Users" (id int);\nCREATE INDEX IF NOT EXISTS /* c */ "Idx" ON "Users" (id);');
  });

  it('asks for a name on an unnamed index, with no fix', () => {
    assert.equal(
      rendered('CREATE INDEX ON users (email);', RULE),
      lines(
        '001_test.sql:1:1: warning create-if-not-exists: CREATE INDEX without IF NOT EXISTS fails when the migration runs again',
        '1 | CREATE INDEX ON users (email);',
        '  | ^^^^^^^^^^^^^^^^^^^^^',
        '  = help: give the index a name: only a named index can use IF NOT EXISTS',
      ),
    );
  });

  it('stays silent on IF NOT EXISTS, temporary tables, SELECT INTO and CREATE SCHEMA with elements', () => {
    silent(
      [
        'CREATE TABLE IF NOT EXISTS users (id int);',
        'CREATE INDEX IF NOT EXISTS users_id ON users (id);',
        'CREATE TEMP TABLE scratch (id int);',
        'SELECT 1 INTO scratch2;',
        'CREATE SCHEMA IF NOT EXISTS billing;',
        'CREATE SCHEMA reports CREATE TABLE r (id int);',
        'CREATE EXTENSION IF NOT EXISTS pgcrypto;',
      ].join('\n'),
      RULE,
    );
  });
});
