/**
 * `strata verify --url`: borrows a temporary database on the configured server, applies everything, rolls
 * everything back, applies again, and reports DOWNs that do not undo their UP. The user's database
 * itself is never touched, and the temporary database is dropped.
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { describeRun, output, parseJson } from '../../support/cli';
import { adminUrl } from '../../support/postgres';
import { migration, tableMigration, useCliCase, type VerifyJson } from './harness';

async function scratchDatabases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl(), application_name: 'strata-tests' });
  await client.connect();
  try {
    const result = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'strata\\_verify\\_%' ORDER BY 1`);
    return result.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

describe('CLI verify', () => {
  const t = useCliCase();

  it('exits 3 and names the migration whose DOWN forgets a column, with the column among its objects', async () => {
    t.write('001_users.sql', tableMigration('users'));
    t.write('002_add_email.sql', migration('ALTER TABLE users ADD COLUMN email text;', 'SELECT 1; -- forgot to drop the column'));
    t.write('003_posts.sql', tableMigration('posts'));
    const before = await t.catalog();
    const scratchBefore = await scratchDatabases();
    const result = await t.run(['verify', '--json', '--url', t.url]);
    assert.equal(result.code, 3, describeRun(result));
    const body = parseJson<VerifyJson>(result);
    assert.equal(body.checked, 3);
    assert.deepEqual(body.problems.map((p) => [p.version, p.file]), [['002', 'migrations/002_add_email.sql']]);
    assert.match(body.problems[0]!.problem, /DOWN does not undo UP/);
    assert.ok(body.problems[0]!.objects.includes('column public.users.email'), JSON.stringify(body.problems[0]));

    const human = await t.run(['verify', '--url', t.url]);
    assert.equal(human.code, 3, describeRun(human));
    assert.match(human.stdout, /migrations\/002_add_email\.sql: DOWN does not undo UP\n\s+column public\.users\.email/);

    // The user's database: untouched. The scratch databases: gone.
    assert.equal(await t.catalog(), before);
    assert.equal(await t.exists('public.schema_migrations'), false);
    assert.equal(await t.exists('users'), false);
    assert.deepEqual(await scratchDatabases(), scratchBefore);
  });

  it('exits 0 on a project whose DOWNs undo their UPs, with checked equal to the number of migrations', async () => {
    t.write('001_users.sql', tableMigration('users'));
    t.write('002_add_email.sql', migration('ALTER TABLE users ADD COLUMN email text;\nCREATE INDEX users_email ON users (email);', 'DROP INDEX users_email;\nALTER TABLE users DROP COLUMN email;'));
    t.write('003_posts.sql', tableMigration('posts'));
    t.write('004_tags.sql', tableMigration('tags'));
    const result = await t.run(['verify', '--json', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    const body = parseJson<VerifyJson>(result);
    assert.deepEqual([body.checked, body.problems], [4, []]);
    assert.ok(!output(result).includes(new URL(t.url).password), 'the password was printed');
    assert.equal(await t.exists('public.schema_migrations'), false);
    assert.equal(await t.exists('users'), false);
  });
});

describe('CLI verify without a database', () => {
  const t = useCliCase();

  it('starts an embedded PostgreSQL when no database is configured, and finds the same problem', async () => {
    t.write('001_users.sql', tableMigration('users'));
    t.write('002_add_email.sql', migration('ALTER TABLE users ADD COLUMN email text;', 'SELECT 1;'));
    const result = await t.run(['verify', '--json']);
    assert.equal(result.code, 3, describeRun(result));
    const body = parseJson<VerifyJson & { scratch: string }>(result);
    assert.match(body.scratch, /^embedded PostgreSQL \d+$/);
    assert.deepEqual(body.problems.map((p) => p.version), ['002']);
    assert.equal(result.stderr.trim(), '', 'no warnings meant for real runs');
  });
});
