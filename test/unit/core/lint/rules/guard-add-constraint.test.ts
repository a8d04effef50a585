import assert from 'node:assert/strict';
import { findingsOf, fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'guard-add-constraint';

describe(RULE, () => {
  useParser();

  it('points at CONSTRAINT name', () => {
    assert.equal(
      rendered('ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);', RULE),
      lines(
        '001_test.sql:1:24: warning guard-add-constraint: ADD CONSTRAINT orders_user_fk fails when the migration runs again: it has no IF NOT EXISTS',
        '1 | ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
        '  |                        ^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: guard it with a DO block that ignores duplicate_object',
      ),
    );
  });

  it('asks to name an unnamed constraint, and to split a multi-command ALTER TABLE, without a fix', () => {
    const sql = 'ALTER TABLE orders ADD CHECK (total >= 0), ADD CONSTRAINT orders_pk PRIMARY KEY (id);';
    assert.equal(
      rendered(sql, RULE),
      lines(
        '001_test.sql:1:24: warning guard-add-constraint: an unnamed constraint cannot be detected on a second run: it is added again, or the run fails',
        '1 | ALTER TABLE orders ADD CHECK (total >= 0), ADD CONSTRAINT orders_pk PRIMARY KEY (id);',
        '  |                        ^^^^^',
        '  = help: name it (ADD CONSTRAINT name ...) and guard it with a DO block',
        '',
        '001_test.sql:1:48: warning guard-add-constraint: ADD CONSTRAINT orders_pk fails when the migration runs again: it has no IF NOT EXISTS',
        '1 | ALTER TABLE orders ADD CHECK (total >= 0), ADD CONSTRAINT orders_pk PRIMARY KEY (id);',
        '  |                                                ^^^^^^^^^^^^^^^^^^^^',
        '  = help: move it to an ALTER TABLE of its own and guard that with a DO block',
      ),
    );
    assert.deepEqual(findingsOf(sql, RULE).map((f) => f.fixes.length), [0, 0]);
  });

  it('guards with the errors a second run raises for each kind of constraint (checked on PostgreSQL 18)', () => {
    const fixed = fixAll(
      [
        'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
        'ALTER TABLE users ADD CONSTRAINT users_pk PRIMARY KEY (id);',
        'ALTER TABLE users ADD CONSTRAINT users_age CHECK (age > 0) NOT VALID;',
      ].join('\n'),
      RULE,
    );
    assert.equal(
      fixed,
      [
        'DO $$',
        'BEGIN',
        '  ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
        'EXCEPTION WHEN duplicate_table OR duplicate_object THEN NULL;',
        'END',
        '$$;',
        'DO $$',
        'BEGIN',
        '  ALTER TABLE users ADD CONSTRAINT users_pk PRIMARY KEY (id);',
        'EXCEPTION WHEN invalid_table_definition OR duplicate_table OR duplicate_object THEN NULL;',
        'END',
        '$$;',
        'DO $$',
        'BEGIN',
        '  ALTER TABLE users ADD CONSTRAINT users_age CHECK (age > 0) NOT VALID;',
        'EXCEPTION WHEN duplicate_object THEN NULL;',
        'END',
        '$$;',
      ].join('\n'),
    );
  });

  it('stays silent on other ALTER TABLE commands and on constraints declared in CREATE TABLE', () => {
    silent('ALTER TABLE users ADD COLUMN email text, VALIDATE CONSTRAINT users_age;\nCREATE TABLE t (id int PRIMARY KEY, CHECK (id > 0));', RULE);
  });
});
