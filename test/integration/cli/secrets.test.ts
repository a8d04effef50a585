/**
 * Passwords never reach the terminal: with a known password in the connection URL (or DATABASE_URL),
 * no command's stdout or stderr contains it, whether it succeeds, fails in a migration, or cannot log in.
 */
import assert from 'node:assert/strict';
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
    await asAdmin(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
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
});
