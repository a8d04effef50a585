import assert from 'node:assert/strict';
import pg from 'pg';
import { connect } from '../../../src/core/db';
import { discoverMigrations } from '../../../src/core/discover';
import { silentLogger } from '../../../src/core/logger';
import { loadParser } from '../../../src/core/sql/parser';
import { verifyMigrations } from '../../../src/core/verify';
import { freshDatabase, type TestDatabase } from '../../support/postgres';
import { lines, makeProject, type TestProject } from '../../support/project';

describe('verify (scratch database)', () => {
  let db: TestDatabase;
  let project: TestProject | undefined;

  before(loadParser);
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(async () => {
    await db.drop();
    project?.remove();
    project = undefined;
  });

  async function verify(files: Record<string, string>) {
    project = makeProject(files);
    const set = await discoverMigrations(project.dir);
    return verifyMigrations(set, { target: { url: db.url, source: 'test' }, schema: 'public', table: 'schema_migrations', logger: silentLogger });
  }

  async function databasesNamedLikeScratch(): Promise<string[]> {
    const client: pg.Client = await connect({ url: db.url, source: 'test' });
    try {
      const result = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'strata_verify_%'");
      return result.rows.map((row) => row.datname);
    } finally {
      await client.end();
    }
  }

  it('passes migrations whose DOWN undoes their UP, and leaves no scratch database behind', async () => {
    const result = await verify({
      '001_users.sql': lines('-- UP', 'CREATE TABLE users (id int PRIMARY KEY, email text);', 'CREATE INDEX users_email ON users (email);', '-- DOWN', 'DROP TABLE users;'),
      '002_mood.sql': lines('-- UP', "CREATE TYPE mood AS ENUM ('ok', 'sad');", 'ALTER TABLE users ADD COLUMN mood mood;', '-- DOWN', 'ALTER TABLE users DROP COLUMN mood;', 'DROP TYPE mood;'),
    });
    assert.deepEqual(result.problems, []);
    assert.equal(result.checked, 2);
    assert.match(result.scratch, /temporary database strata_verify_/);
    assert.deepEqual(await databasesNamedLikeScratch(), []);
  });

  it('names the migration whose DOWN forgets an object, and the objects left behind', async () => {
    const result = await verify({
      '001_users.sql': lines('-- UP', 'CREATE TABLE users (id int PRIMARY KEY);', '-- DOWN', 'DROP TABLE users;'),
      '002_email.sql': lines('-- UP', 'ALTER TABLE users ADD COLUMN email text;', 'CREATE INDEX users_email ON users (email);', '-- DOWN', 'DROP INDEX users_email;'),
      '003_fine.sql': lines('-- UP', 'CREATE TABLE audit (id int);', '-- DOWN', 'DROP TABLE audit;'),
    });
    assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
    const [problem] = result.problems;
    assert.equal(problem!.version, '002');
    assert.equal(problem!.problem, 'DOWN does not undo UP');
    assert.ok(problem!.objects.some((object) => object.includes('users') && object.includes('email')), problem!.objects.join(', '));
    assert.ok(!problem!.objects.some((object) => object.includes('audit')));
  });

  it('reports a DOWN that changes more than its UP did (a default changed and not restored)', async () => {
    const result = await verify({
      '001_t.sql': lines('-- UP', "CREATE TABLE t (id int, status text DEFAULT 'new');", '-- DOWN', 'DROP TABLE t;'),
      '002_default.sql': lines('-- UP', "ALTER TABLE t ALTER COLUMN status SET DEFAULT 'draft';", '-- DOWN', 'ALTER TABLE t ALTER COLUMN status DROP DEFAULT;'),
    });
    assert.deepEqual(result.problems.map((p) => p.version), ['002']);
  });

  it('stops rolling back at the newest forward-only migration and says so', async () => {
    const result = await verify({
      '001_a.sql': lines('-- UP', 'CREATE TABLE a (id int);', '-- DOWN', 'DROP TABLE a;'),
      '002_forward.sql': 'CREATE TABLE b (id int);\n',
      '003_c.sql': lines('-- UP', 'CREATE TABLE c (id int);', '-- DOWN', 'DROP TABLE c;'),
    });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.forwardOnly, ['002']);
  });

  it('reports an UP that fails on an empty database', async () => {
    const result = await verify({ '001_bad.sql': lines('-- UP', 'ALTER TABLE missing ADD COLUMN x int;', '-- DOWN', 'SELECT 1;') });
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0]!.problem, /^UP failed: .*missing/);
  });
});
