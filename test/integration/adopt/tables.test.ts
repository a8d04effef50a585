/**
 * Other tools' tracking tables, created with the exact DDL each tool runs and filled as the tool
 * would after applying some migrations: Strata's status matches, and after `strata up` the rows are
 * what the tool itself would have written (same columns, value formats and checksums).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flywayChecksum } from '../../../src/core/foreignChecksum';
import { describeRun, parseJson } from '../../support/cli';
import { useCliCase, type StatusJson } from '../cli/harness';

describe("adopting other tools' tracking tables", () => {
  const t = useCliCase();

  const states = async (): Promise<string[][]> => {
    const status = await t.run(['status', '--json', '--url', t.url]);
    return parseJson<StatusJson>(status).migrations.map((m) => [m.version, m.state]);
  };
  const up = async (...args: string[]): Promise<void> => {
    const result = await t.run(['up', '--url', t.url, ...args]);
    assert.equal(result.code, 0, describeRun(result));
  };

  describe('golang-migrate', () => {
    const ddl = 'CREATE TABLE IF NOT EXISTS "schema_migrations" (version bigint not null primary key, dirty boolean not null)';

    it('counts every file up to the single version row as applied; up and down move that row as golang-migrate does', async () => {
      t.write('1_users.up.sql', 'CREATE TABLE users (id int);');
      t.write('1_users.down.sql', 'DROP TABLE users;');
      t.write('2_posts.up.sql', 'CREATE TABLE posts (id int);');
      t.write('2_posts.down.sql', 'DROP TABLE posts;');
      t.write('3_tags.up.sql', 'CREATE TABLE tags (id int);');
      t.write('3_tags.down.sql', 'DROP TABLE tags;');
      await t.query(ddl);
      await t.query('CREATE TABLE users (id int); CREATE TABLE posts (id int)');
      await t.query('INSERT INTO schema_migrations (version, dirty) VALUES (2, false)');
      assert.deepEqual(await states(), [['1', 'applied'], ['2', 'applied'], ['3', 'pending']]);

      await up();
      assert.deepEqual(await t.query('SELECT version::text, dirty FROM schema_migrations'), [{ version: '3', dirty: false }]);
      const down = await t.run(['down', '--steps', '2', '--url', t.url]);
      assert.equal(down.code, 0, describeRun(down));
      assert.deepEqual(await t.query('SELECT version::text, dirty FROM schema_migrations'), [{ version: '1', dirty: false }]);
      assert.equal(await t.exists('posts'), false);
      const all = await t.run(['down', '--url', t.url]);
      assert.equal(all.code, 0, describeRun(all));
      assert.deepEqual(await t.query('SELECT * FROM schema_migrations'), []);
    });

    it('shows a dirty version as failed, and refuses to write until `migrate force`', async () => {
      t.write('1_users.up.sql', 'CREATE TABLE users (id int);');
      t.write('2_posts.up.sql', 'CREATE TABLE posts (id int);');
      await t.query(ddl);
      await t.query('INSERT INTO schema_migrations (version, dirty) VALUES (1, true)');
      assert.deepEqual(await states(), [['1', 'failed'], ['2', 'pending']]);
      const result = await t.run(['up', '--url', t.url]);
      assert.equal(result.code, 1, describeRun(result));
      assert.match(result.stderr, /golang-migrate marks version 1 dirty/);
      assert.equal(await t.exists('posts'), false);
      assert.deepEqual(await t.query('SELECT version::text, dirty FROM schema_migrations'), [{ version: '1', dirty: true }]);
    });
  });

  describe('Flyway', () => {
    // flyway-core's createMetaDataTable.sql for PostgreSQL.
    const ddl = `CREATE TABLE "public"."flyway_schema_history" (
        "installed_rank" INT NOT NULL,
        "version" VARCHAR(50),
        "description" VARCHAR(200) NOT NULL,
        "type" VARCHAR(20) NOT NULL,
        "script" VARCHAR(1000) NOT NULL,
        "checksum" INTEGER,
        "installed_by" VARCHAR(100) NOT NULL,
        "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
        "execution_time" INTEGER NOT NULL,
        "success" BOOLEAN NOT NULL
      );
      ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
      CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");`;
    const v1 = 'CREATE TABLE person (\r\n  id int\r\n);\r\n';
    const v11 = 'ALTER TABLE person ADD COLUMN name text;\n';
    const v2 = 'CREATE TABLE tag (id int);\n';

    /** flywayProject lays out db/migration as Flyway expects, with V1 and V1_1 applied by "Flyway". */
    async function flywayProject(): Promise<void> {
      rmSync(t.project.dir, { recursive: true });
      const dir = join(t.project.root, 'src', 'main', 'resources', 'db', 'migration');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'V1__Create_person.sql'), v1);
      writeFileSync(join(dir, 'V1_1__Add_name.sql'), v11);
      writeFileSync(join(dir, 'V2__Add_tag.sql'), v2);
      writeFileSync(join(dir, 'R__person_view.sql'), 'CREATE OR REPLACE VIEW person_v AS SELECT * FROM person;\n');
      await t.query(ddl);
      await t.query('CREATE TABLE person (id int, name text)');
      await t.query(
        `INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES
           (1, '1', 'Create person', 'SQL', 'V1__Create_person.sql', $1, 'postgres', 12, true),
           (2, '1.1', 'Add name', 'SQL', 'V1_1__Add_name.sql', $2, 'postgres', 3, true),
           (3, NULL, 'person view', 'SQL', 'R__person_view.sql', 12345, 'postgres', 1, true)`,
        [flywayChecksum(v1), flywayChecksum(v11)],
      );
    }

    it('finds src/main/resources/db/migration and the history table; up records the row Flyway would write', async () => {
      await flywayProject();
      const status = await t.run(['status', '--json', '--url', t.url]);
      assert.equal(status.code, 0, describeRun(status));
      assert.deepEqual(parseJson<StatusJson>(status).migrations.map((m) => [m.version, m.state]), [['1', 'applied'], ['1.1', 'applied'], ['2', 'pending'], ['', 'invalid']]);

      await up();
      const [row] = await t.query<Record<string, unknown>>(
        "SELECT installed_rank, version, description, type, script, checksum, installed_by = current_user AS by_me, execution_time >= 0 AS timed, success FROM flyway_schema_history WHERE version = '2'",
      );
      assert.deepEqual(row, { installed_rank: 4, version: '2', description: 'Add tag', type: 'SQL', script: 'V2__Add_tag.sql', checksum: flywayChecksum(v2), by_me: true, timed: true, success: true });
      assert.equal(await t.exists('person_v'), false, 'the repeatable migration is left to Flyway');
    });

    it('shows an edited file as drifted (line endings alone are not), refuses down, and shows failed rows', async () => {
      await flywayProject();
      const dir = join(t.project.root, 'src', 'main', 'resources', 'db', 'migration');
      writeFileSync(join(dir, 'V1__Create_person.sql'), v1.replace(/\r\n/g, '\n'));
      writeFileSync(join(dir, 'V1_1__Add_name.sql'), 'ALTER TABLE person ADD COLUMN name varchar(100);\n');
      assert.deepEqual((await states()).slice(0, 2), [['1', 'applied'], ['1.1', 'drifted']]);

      const before = await t.query('SELECT * FROM flyway_schema_history ORDER BY installed_rank');
      const down = await t.run(['down', '--url', t.url]);
      assert.equal(down.code, 1, describeRun(down));
      assert.match(down.stderr, /belongs to Flyway, and Strata only reads it here: Flyway records a rollback as an extra UNDO_SQL row/);
      assert.deepEqual(await t.query('SELECT * FROM flyway_schema_history ORDER BY installed_rank'), before);

      await t.query("UPDATE flyway_schema_history SET success = false WHERE version = '1.1'");
      assert.deepEqual((await states()).slice(0, 2), [['1', 'applied'], ['1.1', 'failed']]);
      const blocked = await t.run(['up', '--url', t.url]);
      assert.equal(blocked.code, 1, describeRun(blocked));
      assert.match(blocked.stderr, /flyway repair/);
    });

    it('a failing migration records nothing in Flyway\'s table (the row is written in its transaction)', async () => {
      await flywayProject();
      writeFileSync(join(t.project.root, 'src', 'main', 'resources', 'db', 'migration', 'V2__Add_tag.sql'), 'CREATE TABLE tag (id int);\nSELECT 1/0;\n');
      const before = await t.query('SELECT * FROM flyway_schema_history ORDER BY installed_rank');
      const result = await t.run(['up', '--url', t.url]);
      assert.equal(result.code, 1, describeRun(result));
      assert.match(result.stderr, /V2__Add_tag\.sql:2:1/);
      assert.deepEqual(await t.query('SELECT * FROM flyway_schema_history ORDER BY installed_rank'), before);
      assert.equal(await t.exists('tag'), false);
    });

    it('repair stores the checksum Flyway would compute for the edited file', async () => {
      await flywayProject();
      const edited = 'ALTER TABLE person ADD COLUMN name varchar(100);\n';
      writeFileSync(join(t.project.root, 'src', 'main', 'resources', 'db', 'migration', 'V1_1__Add_name.sql'), edited);
      const repair = await t.run(['repair', '--url', t.url]);
      assert.equal(repair.code, 0, describeRun(repair));
      assert.deepEqual(await t.query("SELECT checksum FROM flyway_schema_history WHERE version = '1.1'"), [{ checksum: flywayChecksum(edited) }]);
    });
  });

  describe('Prisma', () => {
    // What `prisma migrate deploy` creates on PostgreSQL.
    const ddl = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`;
    const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
    const init = '-- CreateTable\nCREATE TABLE "User" ("id" SERIAL NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n';
    const email = '-- AlterTable\nALTER TABLE "User" ADD COLUMN "email" TEXT;\n';
    const post = '-- CreateTable\nCREATE TABLE "Post" ("id" SERIAL NOT NULL);\n';

    async function prismaProject(): Promise<string> {
      rmSync(t.project.dir, { recursive: true });
      const dir = join(t.project.root, 'prisma', 'migrations');
      for (const [name, sql] of [['20240101000000_init', init], ['20240102000000_email', email], ['20240103000000_post', post]] as const) {
        mkdirSync(join(dir, name), { recursive: true });
        writeFileSync(join(dir, name, 'migration.sql'), sql);
      }
      writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
      await t.query(ddl);
      await t.query(init);
      await t.query(
        `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count, rolled_back_at) VALUES
           ('0b6a7f0e-0c57-4f3a-9d3c-1c2f9b1e0a01', $1, now(), '20240101000000_init', now(), 1, NULL),
           ('0b6a7f0e-0c57-4f3a-9d3c-1c2f9b1e0a02', $2, NULL, '20240102000000_email', now(), 0, now())`,
        [sha(init), sha(email)],
      );
      return dir;
    }

    it('finds prisma/migrations, ignores rolled-back rows, and records an apply as prisma migrate deploy does', async () => {
      await prismaProject();
      assert.deepEqual(await states(), [['20240101000000', 'applied'], ['20240102000000', 'pending'], ['20240103000000', 'pending']]);
      await up();
      const rows = await t.query<Record<string, unknown>>(
        `SELECT migration_name, checksum, finished_at >= started_at AS finished, applied_steps_count, logs, rolled_back_at,
                id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS uuid
           FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY migration_name`,
      );
      assert.deepEqual(rows.slice(1), [
        { migration_name: '20240102000000_email', checksum: sha(email), finished: true, applied_steps_count: 1, logs: null, rolled_back_at: null, uuid: true },
        { migration_name: '20240103000000_post', checksum: sha(post), finished: true, applied_steps_count: 1, logs: null, rolled_back_at: null, uuid: true },
      ]);
      const down = await t.run(['down', '--url', t.url]);
      assert.equal(down.code, 1, describeRun(down));
    });

    it('shows an unfinished row as failed, and a CRLF checkout of the same file as applied', async () => {
      const dir = await prismaProject();
      writeFileSync(join(dir, '20240101000000_init', 'migration.sql'), init.replace(/\n/g, '\r\n'));
      await t.query("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ('0b6a7f0e-0c57-4f3a-9d3c-1c2f9b1e0a03', $1, '20240102000000_email', now())", [sha(email)]);
      assert.deepEqual(await states(), [['20240101000000', 'applied'], ['20240102000000', 'failed'], ['20240103000000', 'pending']]);
      const blocked = await t.run(['up', '--url', t.url]);
      assert.equal(blocked.code, 1, describeRun(blocked));
      assert.match(blocked.stderr, /prisma migrate resolve/);
    });
  });

  describe('hand-made runners', () => {
    it('schema_migrations(id, name, applied_at): keyed by the timestamp, new rows named like the old ones', async () => {
      t.write('20240101000000_users.sql', 'CREATE TABLE users (id int);\n');
      t.write('20240102000000_posts.sql', 'CREATE TABLE posts (id int);\n');
      await t.query('CREATE TABLE schema_migrations (id varchar(14) PRIMARY KEY, name varchar(255) NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      await t.query("INSERT INTO schema_migrations (id, name) VALUES ('20240101000000', '20240101000000_users.sql')");
      assert.deepEqual(await states(), [['20240101000000', 'applied'], ['20240102000000', 'pending']]);
      await up();
      assert.deepEqual(await t.query('SELECT id, name FROM schema_migrations ORDER BY id'), [
        { id: '20240101000000', name: '20240101000000_users.sql' },
        { id: '20240102000000', name: '20240102000000_posts.sql' },
      ]);
    });

    it('schema_migrations(version, ..., checksum): MD5 of the whole file; an edit is drift', async () => {
      const users = '-- Migration: users\nCREATE TABLE users (id int);\n';
      const posts = 'CREATE TABLE posts (id int);\n';
      t.write('001_users.sql', users);
      t.write('002_posts.sql', posts);
      await t.query(`CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY, name VARCHAR(255) NOT NULL,
        applied_at TIMESTAMP NOT NULL DEFAULT NOW(), execution_time_ms INTEGER, checksum VARCHAR(32))`);
      await t.query("INSERT INTO schema_migrations (version, name, execution_time_ms, checksum) VALUES ('001', 'users', 4, md5($1))", [users]);
      assert.deepEqual(await states(), [['001', 'applied'], ['002', 'pending']]);
      await up();
      const [row] = await t.query<Record<string, unknown>>("SELECT name, checksum, execution_time_ms >= 0 AS timed FROM schema_migrations WHERE version = '002'");
      assert.deepEqual(row, { name: 'posts', checksum: createHash('md5').update(posts).digest('hex'), timed: true });
      t.write('001_users.sql', users.replace('int', 'bigint'));
      assert.deepEqual(await states(), [['001', 'drifted'], ['002', 'applied']]);
    });

    it('migration_history: keyed by file name; a success=false row is failed and the next up retries it', async () => {
      t.write('001_users.sql', 'CREATE TABLE users (id int);\n');
      t.write('002_posts.sql', 'CREATE TABLE posts (id int);\n');
      await t.query(`CREATE TABLE migration_history (id SERIAL PRIMARY KEY, migration_name VARCHAR(255) NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), applied_by VARCHAR(255), execution_time_ms INTEGER,
        success BOOLEAN NOT NULL DEFAULT TRUE, error_message TEXT)`);
      await t.query("INSERT INTO migration_history (migration_name, applied_by, execution_time_ms, success) VALUES ('001_users.sql', 'deploy', 5, true)");
      await t.query("INSERT INTO migration_history (migration_name, applied_by, execution_time_ms, success, error_message) VALUES ('002_posts.sql', 'deploy', 1, false, 'relation exists')");
      assert.deepEqual(await states(), [['001', 'applied'], ['002', 'failed']]);
      await up();
      assert.deepEqual(await states(), [['001', 'applied'], ['002', 'applied']]);
      const rows = await t.query<Record<string, unknown>>('SELECT migration_name, success, applied_by = current_user AS by_me FROM migration_history ORDER BY id');
      assert.deepEqual(rows.at(-1), { migration_name: '002_posts.sql', success: true, by_me: true });
    });

    it('migrations(name): keyed by file name, written and removed as such', async () => {
      t.write('001_users.sql', '-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE users;\n');
      t.write('002_posts.sql', '-- UP\nCREATE TABLE posts (id int);\n-- DOWN\nDROP TABLE posts;\n');
      await t.query('CREATE TABLE migrations (name text PRIMARY KEY)');
      await t.query("INSERT INTO migrations VALUES ('001_users.sql')");
      assert.deepEqual(await states(), [['001', 'applied'], ['002', 'pending']]);
      await up();
      assert.deepEqual(await t.query('SELECT name FROM migrations ORDER BY name'), [{ name: '001_users.sql' }, { name: '002_posts.sql' }]);
      const down = await t.run(['down', '--url', t.url]);
      assert.equal(down.code, 0, describeRun(down));
      assert.deepEqual(await t.query('SELECT name FROM migrations ORDER BY name'), [{ name: '001_users.sql' }]);
      assert.equal(await t.exists('public.schema_migrations'), false);
    });
  });

  describe('the history setting', () => {
    it('"history": "flyway" without its table: status shows all pending, up refuses and creates nothing', async () => {
      t.write('001_users.sql', 'CREATE TABLE users (id int);\n');
      t.config({ history: 'flyway' });
      assert.deepEqual(await states(), [['001', 'pending']]);
      const catalog = await t.catalog();
      const result = await t.run(['up', '--url', t.url]);
      assert.equal(result.code, 1, describeRun(result));
      assert.match(result.stderr, /strata\.json sets "history": "flyway", but public\.flyway_schema_history does not exist/);
      assert.equal(await t.catalog(), catalog);
    });

    it('"history": "strata" keeps Strata\'s table even when another tool\'s table is there', async () => {
      t.write('001_users.sql', 'CREATE TABLE users (id int);\n');
      await t.query('CREATE TABLE pgmigrations (id serial PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)');
      await t.query("INSERT INTO pgmigrations (name, run_on) VALUES ('001_users', now())");
      assert.deepEqual(await states(), [['001', 'applied']]);
      t.config({ history: 'strata' });
      assert.deepEqual(await states(), [['001', 'pending']]);
      await up();
      assert.deepEqual(await t.versions(), ['001']);
    });
  });
});
