/**
 * Passwords never reach the terminal: with a known password in the connection URL (or DATABASE_URL),
 * no command's stdout or stderr contains it, whether it succeeds, fails in a migration, or cannot log in.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describeRun, output, type CliResult } from '../../support/cli';
import { adminUrl } from '../../support/postgres';
import { lines } from '../../support/project';
import { tableMigration, useCliCase } from './harness';

const PASSWORD = 'Sup3r-S3cret-pw';
const ROLE = `strata_secret_${process.pid}`;

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(), application_name: 'strata-tests' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('CLI never prints the password', () => {
  const t = useCliCase();
  let secretUrl: string;

  before(async () => {
    await asAdmin(`DROP ROLE IF EXISTS ${ROLE}`);
    // CREATEDB: verify makes its scratch database on the configured server.
    await asAdmin(`CREATE ROLE ${ROLE} LOGIN CREATEDB PASSWORD '${PASSWORD}'`);
  });
  after(async () => {
    await asAdmin(`DROP ROLE IF EXISTS ${ROLE}`);
  });
  // Owner of the test database: it may create the tracking table and the migrations' tables
  // (the public schema belongs to the database owner from PostgreSQL 15 on).
  beforeEach(async () => {
    await asAdmin(`ALTER DATABASE ${t.db.name} OWNER TO ${ROLE}`);
    const url = new URL(t.url);
    url.username = ROLE;
    url.password = PASSWORD;
    secretUrl = url.toString();
  });

  function assertNoPassword(results: readonly CliResult[], secrets: readonly string[] = [PASSWORD]): void {
    for (const result of results) {
      const output = `${result.stdout}\n${result.stderr}`;
      for (const secret of secrets) assert.ok(!output.includes(secret), `${secret} was printed:\n${describeRun(result)}`);
    }
  }

  it('status, up, plan, rehearse and down, with --json and without, through --url and DATABASE_URL', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_b.sql', tableMigration('b'));
    const run = async (args: string[], expected: number, env?: Record<string, string>): Promise<CliResult> => {
      const result = await t.run(env ? args : [...args, '--url', secretUrl], env);
      assert.equal(result.code, expected, describeRun(result));
      return result;
    };
    const viaEnv = { DATABASE_URL: secretUrl };
    // Read-only commands (and rehearse, which rolls back) side by side; then the runs that change the database, in order.
    const results = await Promise.all([
      run(['status'], 0),
      run(['status', '--json', '--verbose'], 0, viaEnv),
      run(['plan'], 0),
      run(['plan', '--json', '--verbose'], 0, viaEnv),
      run(['rehearse', '--verbose'], 0),
      run(['rehearse', '--json'], 0, viaEnv),
    ]);
    results.push(await run(['up', '--steps', '1', '--verbose'], 0));
    results.push(await run(['up', '--json'], 0, viaEnv));
    // The runs did connect as the role.
    const owners = await t.query<{ applied_by: string }>('SELECT DISTINCT applied_by FROM public.schema_migrations');
    assert.deepEqual(owners, [{ applied_by: ROLE }]);
    results.push(await run(['down'], 0));
    results.push(await run(['down', '--json', '--verbose'], 0, viaEnv));
    assertNoPassword(results);
    assert.deepEqual(await t.versions(), []);
    // The target is shown, with the password masked.
    assert.match(results[0].stdout, new RegExp(`Database: +postgres://${ROLE}:\\*\\*\\*@`));
  });

  it('a failing migration, human and --json, plain and --verbose', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_fails.sql', lines('-- UP', "SELECT current_user, 1/0 AS boom;", '-- DOWN', 'SELECT 1;'));
    const results = await Promise.all([
      t.run(['up', '--url', secretUrl]),
      t.run(['up', '--json', '--verbose'], { DATABASE_URL: secretUrl }),
      t.run(['rehearse', '--json', '--url', secretUrl]),
    ]);
    for (const result of results) {
      assert.equal(result.code, 1, describeRun(result));
      assert.match(output(result), /division by zero/);
    }
    assertNoPassword(results);
  });

  it('a wrong password, and a password that is close to the real one', async () => {
    t.write('001_a.sql', tableMigration('a'));
    const withPassword = (password: string): string => {
      const url = new URL(secretUrl);
      url.password = password;
      return url.toString();
    };
    const results = await Promise.all([
      t.run(['status', '--url', withPassword(`${PASSWORD}-not`)]),
      t.run(['up', '--json'], { DATABASE_URL: withPassword(`${PASSWORD}-not`) }),
      t.run(['plan', '--verbose', '--url', withPassword(PASSWORD.slice(0, -1))]),
    ]);
    for (const result of results) {
      assert.equal(result.code, 1, describeRun(result));
      assert.match(`${result.stdout}${result.stderr}`, new RegExp(`password authentication failed for user \\\\?"${ROLE}\\\\?"`));
    }
    assertNoPassword(results, [PASSWORD, PASSWORD.slice(0, -1)]);
  });

  // A URL without its scheme (`user:password@host/db`, a common slip) parses with "user:" as the scheme,
  // so it is refused without being echoed.
  it('a URL without its postgres:// scheme', async () => {
    t.write('001_a.sql', tableMigration('a'));
    const url = `${ROLE}:${PASSWORD}@127.0.0.1:1/db`;
    const results = await Promise.all([t.run(['status', '--url', url]), t.run(['up', '--json'], { DATABASE_URL: url })]);
    for (const result of results) assert.notEqual(result.code, 0, describeRun(result));
    assertNoPassword(results);
  });

  /** filesUnder lists every file below dir (the project: migrations, strata.json, anything a command wrote). */
  function filesUnder(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
  }

  // Every command, each with and without --json, through the three ways to pass a password, then the
  // error paths; the password must appear in no output and no file the commands wrote.
  it('every command and its --json, via --url, DATABASE_URL and PGPASSWORD, and every error path', async function () {
    this.timeout(180_000);
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_b.sql', tableMigration('b'));
    const url = new URL(secretUrl);
    const forms: Record<string, { args: string[]; env?: Record<string, string> }> = {
      '--url': { args: ['--url', secretUrl] },
      DATABASE_URL: { args: [], env: { DATABASE_URL: secretUrl } },
      PGPASSWORD: { args: [], env: { PGHOST: url.hostname, PGPORT: url.port, PGUSER: ROLE, PGDATABASE: t.db.name, PGPASSWORD: PASSWORD } },
    };
    const results: CliResult[] = [];
    const expect = async (command: string[], form: { args: string[]; env?: Record<string, string> }, codes: number[]): Promise<void> => {
      const result = await t.run([...command, ...form.args], form.env);
      results.push(result);
      assert.ok(codes.includes(result.code ?? -1), `expected exit ${codes.join(' or ')}\n${describeRun(result)}`);
    };
    for (const [name, form] of Object.entries(forms)) {
      for (const json of [[], ['--json']]) {
        await Promise.all([['status'], ['pending'], ['plan'], ['plan', '--down'], ['rehearse'], ['lint', '--drift']].map((c) => expect([...c, ...json], form, [0])));
        await expect(['up', '--steps', '1', ...json], form, [0]);
        await expect(['up', ...json], form, [0]);
        assert.deepEqual(await t.versions(), ['001', '002'], `${name}: up ran as ${ROLE}`);
        await expect(['repair', ...json], form, [0]);
        await expect(['verify', ...json], form, [0]);
        await expect(['down', '--to', '0', ...json], form, [0]);
        await expect(['baseline', '--to', '001', ...json], form, [0]);
        await t.query(`DELETE FROM public.schema_migrations`);
        await expect(['create', 'add things', ...json], form, [0]);
        // The new (empty) migration would stop the next round's runs.
        for (const file of readdirSync(t.project.dir)) if (!/^00[12]_/.test(file)) rmSync(join(t.project.dir, file));
      }
    }
    // Error paths: a wrong password, an unreachable server, bad SQL (syntax and runtime), drift.
    const wrong = new URL(secretUrl);
    wrong.password = `${PASSWORD}x`;
    const unreachable = new URL(secretUrl);
    unreachable.port = '1';
    for (const json of [[], ['--json']]) {
      for (const command of [['status'], ['up'], ['down'], ['plan'], ['rehearse'], ['repair'], ['baseline', '--to', '001'], ['lint', '--drift']]) {
        await expect([...command, ...json], { args: ['--url', wrong.toString()] }, [1]);
        await expect([...command, ...json], { args: [], env: { DATABASE_URL: unreachable.toString() } }, [1]);
      }
    }
    t.write('900_syntax.sql', '-- UP\nSELEC 1;\n-- DOWN\nSELECT 1;\n');
    for (const json of [[], ['--json']]) {
      for (const command of [['up'], ['rehearse'], ['plan'], ['verify'], ['lint']]) await expect([...command, ...json], forms['--url']!, [1, 3]);
    }
    t.write('900_syntax.sql', `-- UP\nSELECT 1/0, '${ROLE}';\n-- DOWN\nSELECT 1;\n`);
    for (const json of [[], ['--json']]) await expect(['up', '--verbose', ...json], forms.DATABASE_URL!, [1]);
    assertNoPassword(results);
    for (const file of filesUnder(t.project.root)) {
      assert.ok(!readFileSync(file, 'utf8').includes(PASSWORD), `${file} holds the password`);
    }
    assert.ok(results.length >= 120, `only ${results.length} runs`);
  });

  it('a connection URL with a password in strata.json is refused, and not repeated', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.config({ url: secretUrl });
    const results = [await t.run(['status']), await t.run(['up', '--json'])];
    for (const result of results) {
      assert.equal(result.code, 2, describeRun(result));
      assert.match(output(result), /strata\.json: `url` holds a connection URL; strata\.json is meant to be committed and must not name databases or hold passwords/);
    }
    assertNoPassword(results);
  });
});
