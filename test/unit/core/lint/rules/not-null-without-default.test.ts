import assert from 'node:assert/strict';
import { lines, rendered, silent, useParser } from '../helpers';

const RULE = 'not-null-without-default';

describe(RULE, () => {
  useParser();

  it('points at the column added NOT NULL without a value for existing rows', () => {
    assert.equal(
      rendered('ALTER TABLE users ADD COLUMN status text NOT NULL;', RULE),
      lines(
        '001_test.sql:1:30: warning not-null-without-default: ADD COLUMN status NOT NULL without a DEFAULT fails if users has any rows',
        '1 | ALTER TABLE users ADD COLUMN status text NOT NULL;',
        '  |                              ^^^^^^',
        '  = help: give it a DEFAULT (instant since PostgreSQL 11), or add it nullable, backfill it, then SET NOT NULL',
      ),
    );
  });

  it('counts a PRIMARY KEY column as NOT NULL', () => {
    assert.match(rendered('ALTER TABLE users ADD COLUMN id2 int PRIMARY KEY;', RULE), /ADD COLUMN id2 NOT NULL without a DEFAULT/);
  });

  it('stays silent with a DEFAULT, identity, generated or serial column, nullable columns, and new tables', () => {
    silent(
      [
        "ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';",
        'ALTER TABLE users ADD COLUMN n int GENERATED ALWAYS AS IDENTITY NOT NULL;',
        'ALTER TABLE users ADD COLUMN g int NOT NULL GENERATED ALWAYS AS (1) STORED;',
        'ALTER TABLE users ADD COLUMN s bigserial NOT NULL;',
        'ALTER TABLE users ADD COLUMN nick text;',
        'CREATE TABLE t (id int);',
        'ALTER TABLE t ADD COLUMN name text NOT NULL;',
      ].join('\n'),
      RULE,
    );
  });
});
