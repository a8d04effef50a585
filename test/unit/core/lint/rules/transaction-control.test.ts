import assert from 'node:assert/strict';
import { fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'transaction-control';

describe(RULE, () => {
  useParser();

  it('warns about BEGIN and COMMIT, which Strata ignores', () => {
    assert.equal(
      rendered('BEGIN;\nCREATE TABLE IF NOT EXISTS t (id int);\nCOMMIT;', RULE),
      lines(
        '001_test.sql:1:1: warning transaction-control: BEGIN is not needed: Strata runs each migration in its own transaction and ignores it',
        '1 | BEGIN;',
        '  | ^^^^^',
        '  = help: remove it; to run a migration outside a transaction, write strata:no-transaction in its header instead',
        '',
        '001_test.sql:3:1: warning transaction-control: COMMIT is not needed: Strata runs each migration in its own transaction and ignores it',
        '3 | COMMIT;',
        '  | ^^^^^^',
        '  = help: remove it; to run a migration outside a transaction, write strata:no-transaction in its header instead',
      ),
    );
  });

  it('is an error for ROLLBACK and two-phase commands, which Strata refuses to run', () => {
    assert.equal(
      rendered('SELECT 1;\nABORT;', RULE),
      lines(
        '001_test.sql:2:1: error transaction-control: Strata refuses to run a migration with a top-level ROLLBACK: it would end the transaction Strata records the migration in',
        '2 | ABORT;',
        '  | ^^^^^',
        '  = help: remove it; a migration that must not apply should fail with an error (RAISE EXCEPTION in a DO block)',
      ),
    );
    assert.match(rendered("PREPARE TRANSACTION 'x';", RULE), /top-level PREPARE TRANSACTION/);
  });

  it('removes BEGIN and COMMIT with their lines', () => {
    assert.equal(fixAll('BEGIN;\nCREATE TABLE IF NOT EXISTS t (id int);\n  COMMIT;  \nSELECT 1; START TRANSACTION;', RULE), 'CREATE TABLE IF NOT EXISTS t (id int);\nSELECT 1; ');
  });

  it('stays silent on savepoints, under strata:no-transaction, and on transaction words inside bodies', () => {
    silent('SAVEPOINT a;\nRELEASE a;\nDO $$ BEGIN COMMIT; END $$;', RULE);
    silent('-- strata:no-transaction\nBEGIN;\nSELECT 1;\nCOMMIT;', RULE);
  });
});
