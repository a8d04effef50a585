/**
 * `up`, `down`, `rehearse`, `repair` and `baseline` open their session while they read the migrations
 * folder (src/cli/project.ts, EarlySession). What a user sees must not change: a command that stops
 * before it runs anything still exits at once with its own message, and a connection that fails is
 * reported as it was.
 */
import assert from 'node:assert/strict';
import { describeRun } from '../../support/cli';
import { tableMigration, useCliCase } from './harness';

describe('CLI: the session opened while the folder is read', () => {
  const t = useCliCase();

  it('is closed when the command stops before it runs: the process exits at once with its usage error', async () => {
    t.write('001_a.sql', tableMigration('a'));
    const result = await t.run(['baseline', '--url', t.url]);
    assert.equal(result.code, 2, describeRun(result));
    assert.match(result.stderr, /baseline needs the last version the database already contains/);
    // A session left open would keep the process alive until the harness kills it (30 s).
    assert.ok(result.ms < 10_000, `exited after ${Math.round(result.ms)} ms`);
    assert.equal(await t.versions(), null);
  });

  it('a connection that fails is reported as before, after the folder was read', async () => {
    t.write('001_a.sql', tableMigration('a'));
    const result = await t.run(['down', '--url', 'postgres://postgres:secret@127.0.0.1:1/db']);
    assert.equal(result.code, 1, describeRun(result));
    assert.match(result.stderr, /^strata: could not connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/db \(--url\): connection refused/, describeRun(result));
    assert.doesNotMatch(result.stderr, /secret/);
  });
});
