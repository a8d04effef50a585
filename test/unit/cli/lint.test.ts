/** `strata lint` in-process, on a project folder: no database, so it stays in the unit tier. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';

/** run runs the CLI in `cwd` and captures its output. */
async function run(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runWith({}, cwd, ...argv);
}

async function runWith(env: Record<string, string>, cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { cwd, env, stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`) };
  const code = await runCli(['lint', ...argv], io);
  return { code, stdout, stderr };
}

describe('strata lint', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'strata-cli-lint-'));
    mkdirSync(join(root, 'migrations'));
    writeFileSync(join(root, 'migrations', '001_users.sql'), '-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE IF EXISTS users;\n');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prints findings like a compiler and exits 0 when none is an error', async () => {
    const { code, stdout } = await run(root);
    assert.equal(code, 0);
    assert.equal(
      stdout,
      [
        'migrations/001_users.sql:2:1: warning create-if-not-exists: CREATE TABLE without IF NOT EXISTS fails when the migration runs again',
        '2 | CREATE TABLE users (id int);',
        '  | ^^^^^^^^^^^^^^^^^^',
        '  = help: write CREATE TABLE IF NOT EXISTS, so a re-run after a partial failure skips it',
        '',
        '1 problem(s) in 1 file: 0 error(s), 1 warning(s), 0 info.',
        '',
      ].join('\n'),
    );
  });

  it('exits 3 when a finding is an error, with --json as DESIGN.md specifies', async () => {
    writeFileSync(join(root, 'strata.json'), JSON.stringify({ lint: { 'create-if-not-exists': 'error' } }));
    const { code, stdout } = await run(root, '--json');
    assert.equal(code, 3);
    const json = JSON.parse(stdout) as { findings: Record<string, unknown>[]; errors: unknown[] };
    assert.deepEqual(json.errors, []);
    assert.equal(json.findings.length, 1);
    const { docsUrl, help, ...stable } = json.findings[0]!;
    assert.deepEqual(stable, {
      file: 'migrations/001_users.sql',
      rule: 'create-if-not-exists',
      family: 'idempotency',
      severity: 'error',
      line: 2,
      column: 1,
      endLine: 2,
      endColumn: 19,
      message: 'CREATE TABLE without IF NOT EXISTS fails when the migration runs again',
    });
    assert.equal(typeof help, 'string');
    assert.match(String(docsUrl), /^file:\/\/.*\/docs\/rules\/create-if-not-exists\.md$/);
    assert.ok(existsSync(fileURLToPath(String(docsUrl))), 'the link opens the rule page shipped with the CLI');
  });

  it('lints the files named, even outside the migrations folder or without one', async () => {
    writeFileSync(join(root, 'seed.sql'), 'SELEC 1;\n');
    const inProject = await run(root, 'seed.sql');
    assert.equal(inProject.code, 3);
    assert.match(inProject.stdout, /^seed.sql:1:1: error syntax-error: syntax error at or near "SELEC"/);
    rmSync(join(root, 'migrations'), { recursive: true });
    const bare = await run(root, 'seed.sql', '--json');
    assert.equal(bare.code, 3);
    assert.equal((JSON.parse(bare.stdout) as { findings: { file: string }[] }).findings[0]!.file, 'seed.sql');
  });

  it('refuses a file that does not exist (usage error), and warns about unknown rules in strata.json', async () => {
    const missing = await run(root, 'nope.sql');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file: nope.sql/);
    writeFileSync(join(root, 'strata.json'), JSON.stringify({ lint: { 'create-if-not-exist': 'off' } }));
    const typo = await run(root);
    assert.match(typo.stderr, /warning: strata.json: lint: unknown rule "create-if-not-exist"/);
  });

  it('does not connect to a configured database unless --drift asks for it', async () => {
    const env = { DATABASE_URL: 'postgres://strata@127.0.0.1:1/nowhere' }; // nothing listens on port 1
    const offline = await runWith(env, root);
    assert.equal(offline.code, 0);
    const drift = await runWith(env, root, '--drift');
    assert.equal(drift.code, 1);
    assert.match(drift.stderr, /127\.0\.0\.1/);
    const none = await run(root, '--drift');
    assert.equal(none.code, 1);
    assert.match(none.stderr, /lint --drift needs a database/);
  });
});
