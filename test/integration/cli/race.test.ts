/**
 * Many runners at once (deploy hooks on every instance, CI jobs retried in parallel): 8 `strata up`
 * processes over 30 pending migrations, and `down` racing `up`. The advisory lock serializes them, so
 * every migration runs exactly once; no process hangs; each one succeeds, or fails naming the lock's
 * holder. Rounds: a few in `npm test`, 20+ in `npm run test:stress` (test/support/stress.ts).
 */
import assert from 'node:assert/strict';
import { describeRun, output, parseJson, type CliResult } from '../../support/cli';
import { rounds, tally } from '../../support/stress';
import { migration, useCliCase, type CliCase, type DownJson, type UpJson } from './harness';

const PROCESSES = 8;
const MIGRATIONS = 30;
const VERSIONS = Array.from({ length: MIGRATIONS }, (_, i) => String(i + 1).padStart(3, '0'));

/**
 * writeMigrations writes migrations that fail if run twice (CREATE TABLE without IF NOT EXISTS) and
 * log each run in race_log, whose primary key also refuses a second run; every DOWN undoes both.
 */
function writeMigrations(t: CliCase, sleepEvery = 0): void {
  for (const [i, version] of VERSIONS.entries()) {
    const log = i === 0 ? 'CREATE TABLE race_log (version text PRIMARY KEY);\n' : '';
    const sleep = sleepEvery > 0 && i % sleepEvery === 0 ? '\nSELECT pg_sleep(0.05);' : '';
    t.write(`${version}_r${i + 1}.sql`, migration(
      `${log}CREATE TABLE r${i + 1} (id int);\nINSERT INTO race_log VALUES ('${version}');${sleep}`,
      i === 0 ? 'DROP TABLE r1;\nDROP TABLE race_log;' : `DROP TABLE r${i + 1};\nDELETE FROM race_log WHERE version = '${version}';`,
    ));
  }
}

/** assertConsistent: the history is a prefix of the versions, each recorded once, and matches the tables and race_log. */
async function assertConsistent(t: CliCase, context: string): Promise<string[]> {
  const history = (await t.versions()) ?? [];
  assert.deepEqual(history, VERSIONS.slice(0, history.length), `history is not a prefix of the migrations\n${context}`);
  const tables = await t.query<{ relname: string }>(`SELECT relname FROM pg_catalog.pg_class WHERE relkind = 'r' AND relname ~ '^r[0-9]+$' ORDER BY relname`);
  assert.deepEqual(tables.map((r) => r.relname).sort(), history.map((v) => `r${Number(v)}`).sort(), `tables do not match the history\n${context}`);
  const logged = history.length === 0 ? [] : (await t.query<{ version: string }>('SELECT version FROM race_log ORDER BY version')).map((r) => r.version);
  assert.deepEqual(logged, history, `race_log does not match the history\n${context}`);
  return history;
}

/** assertCleanExit: the process ended by itself (no hang), with 0, or with 1 and a message a user can act on. */
function assertCleanExit(result: CliResult, allowed: RegExp, context: string): void {
  assert.notEqual(result.code, null, `a process hung\n${context}\n${describeRun(result)}`);
  if (result.code === 0) return;
  assert.equal(result.code, 1, `${context}\n${describeRun(result)}`);
  assert.match(output(result), allowed, `${context}\n${describeRun(result)}`);
}

const LOCK_HELD = /Timed out after \d+ ms waiting for the migration lock held by pid \d+, application_name 'strata'/;

describe(`CLI: ${PROCESSES} runners at once`, function () {
  this.timeout(0);
  const t = useCliCase();
  const run = (args: string[]): Promise<CliResult> => t.run([...args, '--json', '--url', t.url]);

  const upRounds = rounds(2, 20);
  it(`${PROCESSES} up processes over ${MIGRATIONS} pending migrations, ${upRounds} rounds: each migration applied exactly once, every process exits 0`, async () => {
    writeMigrations(t);
    for (let round = 1; round <= upRounds; round++) {
      if (round > 1) await t.query(`DROP TABLE public.schema_migrations, race_log, ${VERSIONS.map((_, i) => `r${i + 1}`).join(', ')}`);
      const results = await Promise.all(Array.from({ length: PROCESSES }, () => run(['up'])));
      const context = `round ${round}`;
      for (const result of results) assert.equal(result.code, 0, `${context}\n${describeRun(result)}`);
      const applied = results.flatMap((result) => parseJson<UpJson>(result).applied.map((r) => r.version)).sort();
      assert.deepEqual(applied, VERSIONS, `between them, the runs applied each migration once\n${context}`);
      assert.deepEqual(await assertConsistent(t, context), VERSIONS);
      tally('rounds raced', `${PROCESSES} x up over ${MIGRATIONS} migrations`);
      tally('processes raced', 'up and down processes started together', PROCESSES);
    }
  });

  it(`with a short lockTimeout, each of ${PROCESSES} up processes succeeds or names the lock holder`, async () => {
    writeMigrations(t, 3);
    t.config({ lockTimeout: '100ms' });
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => run(['up'])));
    for (const result of results) assertCleanExit(result, LOCK_HELD, 'short lockTimeout');
    assert.ok(results.some((result) => result.code === 1), `no process timed out waiting: the test proves nothing\n${results.map(describeRun).join('\n')}`);
    const applied = results.filter((r) => r.code === 0).flatMap((result) => parseJson<UpJson>(result).applied.map((r) => r.version)).sort();
    assert.deepEqual(await assertConsistent(t, 'short lockTimeout'), applied);
    tally('processes raced', 'up and down processes started together', PROCESSES);
  });

  const mixedRounds = rounds(2, 20);
  it(`down racing up, ${mixedRounds} rounds: history and schema agree, nothing hangs, failures are clear`, async () => {
    writeMigrations(t, 5);
    const setup = await run(['up', '--to', '015']);
    assert.equal(setup.code, 0, describeRun(setup));
    for (let round = 1; round <= mixedRounds; round++) {
      const commands = Array.from({ length: PROCESSES }, (_, i) => (i % 2 === 0 ? ['up', '--steps', String(1 + (i % 3))] : ['down', '--steps', String(1 + (i % 4))]));
      const results = await Promise.all(commands.map((args) => run(args)));
      const context = `round ${round}`;
      // down may find nothing left to roll back; nothing else is an acceptable failure.
      for (const result of results) assertCleanExit(result, /no migrations have been applied/, context);
      const history = await assertConsistent(t, context);
      // What the processes reported adds up to the change in the history.
      const upCount = results.filter((r) => r.code === 0 && 'applied' in parseJson<UpJson>(r)).flatMap((r) => parseJson<UpJson>(r).applied).length;
      const downCount = results.filter((r) => r.code === 0 && 'rolledBack' in parseJson<DownJson>(r)).flatMap((r) => parseJson<DownJson>(r).rolledBack).length;
      assert.equal(history.length - 15, upCount - downCount, `the runs' reports do not add up to the history\n${context}`);
      tally('rounds raced', 'down racing up');
      tally('processes raced', 'up and down processes started together', PROCESSES);
      // Keep the next round in the middle of the range, so both directions have work to do.
      const reset = await run(history.length > 15 ? ['down', '--to', '015'] : ['up', '--to', '015']);
      if (history.length !== 15) assert.equal(reset.code, 0, describeRun(reset));
      assert.equal((await assertConsistent(t, `${context}, reset`)).length, 15);
    }
  });
});
