import assert from 'node:assert/strict';
import { findingsOf, fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'incomplete-down';

describe(RULE, () => {
  useParser();

  it('points at what UP creates and DOWN leaves behind', () => {
    const sql = '-- UP\nCREATE TABLE users (id int);\nALTER TABLE orders ADD COLUMN note text;\n-- DOWN\nDROP TABLE users;\n';
    assert.equal(
      rendered(sql, RULE),
      lines(
        '001_test.sql:3:31: warning incomplete-down: DOWN does not drop column note on orders, which UP creates: rolling back leaves it behind',
        '3 | ALTER TABLE orders ADD COLUMN note text;',
        '  |                               ^^^^',
        '  = help: add ALTER TABLE orders DROP COLUMN IF EXISTS note; to DOWN',
      ),
    );
  });

  it('adds the missing drops at the end of DOWN', () => {
    const sql = [
      '-- UP',
      'CREATE VIEW active AS SELECT * FROM users;',
      'CREATE INDEX orders_total ON orders (total);',
      'CREATE POLICY p ON docs USING (true);',
      '-- DOWN',
      'DROP TABLE IF EXISTS nothing;',
      '',
    ].join('\n');
    assert.equal(
      fixAll(sql, RULE),
      `${sql}DROP VIEW IF EXISTS active;\nDROP INDEX IF EXISTS orders_total;\nDROP POLICY IF EXISTS p ON docs;\n`,
    );
  });

  it('counts drops with the table, with the schema (CASCADE), and re-creating a CREATE OR REPLACE object', () => {
    silent(
      [
        '-- UP',
        'CREATE TABLE users (id int);',
        'CREATE INDEX users_id ON users (id);',
        'CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION f();',
        'ALTER TABLE users ADD COLUMN email text;',
        'CREATE SCHEMA billing;',
        'CREATE TABLE billing.invoices (id int);',
        'CREATE TYPE billing.status AS ENUM (\'open\');',
        "CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
        'CREATE EXTENSION IF NOT EXISTS pgcrypto;',
        'CREATE SEQUENCE s;',
        'DROP SEQUENCE s;',
        '-- DOWN',
        'DROP SCHEMA billing CASCADE;',
        "CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$;",
        'DROP TABLE users;',
      ].join('\n'),
      RULE,
    );
  });

  it("reads a pair's DOWN from its .down.sql, without a fix (the edit belongs to the other file)", () => {
    const found = findingsOf('CREATE TABLE a (id int);\nCREATE TABLE b (id int);', RULE, { file: '002_x.up.sql', downFile: { text: 'DROP TABLE a;' } });
    assert.deepEqual(found.map((f) => [f.message, f.help, f.fixes.length]), [
      ['DOWN does not drop table b, which UP creates: rolling back leaves it behind', 'add DROP TABLE IF EXISTS b; to DOWN (in the .down.sql file)', 0],
    ]);
  });

  it('stays silent without a DOWN (missing-down covers that) and when DOWN drops everything', () => {
    silent('CREATE TABLE a (id int);', RULE);
    silent('-- UP\nCREATE TABLE a (id int);\nCREATE ROLE r;\n-- DOWN\nDROP ROLE r;\nDROP TABLE public.a;', RULE);
  });
});
