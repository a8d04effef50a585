/**
 * The two dry runs: `plan` writes nothing, creates nothing and takes no lock; `rehearse` executes and
 * rolls everything back, leaving no trace, and reports a failing statement's position in the file.
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { lockKeyFor } from '../../../src/core/lock';
import { describeRun, output, parseJson } from '../../support/cli';
import { lines } from '../../support/project';
import { tableMigration, useCliCase, type PlanJson, type RehearseJson } from './harness';

describe('CLI plan', () => {
  const t = useCliCase();

  it('leaves a fresh database untouched: no tracking table, no object of any kind', async () => {
    t.write('001_a.sql', lines('-- UP', 'CREATE SCHEMA app;', 'CREATE TABLE app.a (id serial PRIMARY KEY);', 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;', '-- DOWN', 'DROP SCHEMA app CASCADE;'));
    t.write('002_b.sql', tableMigration('b'));
    const before = await t.catalog();
    const [human, json] = await Promise.all([t.run(['plan', '--url', t.url]), t.run(['plan', '--json', '--url', t.url])]);
    assert.equal(human.code, 0, describeRun(human));
    assert.match(human.stdout, /-- UP 001 {2}migrations\/001_a\.sql {2}\(in a transaction\)\nCREATE SCHEMA app;/);
    assert.equal(json.code, 0, describeRun(json));
    assert.equal(parseJson<PlanJson>(json).steps.length, 2);
    assert.equal(await t.catalog(), before);
    assert.equal(await t.exists('public.schema_migrations'), false);
  });

  it('leaves an existing tracking table and schema untouched', async () => {
    t.write('001_a.sql', tableMigration('a'));
    assert.equal((await t.run(['up', '--url', t.url])).code, 0);
    t.write('002_b.sql', tableMigration('b'));
    const history = (): Promise<unknown[]> => t.query('SELECT version, name, checksum, script, applied_at, applied_by, execution_ms FROM public.schema_migrations ORDER BY version');
    const [catalogBefore, historyBefore] = [await t.catalog(), await history()];
    const [up, down] = await Promise.all([t.run(['plan', '--url', t.url]), t.run(['plan', '--down', '--url', t.url])]);
    assert.equal(up.code, 0, describeRun(up));
    assert.match(up.stdout, /-- UP 002/);
    assert.equal(down.code, 0, describeRun(down));
    assert.match(down.stdout, /-- DOWN 001 {2}migrations\/001_a\.sql[^\n]*\nDROP TABLE a;/);
    assert.equal(await t.catalog(), catalogBefore);
    assert.deepEqual(await history(), historyBefore);
  });

  it("runs while another session holds Strata's advisory lock (it takes no lock), where up times out", async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.config({ lockTimeout: '1s' });
    const holder = new pg.Client({ connectionString: t.url, application_name: 'lock-holder' });
    await holder.connect();
    try {
      const { key } = lockKeyFor('public', 'schema_migrations');
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      const plan = await t.run(['plan', '--json', '--url', t.url]);
      assert.equal(plan.code, 0, describeRun(plan));
      assert.deepEqual(parseJson<PlanJson>(plan).steps.map((s) => s.version), ['001']);
      assert.ok(plan.ms < 5_000, `plan took ${Math.round(plan.ms)} ms: did it wait for the lock?`);

      // Control: the lock held is the one runners take, so up cannot get it and says who holds it.
      const up = await t.run(['up', '--url', t.url]);
      assert.equal(up.code, 1, describeRun(up));
      assert.match(up.stderr, /lock-holder/);
      assert.equal(await t.exists('a'), false);
    } finally {
      await holder.end();
    }
  });
});

describe('CLI rehearse', () => {
  const t = useCliCase();

  it('executes the pending migrations and leaves no trace: no tables, no tracking table, same catalog', async () => {
    t.write('001_a.sql', lines('-- UP', 'CREATE SCHEMA app;', 'CREATE TABLE app.a (id serial PRIMARY KEY);', 'INSERT INTO app.a DEFAULT VALUES;', '-- DOWN', 'DROP SCHEMA app CASCADE;'));
    t.write('002_b.sql', tableMigration('b'));
    const before = await t.catalog();
    const result = await t.run(['rehearse', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.stdout, /Rehearsed 001 {2}migrations\/001_a\.sql/);
    assert.match(result.stdout, /Rehearsal succeeded \(2 migration\(s\)\); everything was rolled back\./);
    assert.equal(await t.catalog(), before);
    assert.equal(await t.exists('app.a'), false);
    assert.equal(await t.exists('b'), false);
    assert.equal(await t.exists('public.schema_migrations'), false);
  });

  it('leaves already-applied history as it was', async () => {
    t.write('001_a.sql', tableMigration('a'));
    assert.equal((await t.run(['up', '--url', t.url])).code, 0);
    t.write('002_b.sql', tableMigration('b'));
    const result = await t.run(['rehearse', '--json', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    assert.deepEqual(parseJson<RehearseJson>(result).rehearsed.map((r) => r.version), ['002']);
    assert.deepEqual(await t.versions(), ['001']);
    assert.equal(await t.exists('b'), false);
  });

  it("reports a failing statement's file, line and column, exits 1, and leaves no trace", async () => {
    t.write('001_ok.sql', tableMigration('ok'));
    const failing = '  INSERT INTO half SELECT id FROM nowhere;';
    t.write('002_bad.sql', lines('-- Migration: bad', '-- UP', 'CREATE TABLE half (id int);', '', failing, '-- DOWN', 'DROP TABLE half;'));
    const column = failing.indexOf('nowhere') + 1;
    const before = await t.catalog();
    const [json, human] = await Promise.all([t.run(['rehearse', '--json', '--url', t.url]), t.run(['rehearse', '--url', t.url])]);
    assert.equal(json.code, 1, describeRun(json));
    const body = parseJson<RehearseJson>(json);
    assert.deepEqual(body.rehearsed.map((r) => r.version), ['001']);
    assert.ok(body.error, describeRun(json));
    const { version, file, line, sqlstate } = body.error;
    assert.deepEqual({ version, file, line, column: body.error.column, sqlstate }, { version: '002', file: 'migrations/002_bad.sql', line: 5, column, sqlstate: '42P01' });
    assert.match(body.error.message, /nowhere/);
    assert.equal(human.code, 1, describeRun(human));
    assert.match(output(human), new RegExp(`migrations/002_bad\\.sql:5:${column}: error 42P01`));
    assert.match(human.stdout, /Rehearsal failed; everything was rolled back\./);
    assert.equal(await t.catalog(), before);
    assert.equal(await t.exists('ok'), false);
    assert.equal(await t.exists('public.schema_migrations'), false);
  });
});
