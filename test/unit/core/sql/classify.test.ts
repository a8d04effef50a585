import assert from 'node:assert/strict';
import { nonTransactionalReason, transactionControlOf } from '../../../../src/core/sql/classify';
import { loadParser, splitStatements, type SqlStatement } from '../../../../src/core/sql/parser';

before(async () => {
  await loadParser();
});

/** only parses text holding exactly one good statement. */
function only(sql: string): SqlStatement {
  const { statements, errors } = splitStatements(sql);
  assert.deepEqual(errors, [], sql);
  assert.equal(statements.length, 1, sql);
  return statements[0]!;
}

describe('transactionControlOf', () => {
  it('recognises every spelling of transaction control', () => {
    const cases: [string, string][] = [
      ['BEGIN', 'begin'],
      ['begin work', 'begin'],
      ['BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'begin'],
      ['START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY', 'begin'],
      ['COMMIT', 'commit'],
      ['COMMIT AND CHAIN', 'commit'],
      ['END', 'commit'],
      ['END TRANSACTION', 'commit'],
      ['ROLLBACK', 'rollback'],
      ['ABORT', 'rollback'],
      ['SAVEPOINT before_backfill', 'savepoint'],
      ['RELEASE before_backfill', 'release'],
      ['RELEASE SAVEPOINT before_backfill', 'release'],
      ['ROLLBACK TO before_backfill', 'rollback-to'],
      ['ROLLBACK WORK TO SAVEPOINT before_backfill', 'rollback-to'],
      ["PREPARE TRANSACTION 'tx1'", 'prepare'],
      ["COMMIT PREPARED 'tx1'", 'commit-prepared'],
      ["ROLLBACK PREPARED 'tx1'", 'rollback-prepared'],
    ];
    for (const [sql, control] of cases) assert.equal(transactionControlOf(only(sql)), control, sql);
  });

  it('returns null for other statements, for transaction words inside bodies, and for unparsed statements', () => {
    assert.equal(transactionControlOf(only('CREATE TABLE t (id int)')), null);
    assert.equal(transactionControlOf(only('DO $$ BEGIN COMMIT; END $$')), null);
    assert.equal(transactionControlOf(only('CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; END')), null);
    assert.equal(transactionControlOf(only("SELECT 'COMMIT'")), null);
    const unparsed = splitStatements('COMMIT NOW').statements[0]!;
    assert.equal(unparsed.node, null);
    assert.equal(transactionControlOf(unparsed), null);
  });
});

describe('nonTransactionalReason', () => {
  // Each label is PostgreSQL's own wording: "<label> cannot run inside a transaction block" (checked on PostgreSQL 18).
  it('names each statement PostgreSQL refuses to run inside a transaction block', () => {
    const cases: [string, string][] = [
      ['CREATE INDEX CONCURRENTLY i ON t (a)', 'CREATE INDEX CONCURRENTLY'],
      ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)', 'CREATE INDEX CONCURRENTLY'],
      ['DROP INDEX CONCURRENTLY IF EXISTS i', 'DROP INDEX CONCURRENTLY'],
      ['REINDEX INDEX CONCURRENTLY i', 'REINDEX CONCURRENTLY'],
      ['REINDEX (CONCURRENTLY) TABLE t', 'REINDEX CONCURRENTLY'],
      ['REINDEX (VERBOSE, CONCURRENTLY on) TABLE t', 'REINDEX CONCURRENTLY'],
      ['REINDEX DATABASE app', 'REINDEX DATABASE'],
      ['REINDEX SYSTEM', 'REINDEX SYSTEM'],
      ['REINDEX SCHEMA public', 'REINDEX SCHEMA'],
      ['VACUUM', 'VACUUM'],
      ['VACUUM FULL t', 'VACUUM'],
      ['VACUUM ANALYZE t', 'VACUUM'],
      ['VACUUM (ANALYZE, VERBOSE) t', 'VACUUM'],
      ['CREATE DATABASE scratch', 'CREATE DATABASE'],
      ['DROP DATABASE IF EXISTS scratch WITH (FORCE)', 'DROP DATABASE'],
      ["CREATE TABLESPACE fast LOCATION '/ssd'", 'CREATE TABLESPACE'],
      ['DROP TABLESPACE fast', 'DROP TABLESPACE'],
      ["ALTER SYSTEM SET work_mem = '64MB'", 'ALTER SYSTEM'],
      ['ALTER SYSTEM RESET ALL', 'ALTER SYSTEM'],
      ['ALTER DATABASE app SET TABLESPACE fast', 'ALTER DATABASE SET TABLESPACE'],
      ["CREATE SUBSCRIPTION s CONNECTION 'host=primary' PUBLICATION p", 'CREATE SUBSCRIPTION ... WITH (create_slot = true)'],
      ["CREATE SUBSCRIPTION s CONNECTION 'host=primary' PUBLICATION p WITH (create_slot)", 'CREATE SUBSCRIPTION ... WITH (create_slot = true)'],
      ['DROP SUBSCRIPTION IF EXISTS s', 'DROP SUBSCRIPTION'],
      ['ALTER SUBSCRIPTION s REFRESH PUBLICATION', 'ALTER SUBSCRIPTION ... REFRESH'],
      ['ALTER SUBSCRIPTION s REFRESH PUBLICATION WITH (copy_data = false)', 'ALTER SUBSCRIPTION ... REFRESH'],
      ['ALTER SUBSCRIPTION s SET PUBLICATION p', 'ALTER SUBSCRIPTION with refresh'],
      ['ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (refresh = true)', 'ALTER SUBSCRIPTION with refresh'],
      ['ALTER SUBSCRIPTION s SET (failover = true)', 'ALTER SUBSCRIPTION ... SET (failover)'],
      ['ALTER SUBSCRIPTION s SET (two_phase = false)', 'ALTER SUBSCRIPTION ... SET (two_phase)'],
      ['ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY', 'ALTER TABLE ... DETACH CONCURRENTLY'],
      ['CLUSTER', 'CLUSTER'],
      ['CLUSTER VERBOSE', 'CLUSTER'],
      ['DISCARD ALL', 'DISCARD ALL'],
      ["COMMIT PREPARED 'tx1'", 'COMMIT PREPARED'],
      ["ROLLBACK PREPARED 'tx1'", 'ROLLBACK PREPARED'],
    ];
    for (const [sql, reason] of cases) assert.equal(nonTransactionalReason(only(sql)), reason, sql);
  });

  it('returns null for statements that run inside a transaction block', () => {
    const cases = [
      'CREATE INDEX i ON t (a)',
      'DROP INDEX i',
      'REINDEX TABLE t',
      'REINDEX (CONCURRENTLY false) TABLE t',
      'ANALYZE',
      'ANALYZE t (a)',
      'CLUSTER t',
      'CLUSTER t USING i',
      'ALTER TABLE events DETACH PARTITION events_2024',
      'ALTER TABLE events DETACH PARTITION events_2024 FINALIZE',
      'ALTER DATABASE app SET work_mem = 1',
      'ALTER DATABASE app WITH CONNECTION LIMIT 3',
      "CREATE SUBSCRIPTION s CONNECTION 'host=primary' PUBLICATION p WITH (create_slot = false)",
      "CREATE SUBSCRIPTION s CONNECTION 'host=primary' PUBLICATION p WITH (connect = false)",
      'ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)',
      'ALTER SUBSCRIPTION s DROP PUBLICATION p WITH (refresh = 0)',
      'ALTER SUBSCRIPTION s SET (two_phase = on)',
      'ALTER SUBSCRIPTION s SET (binary = true)',
      'ALTER SUBSCRIPTION s ENABLE',
      'DISCARD PLANS',
      "ALTER TYPE mood ADD VALUE 'meh'", // allowed in a transaction since PostgreSQL 12
      'REFRESH MATERIALIZED VIEW CONCURRENTLY mv',
      'BEGIN',
      'COMMIT',
      "PREPARE TRANSACTION 'tx1'",
      "DO $$ BEGIN EXECUTE 'VACUUM'; END $$",
      'SELECT 1',
    ];
    for (const sql of cases) assert.equal(nonTransactionalReason(only(sql)), null, sql);
  });

  it('returns null for a statement that did not parse', () => {
    const unparsed = splitStatements('VACUUM FULLL t').statements[0]!;
    assert.equal(unparsed.node, null);
    assert.equal(nonTransactionalReason(unparsed), null);
  });
});
