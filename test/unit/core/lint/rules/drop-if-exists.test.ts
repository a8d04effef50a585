import assert from 'node:assert/strict';
import { fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'drop-if-exists';

describe(RULE, () => {
  useParser();

  it('points at the whole DROP statement', () => {
    assert.equal(
      rendered('DROP TRIGGER touch ON users;', RULE),
      lines(
        '001_test.sql:1:1: warning drop-if-exists: DROP TRIGGER without IF EXISTS fails when it is already gone',
        '1 | DROP TRIGGER touch ON users;',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: write DROP TRIGGER IF EXISTS, so the migration (or its DOWN) can run again',
      ),
    );
  });

  it('points at each DROP COLUMN / DROP CONSTRAINT command of an ALTER TABLE', () => {
    assert.equal(
      rendered('ALTER TABLE users DROP COLUMN email, DROP CONSTRAINT users_email_key, ALTER COLUMN name SET NOT NULL;', RULE),
      lines(
        '001_test.sql:1:19: warning drop-if-exists: DROP COLUMN email without IF EXISTS fails when it is already gone',
        '1 | ALTER TABLE users DROP COLUMN email, DROP CONSTRAINT users_email_key, ALTER COLUMN name SET NOT NULL;',
        '  |                   ^^^^^^^^^^^^^^^^^',
        '  = help: write DROP COLUMN IF EXISTS email, so the migration (or its DOWN) can run again',
        '',
        '001_test.sql:1:38: warning drop-if-exists: DROP CONSTRAINT users_email_key without IF EXISTS fails when it is already gone',
        '1 | ALTER TABLE users DROP COLUMN email, DROP CONSTRAINT users_email_key, ALTER COLUMN name SET NOT NULL;',
        '  |                                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: write DROP CONSTRAINT IF EXISTS users_email_key, so the migration (or its DOWN) can run again',
      ),
    );
  });

  it('adds IF EXISTS to every kind of DROP', () => {
    const sql = [
      'DROP TABLE users, app.accounts CASCADE;',
      'DROP MATERIALIZED VIEW totals;',
      'DROP VIEW active_users;',
      'DROP INDEX CONCURRENTLY users_email_idx;',
      'DROP SEQUENCE order_numbers;',
      'DROP SCHEMA billing;',
      'DROP EXTENSION pgcrypto;',
      'DROP FUNCTION touch();',
      'DROP PROCEDURE archive(int);',
      'DROP TRIGGER touch ON users;',
      'DROP POLICY own_rows ON docs;',
      'DROP TYPE mood;',
      'DROP DOMAIN email;',
      'DROP OPERATOR CLASS c USING btree;',
      'DROP EVENT TRIGGER audit;',
      'DROP TEXT SEARCH CONFIGURATION english2;',
      'DROP FOREIGN DATA WRAPPER w;',
      'DROP CAST (text AS mood);',
      'DROP ROLE reporting;',
      'DROP USER MAPPING FOR CURRENT_USER SERVER remote;',
      'ALTER TABLE users DROP COLUMN email, DROP nick, DROP CONSTRAINT users_email_key;',
      'ALTER DOMAIN email DROP CONSTRAINT email_check;',
    ].join('\n');
    assert.equal(
      fixAll(sql, RULE),
      [
        'DROP TABLE IF EXISTS users, app.accounts CASCADE;',
        'DROP MATERIALIZED VIEW IF EXISTS totals;',
        'DROP VIEW IF EXISTS active_users;',
        'DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;',
        'DROP SEQUENCE IF EXISTS order_numbers;',
        'DROP SCHEMA IF EXISTS billing;',
        'DROP EXTENSION IF EXISTS pgcrypto;',
        'DROP FUNCTION IF EXISTS touch();',
        'DROP PROCEDURE IF EXISTS archive(int);',
        'DROP TRIGGER IF EXISTS touch ON users;',
        'DROP POLICY IF EXISTS own_rows ON docs;',
        'DROP TYPE IF EXISTS mood;',
        'DROP DOMAIN IF EXISTS email;',
        'DROP OPERATOR CLASS IF EXISTS c USING btree;',
        'DROP EVENT TRIGGER IF EXISTS audit;',
        'DROP TEXT SEARCH CONFIGURATION IF EXISTS english2;',
        'DROP FOREIGN DATA WRAPPER IF EXISTS w;',
        'DROP CAST IF EXISTS (text AS mood);',
        'DROP ROLE IF EXISTS reporting;',
        'DROP USER MAPPING IF EXISTS FOR CURRENT_USER SERVER remote;',
        'ALTER TABLE users DROP COLUMN IF EXISTS email, DROP IF EXISTS nick, DROP CONSTRAINT IF EXISTS users_email_key;',
        'ALTER DOMAIN email DROP CONSTRAINT IF EXISTS email_check;',
      ].join('\n'),
    );
  });

  it('stays silent on IF EXISTS and on ALTER TABLE commands that drop nothing', () => {
    silent('DROP TABLE IF EXISTS users;\nALTER TABLE users DROP COLUMN IF EXISTS email, ALTER COLUMN name DROP NOT NULL, ALTER COLUMN a DROP DEFAULT;', RULE);
  });
});
