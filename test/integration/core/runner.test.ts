import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { connect } from '../../../src/core/db';
import { discoverMigrations } from '../../../src/core/discover';
import { HistoryTable } from '../../../src/core/history';
import { migrateDown, migrateUp } from '../../../src/core/runner';
import { loadParser } from '../../../src/core/sql/parser';
import { silentLogger } from '../../../src/core/logger';
import type { RunContext } from '../../../src/core/context';
import { StrataError } from '../../../src/core/errors';
import { lockKeyFor } from '../../../src/core/lock';
import { freshDatabase, type TestDatabase } from '../../support/postgres';
import { lines, makeProject, type TestProject } from '../../support/project';

for (const pipeline of [false, true])
describe(`runner (real PostgreSQL${pipeline ? ', pipelined session' : ''})`, () => {
  let db: TestDatabase;
  let client: pg.Client;
  let project: TestProject | undefined;

  before(loadParser);
  beforeEach(async () => {
    db = await freshDatabase();
    client = await connect({ url: db.url, source: 'test' }, { pipeline });
  });
  afterEach(async () => {
    await client.end();
    await db.drop();
    project?.remove();
    project = undefined;
  });

  function context(overrides: Partial<RunContext> = {}): RunContext {
    return { client, history: new HistoryTable('public', 'schema_migrations'), logger: silentLogger, lockTimeoutMs: 5_000, statementTimeoutMs: null, ...overrides };
  }

  async function setOf(files: Record<string, string>) {
    project = makeProject(files);
    return discoverMigrations(project.dir);
  }

  async function exists(relation: string): Promise<boolean> {
    const result = await client.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [relation]);
    return result.rows[0]!.r !== null;
  }

  async function historyVersions(): Promise<string[]> {
    const result = await client.query<{ version: string }>('SELECT version FROM public.schema_migrations ORDER BY version');
    return result.rows.map((row) => row.version);
  }

  it('applies pending migrations in version order and records each with checksum, script, time and user', async () => {
    const set = await setOf({
      '20240115120000_create_users.sql': lines('-- Migration: Create users', '-- UP', 'CREATE TABLE users (id int PRIMARY KEY);', '-- DOWN', 'DROP TABLE users;'),
      '20240116090000_add_email.sql': lines('-- UP', 'ALTER TABLE users ADD COLUMN email text;', '-- DOWN', 'ALTER TABLE users DROP COLUMN email;'),
    });
    const result = await migrateUp(context(), set);
    assert.equal(result.error, null);
    assert.deepEqual(result.migrations.map((m) => m.version), ['20240115120000', '20240116090000']);
    const rows = await client.query<{ name: string; checksum: string; script: string; applied_by: string; applied_at: Date }>(
      'SELECT version, name, checksum, script, applied_by, execution_ms, applied_at FROM public.schema_migrations ORDER BY version',
    );
    assert.equal(rows.rows.length, 2);
    assert.equal(rows.rows[0]!.name, 'create_users');
    assert.equal(rows.rows[0]!.checksum, set.migrations[0]!.checksum);
    assert.match(rows.rows[0]!.checksum, /^[0-9a-f]{64}$/);
    assert.equal(rows.rows[0]!.script, 'CREATE TABLE users (id int PRIMARY KEY);\n');
    assert.equal(typeof rows.rows[0]!.applied_by, 'string');
    assert.ok(rows.rows[0]!.applied_at instanceof Date);
    assert.ok(await exists('users'));
  });

  it('records the UP text exactly, whatever quotes, backslashes, $n, dollar quotes, comments and unicode it holds', async () => {
    const up = [
      "CREATE TABLE odd (v text DEFAULT 'it''s \\ $1 ?');",
      "COMMENT ON TABLE odd IS E'tab\\there \\'quoted\\' é 🚀';",
      'CREATE FUNCTION odd_f() RETURNS text LANGUAGE sql AS $fn$ SELECT $$-- not a comment$$ $fn$;',
      '/* a trailing comment; with a ; */ -- and a line comment without a newline at the end',
    ].join('\n');
    const set = await setOf({ '001_odd.sql': `-- UP\n${up}` });
    const result = await migrateUp(context(), set);
    assert.equal(result.error, null);
    const rows = await client.query<{ name: string; script: string; checksum: string }>('SELECT name, script, checksum FROM public.schema_migrations');
    assert.deepEqual(rows.rows, [{ name: 'odd', script: up, checksum: set.migrations[0]!.checksum }]);
    const comment = await client.query<{ c: string }>("SELECT obj_description('odd'::regclass) AS c");
    assert.equal(comment.rows[0]!.c, "tab\there 'quoted' é 🚀");
  });

  it('records every migration of a run in which one deallocates all prepared statements (the tracking row is prepared once per session)', async () => {
    const set = await setOf({
      '001_a.sql': 'CREATE TABLE dealloc_a (id int);\n',
      '002_b.sql': lines('DEALLOCATE ALL;', 'CREATE TABLE dealloc_b (id int);'),
      '003_c.sql': 'CREATE TABLE dealloc_c (id int);\n',
    });
    const result = await migrateUp(context(), set);
    assert.equal(result.error, null);
    assert.deepEqual(await historyVersions(), ['001', '002', '003']);
    assert.ok(await exists('dealloc_c'));
  });

  it('a failing tracking row (a deferred constraint that fails at COMMIT) leaves the migration unapplied', async () => {
    const set = await setOf({
      '001_deferred.sql': lines(
        'CREATE TABLE parent (id int PRIMARY KEY);',
        'CREATE TABLE child (p int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);',
        'INSERT INTO child VALUES (42);',
      ),
    });
    const result = await migrateUp(context(), set);
    assert.deepEqual(result.migrations, []);
    assert.equal(result.error?.sqlstate, '23503');
    assert.deepEqual(await historyVersions(), []);
    assert.equal(await exists('parent'), false);
  });

  it('a migration that fails halfway leaves no history row and no partial schema, and later ones are not attempted', async () => {
    const set = await setOf({
      '001_ok.sql': 'CREATE TABLE first_one (id int);\n',
      '002_fails.sql': lines('CREATE TABLE half_a (id int);', 'CREATE TABLE half_b (id int);', 'SELECT 1/0;'),
      '003_later.sql': 'CREATE TABLE later (id int);\n',
    });
    const result = await migrateUp(context(), set);
    assert.deepEqual(result.migrations.map((m) => m.version), ['001']);
    assert.equal(result.error?.version, '002');
    assert.equal(result.error?.sqlstate, '22012');
    assert.deepEqual(await historyVersions(), ['001']);
    assert.equal(await exists('half_a'), false);
    assert.equal(await exists('half_b'), false);
    assert.equal(await exists('later'), false);
  });

  it("keeps a file that carries its own BEGIN/COMMIT atomic: a failure after its COMMIT rolls back everything", async () => {
    const set = await setOf({
      '001_wrapped.sql': lines('BEGIN;', 'CREATE TABLE wrapped_a (id int);', 'COMMIT;', 'CREATE TABLE wrapped_b (id int);', 'SELECT 1/0;'),
    });
    const result = await migrateUp(context(), set);
    assert.equal(result.error?.line, 5);
    assert.equal(await exists('wrapped_a'), false);
    assert.equal(await exists('wrapped_b'), false);
    assert.equal(await exists('public.schema_migrations') && (await historyVersions()).length, 0);
  });

  it('records nothing when the migration fails only at COMMIT (a deferred constraint)', async () => {
    const set = await setOf({
      '001_deferred.sql': lines(
        'CREATE TABLE parent (id int PRIMARY KEY);',
        'CREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);',
        'INSERT INTO child VALUES (42);',
      ),
    });
    const result = await migrateUp(context(), set);
    assert.equal(result.error?.sqlstate, '23503');
    assert.equal(result.error?.file, set.migrations[0]!.file);
    assert.equal(await exists('parent'), false);
    assert.equal(await exists('public.schema_migrations') && (await historyVersions()).length, 0);
  });

  it('records how long the migration ran, measured by the server', async () => {
    const set = await setOf({ '001_slow.sql': 'SELECT pg_sleep(0.2);\n' });
    await migrateUp(context(), set);
    const rows = await client.query<{ execution_ms: number }>('SELECT execution_ms FROM public.schema_migrations');
    assert.ok(rows.rows[0]!.execution_ms >= 200 && rows.rows[0]!.execution_ms < 5000, String(rows.rows[0]!.execution_ms));
  });

  it('applies a file wrapped in BEGIN/COMMIT and records it', async () => {
    const set = await setOf({ '001_wrapped.sql': lines('BEGIN;', 'CREATE TABLE wrapped (id int);', 'COMMIT;') });
    const result = await migrateUp(context(), set);
    assert.equal(result.error, null);
    assert.deepEqual(await historyVersions(), ['001']);
    assert.ok(await exists('wrapped'));
  });

  it('runs CREATE INDEX CONCURRENTLY outside a transaction, says so, and records it', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    const set = await setOf({
      '001_table.sql': 'CREATE TABLE items (id int, name text);\n',
      '002_index.sql': lines('-- UP', 'CREATE INDEX CONCURRENTLY items_name_idx ON items (name);', '-- DOWN', 'DROP INDEX CONCURRENTLY items_name_idx;'),
    });
    const result = await migrateUp(context({ logger }), set);
    assert.equal(result.error, null);
    assert.equal(result.migrations[1]!.transactional, false);
    assert.ok(await exists('items_name_idx'));
    assert.ok(warnings.some((w) => w.includes('not atomic') && w.includes('CREATE INDEX CONCURRENTLY')), warnings.join('\n'));
    const down = await migrateDown(context(), set);
    assert.equal(down.error, null);
    assert.equal(await exists('items_name_idx'), false);
  });

  it('records a migration run outside a transaction under synchronous_commit = on where the database turns it off', async () => {
    await client.query(`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END $$`);
    const session = await connect({ url: db.url, source: 'test' }, { pipeline });
    try {
      assert.equal((await session.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit, 'off');
      const set = await setOf({
        '001_table.sql': lines('-- UP', 'CREATE TABLE items (id int, name text);', '-- DOWN', 'DROP TABLE items;'),
        '002_index.sql': lines('-- UP', 'CREATE INDEX CONCURRENTLY items_name_idx ON items (name);', '-- DOWN', 'DROP INDEX CONCURRENTLY items_name_idx;'),
        '003_column.sql': lines('-- UP', 'ALTER TABLE items ADD COLUMN note text;', '-- DOWN', 'ALTER TABLE items DROP COLUMN note;'),
      });
      assert.equal((await migrateUp(context({ client: session }), set, { to: '001' })).error, null);
      // What each tracking row's transaction commits under, seen at its COMMIT by a deferred trigger.
      await client.query(`CREATE TABLE commit_settings (version text, synchronous_commit text)`);
      await client.query(`CREATE FUNCTION note_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO commit_settings VALUES (NEW.version, current_setting('synchronous_commit')); RETURN NULL; END $$`);
      await client.query(`CREATE CONSTRAINT TRIGGER note_commit AFTER INSERT ON public.schema_migrations DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION note_commit()`);
      // The run's last migration runs outside a transaction: its row's commit is the run's flush.
      const index = await migrateUp(context({ client: session }), set, { to: '002' });
      assert.equal(index.error, null);
      assert.equal(index.migrations[0]!.transactional, false);
      assert.deepEqual(index.unconfirmed, []);
      assert.equal((await migrateUp(context({ client: session }), set)).error, null);
      const seen = await client.query<{ version: string; synchronous_commit: string }>('SELECT version, synchronous_commit FROM commit_settings ORDER BY version');
      assert.deepEqual(seen.rows, [
        { version: '002', synchronous_commit: 'on' },
        { version: '003', synchronous_commit: 'on' },
      ]);
      assert.deepEqual(await historyVersions(), ['001', '002', '003']);
    } finally {
      await session.end();
    }
  });

  it('names the INVALID index a failed CREATE INDEX CONCURRENTLY leaves, says what to do, and records nothing', async () => {
    const set = await setOf({
      '001_table.sql': lines('CREATE TABLE dupes (email text);', "INSERT INTO dupes VALUES ('a@x'), ('a@x');"),
      '002_unique.sql': lines('-- UP', 'CREATE UNIQUE INDEX CONCURRENTLY dupes_email_key ON dupes (email);', '-- DOWN', 'DROP INDEX CONCURRENTLY dupes_email_key;'),
    });
    const result = await migrateUp(context(), set);
    assert.equal(result.error?.version, '002');
    assert.equal(result.error?.sqlstate, '23505');
    assert.match(result.error?.hint ?? '', /INVALID index public\.dupes_email_key .*DROP INDEX CONCURRENTLY public\.dupes_email_key/);
    assert.deepEqual(await historyVersions(), ['001']);
  });

  it('reports an error on line 40 of a file at line 40 with its column', async () => {
    const header = Array.from({ length: 38 }, (_, i) => `-- comment line ${i + 2}`);
    const set = await setOf({ '001_line40.sql': lines('-- UP', ...header, '  SELECT * FROM no_such_table;', '-- DOWN', 'SELECT 1;') });
    const result = await migrateUp(context(), set);
    assert.equal(result.error?.line, 40);
    assert.equal(result.error?.column, 17);
    assert.equal(result.error?.sqlstate, '42P01');
    assert.match(result.error?.file ?? "", /001_line40\.sql$/);
  });

  it('counts columns in characters when multi-byte text precedes the error', async () => {
    const set = await setOf({ '001_unicode.sql': lines("SELECT 'é😀' AS x, * FROM no_such_table;") });
    const result = await migrateUp(context(), set);
    assert.equal(result.error?.line, 1);
    assert.equal(result.error?.column, 26);
  });

  it('names the failing statement for errors PostgreSQL reports without a position', async () => {
    const set = await setOf({
      '001_unique.sql': lines('CREATE TABLE u (id int PRIMARY KEY);', 'INSERT INTO u VALUES (1);', '', '  INSERT INTO u VALUES (1);'),
    });
    const result = await migrateUp(context(), set);
    assert.equal(result.error?.sqlstate, '23505');
    assert.equal(result.error?.line, 4);
    assert.equal(result.error?.column, 3);
    assert.equal(result.error?.statement, 'INSERT INTO u VALUES (1)');
    assert.ok(result.error?.detail?.includes('already exists'));
  });

  it('points into a DO block at the failing query inside it', async () => {
    const set = await setOf({
      '001_do.sql': lines('CREATE TABLE t (id int);', 'DO $$', 'BEGIN', '  INSERT INTO missing_in_do VALUES (1);', 'END', '$$;'),
    });
    const result = await migrateUp(context(), set);
    assert.equal(result.error?.sqlstate, '42P01');
    assert.equal(result.error?.line, 4);
    assert.equal(result.error?.column, 15);
  });

  it('points into a DO block at the PL/pgSQL line when the query text was rewritten (PERFORM)', async () => {
    const set = await setOf({
      '001_do.sql': lines('CREATE TABLE t (id int);', 'DO $body$', 'BEGIN', '  PERFORM 1;', '    PERFORM * FROM missing_in_do;', 'END', '$body$;'),
    });
    const result = await migrateUp(context(), set);
    assert.equal(result.error?.sqlstate, '42P01');
    assert.equal(result.error?.line, 5);
    assert.equal(result.error?.column, 5);
  });

  it('reports a syntax error at its position before running anything', async () => {
    const set = await setOf({ '001_ok.sql': 'CREATE TABLE fine (id int);\n', '002_typo.sql': lines('CREATE TABLE a (id int);', 'CREAT TABLE b (id int);') });
    const result = await migrateUp(context(), set);
    assert.deepEqual(result.migrations, []);
    assert.equal(result.error?.version, '002');
    assert.equal(result.error?.line, 2);
    assert.equal(result.error?.column, 1);
    assert.equal(await exists('fine'), false, 'nothing runs when a later file does not parse');
  });

  it('refuses a file-level ROLLBACK before running anything', async () => {
    const set = await setOf({ '001_rollback.sql': lines('BEGIN;', 'CREATE TABLE r (id int);', 'ROLLBACK;') });
    const result = await migrateUp(context(), set);
    assert.equal(result.error?.line, 3);
    assert.match(result.error?.message ?? "", /transaction/);
    assert.equal(await exists('r'), false);
  });

  it('applies --steps and --to, then rolls back one, --steps and --to', async () => {
    const files: Record<string, string> = {};
    for (const n of [1, 2, 3, 4, 5]) files[`00${n}_t${n}.sql`] = lines('-- UP', `CREATE TABLE t${n} (id int);`, '-- DOWN', `DROP TABLE t${n};`);
    const set = await setOf(files);
    assert.deepEqual((await migrateUp(context(), set, { steps: 2 })).migrations.map((m) => m.version), ['001', '002']);
    assert.deepEqual((await migrateUp(context(), set, { to: '4' })).migrations.map((m) => m.version), ['003', '004']);
    assert.deepEqual((await migrateUp(context(), set)).migrations.map((m) => m.version), ['005']);
    assert.deepEqual((await migrateDown(context(), set)).migrations.map((m) => m.version), ['005']);
    assert.deepEqual((await migrateDown(context(), set, { steps: 2 })).migrations.map((m) => m.version), ['004', '003']);
    assert.deepEqual((await migrateDown(context(), set, { to: '001' })).migrations.map((m) => m.version), ['002']);
    assert.deepEqual(await historyVersions(), ['001']);
    assert.ok(await exists('t1'));
    assert.equal(await exists('t2'), false);
  });

  it('refuses down before touching anything when a migration it would roll back has no DOWN', async () => {
    const set = await setOf({
      '001_a.sql': lines('-- UP', 'CREATE TABLE a (id int);', '-- DOWN', 'DROP TABLE a;'),
      '002_forward_only.sql': 'CREATE TABLE b (id int);\n',
      '003_c.sql': lines('-- UP', 'CREATE TABLE c (id int);', '-- DOWN', 'DROP TABLE c;'),
    });
    await migrateUp(context(), set);
    await assert.rejects(migrateDown(context(), set, { steps: 2 }), (error: StrataError) => {
      assert.equal(error.code, 'no-down');
      assert.match(error.message, /002_forward_only\.sql/);
      return true;
    });
    assert.deepEqual(await historyVersions(), ['001', '002', '003']);
    assert.ok(await exists('c'), 'nothing was rolled back');
  });

  /**
   * runEditedAfterDiscovery: a hand-made table whose checksum is the MD5 of the whole file, a migration read, then
   * edited before `up` runs it. Checks that nothing ran and nothing was recorded.
   */
  async function runEditedAfterDiscovery(header: string) {
    await client.query(`CREATE TABLE public.schema_migrations (version VARCHAR(255) PRIMARY KEY, name VARCHAR(255) NOT NULL,
      applied_at TIMESTAMP NOT NULL DEFAULT NOW(), execution_time_ms INTEGER, checksum VARCHAR(32))`);
    const set = await setOf({ '001_users.sql': `${header}CREATE TABLE users (id int);\n` });
    project!.write('001_users.sql', `${header}CREATE TABLE users (id bigint);\n`);
    const result = await migrateUp(context(), set);
    assert.equal(await exists('users'), false);
    assert.deepEqual(await historyVersions(), []);
    return result;
  }

  it("refuses to record a file edited after it was read when the table's checksum covers the whole file (hand-made MD5): nothing runs", async () => {
    // Edited between discovery and the run: the MD5 of the new text would describe SQL that never ran.
    const result = await runEditedAfterDiscovery('');
    assert.match(result.error?.message ?? '', /001_users\.sql changed after Strata read it, so it was not recorded; run the command again/);
    assert.deepEqual(result.migrations, []);

    const again = await migrateUp(context(), await discoverMigrations(project!.dir));
    assert.equal(again.error, null);
    const rows = await client.query<{ checksum: string }>('SELECT checksum FROM public.schema_migrations');
    assert.deepEqual(rows.rows, [{ checksum: createHash('md5').update('CREATE TABLE users (id bigint);\n').digest('hex') }]);
  });

  it('checks such a file before the first statement of a migration that runs outside a transaction', async () => {
    const result = await runEditedAfterDiscovery('-- UP strata:no-transaction\n');
    assert.match(result.error?.message ?? '', /001_users\.sql changed after Strata read it/);
  });

  it('refuses out-of-order pending migrations unless allowed', async () => {
    project = makeProject({ '001_a.sql': 'CREATE TABLE a (id int);\n', '003_c.sql': 'CREATE TABLE c (id int);\n' });
    await migrateUp(context(), await discoverMigrations(project.dir));
    project.write('002_b.sql', 'CREATE TABLE b (id int);\n');
    const set = await discoverMigrations(project.dir);
    await assert.rejects(migrateUp(context(), set), (error: StrataError) => error.code === 'out-of-order' && error.message.includes('002'));
    assert.equal(await exists('b'), false);
    const result = await migrateUp(context(), set, { outOfOrder: true });
    assert.deepEqual(result.migrations.map((m) => m.version), ['002']);
  });

  it('never alters a tracking table of another shape, and names its columns and the setting', async () => {
    // A shape no known tool has (golang-migrate's version/dirty is adopted: see test/integration/adopt).
    await client.query('CREATE TABLE public.schema_migrations (migration_id bigint NOT NULL PRIMARY KEY, done boolean NOT NULL)');
    const set = await setOf({ '001_a.sql': 'CREATE TABLE a (id int);\n' });
    await assert.rejects(migrateUp(context(), set), (error: StrataError) => {
      assert.equal(error.code, 'foreign-history-table');
      assert.match(error.message, /migration_id, done/);
      assert.match(error.message, /"table"/);
      return true;
    });
    const columns = await client.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'schema_migrations' ORDER BY ordinal_position");
    assert.deepEqual(columns.rows.map((r: { column_name: string }) => r.column_name), ['migration_id', 'done']);
    assert.equal(await exists('a'), false);
  });

  it('quotes configured schema and table names, including quotes, semicolons and unicode', async () => {
    const set = await setOf({ '001_a.sql': 'CREATE TABLE a (id int);\n' });
    const history = new HistoryTable('ops "x"; drop', 'migrations; é');
    const result = await migrateUp(context({ history }), set);
    assert.equal(result.error, null);
    const rows = await client.query('SELECT version FROM "ops ""x""; drop"."migrations; é"');
    assert.equal(rows.rows.length, 1);
  });

  it('waits for the advisory lock and, on timeout, names the holder', async () => {
    const holder = await connect({ url: db.url, source: 'test' }, { applicationName: 'other-runner' });
    try {
      const set = await setOf({ '001_a.sql': 'CREATE TABLE a (id int);\n' });
      const history = new HistoryTable('public', 'schema_migrations');
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [lockKeyFor(history.schema, history.table).key]);
      const holderPid = (holder as unknown as { processID: number }).processID;
      await assert.rejects(migrateUp(context({ lockTimeoutMs: 300 }), set), (error: StrataError) => {
        assert.equal(error.code, 'lock-timeout');
        assert.match(error.message, new RegExp(`pid ${holderPid}`));
        assert.match(error.message, /other-runner/);
        return true;
      });
      assert.equal(await exists('a'), false);
    } finally {
      await holder.end();
    }
  });

  it('fails a migration blocked by another session\'s table lock after lockTimeout, naming the blocking pid', async () => {
    await client.query('CREATE TABLE busy (id int)');
    const blocker = await connect({ url: db.url, source: 'test' }, { applicationName: 'long-report' });
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT * FROM busy');
      const blockerPid = (blocker as unknown as { processID: number }).processID;
      const set = await setOf({ '001_alter.sql': lines('-- UP', 'ALTER TABLE busy ADD COLUMN note text;', '-- DOWN', 'ALTER TABLE busy DROP COLUMN note;') });
      const started = Date.now();
      const result = await migrateUp(context({ lockTimeoutMs: 300 }), set);
      assert.ok(Date.now() - started < 5_000, 'it does not hang');
      assert.equal(result.error?.sqlstate, '55P03');
      assert.equal(result.error?.line, 2);
      assert.match(result.error?.hint ?? '', new RegExp(`pid ${blockerPid} \\(application_name 'long-report'.*AccessShareLock on busy`));
      assert.equal(await exists('public.schema_migrations') && (await historyVersions()).length, 0);
    } finally {
      await blocker.end();
    }
  });

  it('needs no EXECUTE on pg_logical_emit_message: the last migration\'s commit is the run\'s flush, and a run that stops early flushes another way', async () => {
    // A role that may not emit logical messages (EXECUTE revoked from PUBLIC in this database).
    const role = `strata_limited_${process.pid}_${pipeline ? 'p' : 's'}`;
    await client.query(`DO $$ DECLARE f regprocedure; BEGIN
      FOR f IN SELECT oid::regprocedure FROM pg_catalog.pg_proc WHERE proname = 'pg_logical_emit_message' LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
      END LOOP; END $$`);
    await client.query(`CREATE ROLE ${role} LOGIN PASSWORD 'limited'`);
    await client.query(`GRANT CREATE ON SCHEMA public TO ${role}`);
    await client.query(`DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO ${role}', current_database()); END $$`);
    const url = new URL(db.url);
    url.username = role;
    url.password = 'limited';
    const limited = await connect({ url: url.toString(), source: 'test' }, { pipeline });
    try {
      await assert.rejects(limited.query(`SELECT pg_catalog.pg_logical_emit_message(true, 'strata', 'flush')`), /permission denied/);
      const set = await setOf({
        '001_a.sql': lines('-- UP', 'CREATE TABLE a (id int);', '-- DOWN', 'DROP TABLE a;'),
        '002_b.sql': lines('-- UP', 'CREATE TABLE b (id int);', '-- DOWN', 'DROP TABLE b;'),
      });
      const up = await migrateUp(context({ client: limited }), set);
      assert.equal(up.error, null);
      assert.deepEqual(up.unconfirmed, []);
      assert.deepEqual(up.migrations.map((m) => m.version), ['001', '002']);
      const down = await migrateDown(context({ client: limited }), set, { steps: 2 });
      assert.equal(down.error, null);
      assert.deepEqual(down.unconfirmed, []);
      assert.deepEqual(await historyVersions(), []);
      // A run that stops early flushes on its own (with a temporary table here): what it applied is confirmed.
      const failing = await setOf({
        '001_a.sql': lines('-- UP', 'CREATE TABLE a (id int);', '-- DOWN', 'DROP TABLE a;'),
        '002_b.sql': lines('-- UP', 'CREATE TABLE b (id int);', 'SELECT 1 / 0;', '-- DOWN', 'DROP TABLE b;'),
      });
      const stopped = await migrateUp(context({ client: limited }), failing);
      assert.equal(stopped.error?.sqlstate, '22012');
      assert.deepEqual(stopped.unconfirmed, []);
      assert.deepEqual(stopped.migrations.map((m) => m.version), ['001']);
      assert.deepEqual(await historyVersions(), ['001']);
    } finally {
      await limited.end();
      await client.query(`DROP OWNED BY ${role}`);
      await client.query(`DROP ROLE ${role}`);
    }
  });

  it('identifies its sessions as application_name strata', async () => {
    const result = await client.query<{ name: string }>("SELECT current_setting('application_name') AS name");
    assert.equal(result.rows[0]!.name, 'strata');
  });
});
