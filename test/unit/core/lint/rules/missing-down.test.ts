import assert from 'node:assert/strict';
import { findingsOf, fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'missing-down';

describe(RULE, () => {
  useParser();

  it('is information on the first line of a forward-only file', () => {
    assert.equal(
      rendered('CREATE TABLE IF NOT EXISTS users (id int);', RULE),
      lines(
        '001_test.sql:1:1: info missing-down: no DOWN section: this migration cannot be rolled back',
        '1 | CREATE TABLE IF NOT EXISTS users (id int);',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: add `-- DOWN` with SQL that undoes UP (drop what it creates), or leave it forward-only on purpose',
      ),
    );
  });

  it('points at an empty DOWN marker', () => {
    assert.match(rendered('-- UP\nSELECT 1;\n-- DOWN\n-- nothing to undo\n', RULE), /^001_test.sql:3:1: info missing-down: the DOWN section holds no SQL/);
  });

  it('adds a DOWN that drops what UP creates, newest first, leaving out what goes with a new table', () => {
    const sql = [
      '-- UP',
      'CREATE TABLE app.users (id int);',
      'CREATE INDEX users_id ON app.users (id);',
      'CREATE TYPE "Mood" AS ENUM (\'ok\');',
      'CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;',
      'CREATE TRIGGER touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();',
      'ALTER TABLE orders ADD COLUMN user_id int, ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES app.users (id);',
      'CREATE SEQUENCE tmp_seq;',
      'DROP SEQUENCE tmp_seq;',
    ].join('\n');
    assert.equal(
      fixAll(sql, RULE),
      [
        sql,
        '',
        '-- DOWN',
        'ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_user_fk;',
        'ALTER TABLE orders DROP COLUMN IF EXISTS user_id;',
        'DROP TRIGGER IF EXISTS touch ON orders;',
        'DROP FUNCTION IF EXISTS touch;',
        'DROP TYPE IF EXISTS "Mood";',
        'DROP TABLE IF EXISTS app.users;',
        '',
      ].join('\n'),
    );
  });

  it('offers no fix when UP creates nothing', () => {
    assert.deepEqual(findingsOf('UPDATE users SET a = 1;', RULE)[0]!.fixes, []);
  });

  it('reports an .up.sql without its .down.sql only when the caller knows', () => {
    assert.match(rendered('SELECT 1;', RULE, { file: '002_x.up.sql', downFile: null }), /^002_x.up.sql:1:1: info missing-down: this .up.sql has no .down.sql/);
    silent('SELECT 1;', RULE, { file: '002_x.up.sql' });
    silent('SELECT 1;', RULE, { file: '002_x.up.sql', downFile: { text: 'SELECT 2;' } });
  });

  it('stays silent with a DOWN section, for .down.sql files and for files that are not migrations', () => {
    silent('-- UP\nSELECT 1;\n-- DOWN\nSELECT 2;', RULE);
    silent('SELECT 1;', RULE, { file: '002_x.down.sql' });
    silent('SELECT 1;', RULE, { file: 'seed.sql' });
  });
});
