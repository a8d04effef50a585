/**
 * A run that dies half way loses nothing and leaves nothing behind (DESIGN.md, "Running migrations" and
 * "Quality bars"): `strata up` killed with SIGKILL, its session terminated by the server, or the server
 * itself crashing (immediate shutdown, then crash recovery) at moments spread over the whole run. After
 * every injection the history and the schema agree, every migration the CLI reported as applied is
 * recorded, no lock is left behind, and the next `strata up` completes.
 *
 * Rounds: a few in `npm test`, many in `npm run test:stress` (test/support/stress.ts).
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { describeRun, output, startCli, type CliResult } from '../../support/cli';
import { makeProject, type TestProject } from '../../support/project';
import { withClient } from '../../support/postgres';
import { startRestartableServer, type RestartableServer } from '../../support/restartable';
import { rounds, tally } from '../../support/stress';
import { migration, useCliCase, type UpJson } from './harness';

const MIGRATIONS = 4;
const VERSIONS = Array.from({ length: MIGRATIONS }, (_, i) => String(i + 1).padStart(3, '0'));
/** A run lasts about STARTUP_MS (node, connection, lock) plus MIGRATIONS x 2 x SLEEP_S. */
const SLEEP_S = 0.1;
const RUN_MS = 400 + MIGRATIONS * 2 * SLEEP_S * 1000;

/**
 * writeMigrations writes MIGRATIONS migrations: each sleeps, creates its table and logs its version in
 * crash_log (which the first one creates), and sleeps again, so an injection can land before, inside,
 * and after each one's DDL, and between migrations.
 */
function writeMigrations(project: TestProject): void {
  for (const [i, version] of VERSIONS.entries()) {
    const log = i === 0 ? 'CREATE TABLE crash_log (version text NOT NULL);\n' : '';
    project.write(`${version}_c${i + 1}.sql`, migration(
      `SELECT pg_sleep(${SLEEP_S});\n${log}CREATE TABLE c${i + 1} (id int);\nINSERT INTO crash_log VALUES ('${version}');\nSELECT pg_sleep(${SLEEP_S});`,
      `DROP TABLE c${i + 1};${i === 0 ? '\nDROP TABLE crash_log;' : ''}`,
    ));
  }
}

/** delayFor spreads the injections of `total` rounds over the whole run, with jitter, from before the first migration to after the last. */
function delayFor(round: number, total: number): number {
  return Math.round(((round + Math.random()) / total) * RUN_MS * 1.15);
}


/**
 * assertConsistent checks that history and schema agree: the recorded versions are a prefix of the
 * migrations in order, each recorded migration's table exists and each unrecorded one's does not, and
 * crash_log holds each recorded version exactly once (no migration ran twice or half). Returns the history.
 */
async function assertConsistent(client: pg.Client, context: string): Promise<string[]> {
  const tracked = (await client.query<{ r: string | null }>(`SELECT to_regclass('public.schema_migrations')::text AS r`)).rows[0]?.r != null;
  const history = tracked ? (await client.query<{ version: string }>('SELECT version FROM public.schema_migrations ORDER BY version')).rows.map((r) => r.version) : [];
  assert.deepEqual(history, VERSIONS.slice(0, history.length), `history is not a prefix of the migrations\n${context}`);
  for (const [i, version] of VERSIONS.entries()) {
    const exists = (await client.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [`public.c${i + 1}`])).rows[0]?.r != null;
    assert.equal(exists, history.includes(version), `table c${i + 1} ${exists ? 'exists' : 'is missing'} but ${version} is ${history.includes(version) ? '' : 'not '}recorded\n${context}`);
  }
  const logged = history.length === 0 ? [] : (await client.query<{ version: string }>('SELECT version FROM crash_log ORDER BY version')).rows.map((r) => r.version);
  assert.deepEqual(logged, history, `crash_log does not match the history\n${context}`);
  return history;
}

/** reported is what a run that printed its JSON said it applied (nothing when it was killed before printing). */
function reported(result: CliResult): string[] {
  try {
    return (JSON.parse(result.stdout) as UpJson).applied.map((r) => r.version);
  } catch {
    return [];
  }
}

/** waitForNoRunner waits (bounded) until no 'strata' session is left in the database: a killed client's backend must go. */
async function waitForNoRunner(client: pg.Client, database: string, context: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'strata' AND datname = $1`, [database]);
    if (rows[0]?.n === '0') return;
    assert.ok(Date.now() < deadline, `a strata session was still alive 10 s after the runner died\n${context}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** assertRecovered checks the aftermath of one injection, then that a new `strata up` applies the rest. */
async function assertRecovered(url: string, database: string, project: TestProject, killed: CliResult, what: string): Promise<void> {
  const context = `${what}\n${describeRun(killed)}`;
  await withClient(url, async (client) => {
    await waitForNoRunner(client, database, context);
    const history = await assertConsistent(client, context);
    for (const version of reported(killed)) assert.ok(history.includes(version), `${version} was reported applied but is not recorded\n${context}`);
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'`);
    assert.equal(rows[0]?.n, '0', `an advisory lock is still held\n${context}`);
  });
  // The lock is free: a run that could not take it within 2 s would fail.
  const again = await startCli(['up', '--json', '--url', url], { cwd: project.root }).result;
  assert.equal(again.code, 0, `${context}\n--- next up ---\n${describeRun(again)}`);
  await withClient(url, async (client) => assert.deepEqual(await assertConsistent(client, context), VERSIONS));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe('CLI: up survives a crash at any moment', function () {
  this.timeout(0);
  const t = useCliCase();

  beforeEach(() => {
    writeMigrations(t.project);
    t.config({ lockTimeout: '2s' });
  });

  const killRounds = rounds(8, 60);
  it(`SIGKILL of the runner at ${killRounds} moments spread over the run`, async () => {
    for (let round = 0; round < killRounds; round++) {
      if (round > 0) await t.query('DROP TABLE IF EXISTS public.schema_migrations, crash_log, c1, c2, c3, c4');
      const delay = delayFor(round, killRounds);
      const run = startCli(['up', '--json', '--url', t.url], { cwd: t.project.root });
      await sleep(delay);
      run.child.kill('SIGKILL');
      const killed = await run.result;
      await assertRecovered(t.url, t.db.name, t.project, killed, `round ${round + 1}: SIGKILL after ${delay} ms`);
      tally('injections survived', 'SIGKILL of strata up');
    }
  });

  const terminateRounds = rounds(8, 60);
  it(`pg_terminate_backend of the runner's session at ${terminateRounds} moments`, async () => {
    for (let round = 0; round < terminateRounds; round++) {
      if (round > 0) await t.query('DROP TABLE IF EXISTS public.schema_migrations, crash_log, c1, c2, c3, c4');
      const delay = delayFor(round, terminateRounds);
      const run = startCli(['up', '--json', '--url', t.url], { cwd: t.project.root });
      await sleep(delay);
      await t.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'strata' AND datname = $1`, [t.db.name]);
      const ended = await run.result;
      const what = `round ${round + 1}: pg_terminate_backend after ${delay} ms`;
      // It never hangs (the harness would kill it: code null), and a failure says the connection went.
      assert.notEqual(ended.code, null, `${what}\n${describeRun(ended)}`);
      if (ended.code !== 0) assert.match(output(ended), /connection|terminat/i, `${what}\n${describeRun(ended)}`);
      await assertRecovered(t.url, t.db.name, t.project, ended, what);
      tally('injections survived', 'pg_terminate_backend of the session');
    }
  });

  // Without client_connection_check_interval the orphaned backend would sleep on, holding the lock.
  it('a runner killed during a long statement does not leave its lock (or its migration) behind', async () => {
    t.write('005_long.sql', migration('CREATE TABLE long_running (id int);\nSELECT pg_sleep(120);', 'DROP TABLE long_running;'));
    const run = startCli(['up', '--url', t.url], { cwd: t.project.root, timeoutMs: 60_000 });
    const deadline = Date.now() + 20_000;
    while ((await t.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'strata' AND query LIKE '%pg_sleep(120)%'`)).length === 0) {
      assert.ok(Date.now() < deadline, 'the long migration never started');
      await sleep(50);
    }
    run.child.kill('SIGKILL');
    const killed = await run.result;
    // waitForNoRunner fails after 10 s; the statement alone would run for two minutes.
    await withClient(t.url, (client) => waitForNoRunner(client, t.db.name, describeRun(killed)));
    assert.deepEqual(await t.versions(), VERSIONS);
    assert.equal(await t.exists('long_running'), false);
    const [locks] = await t.query<{ n: string }>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'`);
    assert.equal(locks?.n, '0');
    tally('injections survived', 'SIGKILL during a long statement');
  });
});

describe('CLI: up survives a server crash and restart at any moment', function () {
  this.timeout(0);
  let server: RestartableServer;
  let project: TestProject;

  before(async () => {
    server = await startRestartableServer();
  });
  after(async () => {
    await server?.remove();
  });
  beforeEach(() => {
    project = makeProject({}, { lockTimeout: '2s' });
    writeMigrations(project);
  });
  afterEach(() => project.remove());

  const crashRounds = rounds(5, 40);
  it(`immediate shutdown and crash recovery at ${crashRounds} moments`, async () => {
    for (let round = 0; round < crashRounds; round++) {
      const name = `crash_${round}`;
      await withClient(server.url, (client) => client.query(`CREATE DATABASE ${name}`));
      const url = server.url.replace(/\/postgres$/, `/${name}`);
      const delay = delayFor(round, crashRounds);
      const run = startCli(['up', '--json', '--url', url], { cwd: project.root });
      await sleep(delay);
      await server.crash();
      const ended = await run.result;
      await server.start();
      const what = `round ${round + 1}: server crash after ${delay} ms`;
      assert.notEqual(ended.code, null, `${what}\n${describeRun(ended)}`);
      await assertRecovered(url, name, project, ended, what);
      await withClient(server.url, (client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));
      tally('injections survived', 'server crash and restart');
    }
  });
});
