/**
 * Bad input of every kind gets a clear message naming the file, key or table, the right exit code,
 * and changes nothing (DESIGN.md, "Quality bars").
 */
import assert from 'node:assert/strict';
import { describeRun, output, parseJson } from '../../support/cli';
import { migration, tableMigration, useCliCase, type FailureJson, type StatusJson } from './harness';

describe('CLI bad input', () => {
  const t = useCliCase();

  describe('migration files', () => {
    it('a malformed file name is invalid in status (exit 3), and up refuses (exit 1) naming it, applying nothing', async () => {
      t.write('001_a.sql', tableMigration('a'));
      t.write('add users.sql', tableMigration('users'));
      const status = await t.run(['status', '--json', '--url', t.url]);
      assert.equal(status.code, 3, describeRun(status));
      assert.deepEqual(
        parseJson<StatusJson>(status).migrations.map((m) => [m.file, m.state]),
        [['migrations/001_a.sql', 'pending'], ['migrations/add users.sql', 'invalid']],
      );
      const up = await t.run(['up', '--url', t.url]);
      assert.equal(up.code, 1, describeRun(up));
      assert.match(up.stderr, /Refusing to run.*\n.*add users\.sql: add users\.sql is not a migration file name/);
      assert.equal(await t.exists('a'), false);
      assert.equal(await t.versions(), null);
    });

    it('an empty .sql file is listed, not skipped: pending in status', async () => {
      t.write('001_a.sql', tableMigration('a'));
      t.write('002_empty.sql', '');
      const status = await t.run(['status', '--json', '--url', t.url]);
      assert.equal(status.code, 0, describeRun(status));
      assert.deepEqual(parseJson<StatusJson>(status).migrations.map((m) => [m.version, m.file, m.state]), [
        ['001', 'migrations/001_a.sql', 'pending'],
        ['002', 'migrations/002_empty.sql', 'pending'],
      ]);
    });

    // An empty migration (e.g. `strata create`'s template before anything is typed under `-- UP`) must not
    // be recorded: the SQL written into it later would never run.
    it('up refuses an empty migration, naming the file, and records nothing', async () => {
      t.write('001_a.sql', tableMigration('a'));
      t.write('002_empty.sql', '-- Migration: empty\n\n-- UP\n\n-- DOWN\n');
      const up = await t.run(['up', '--url', t.url]);
      assert.match(up.stderr, /002_empty\.sql.*(empty|no SQL)/i, describeRun(up));
      assert.equal(up.code, 1, describeRun(up));
      assert.equal(await t.versions(), null);
      assert.equal(await t.exists('a'), false);
    });

    it('a file with two UP markers is invalid, named with its line, and up refuses', async () => {
      t.write('001_a.sql', '-- UP\nCREATE TABLE a (id int);\n-- UP\nCREATE TABLE b (id int);\n');
      const up = await t.run(['up', '--url', t.url]);
      assert.equal(up.code, 1, describeRun(up));
      assert.match(up.stderr, /001_a\.sql:3: .*two UP markers, at lines 1 and 3/);
      assert.equal(await t.exists('a'), false);
      assert.equal(await t.versions(), null);
    });
  });

  describe('strata.json', () => {
    it('bad JSON: exit 2, the file with line and column, nothing changed', async () => {
      t.write('001_a.sql', tableMigration('a'));
      t.config('{\n  "table": "history",\n}\n');
      const result = await t.run(['up', '--url', t.url]);
      assert.equal(result.code, 2, describeRun(result));
      assert.match(result.stderr, /strata\.json:3:1: invalid JSON/);
      assert.equal(await t.exists('a'), false);
      assert.equal(await t.exists('history'), false);
    });

    it('an unknown key: exit 2, naming the key and the likely intended one, nothing changed; --json has the code', async () => {
      t.write('001_a.sql', tableMigration('a'));
      t.config({ tabel: 'history' });
      const [human, json] = await Promise.all([t.run(['up', '--url', t.url]), t.run(['status', '--json', '--url', t.url])]);
      assert.equal(human.code, 2, describeRun(human));
      assert.match(human.stderr, /strata\.json: unknown key `tabel`; did you mean `table`\?/);
      assert.equal(json.code, 2, describeRun(json));
      assert.equal(parseJson<FailureJson>(json).error.code, 'config-invalid');
      assert.equal(await t.exists('a'), false);
      assert.equal(await t.versions(), null);
    });
  });

  describe('connections', () => {
    it('a wrong password: exit 1, names user and host, never prints the password', async () => {
      t.write('001_a.sql', tableMigration('a'));
      const wrong = new URL(t.url);
      wrong.password = 'Wr0ng-Passw0rd-xyz';
      const result = await t.run(['up', '--url', wrong.toString()]);
      assert.equal(result.code, 1, describeRun(result));
      assert.match(result.stderr, /could not connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/.*password authentication failed for user "postgres"/);
      assert.ok(!`${result.stdout}${result.stderr}`.includes('Wr0ng-Passw0rd-xyz'), describeRun(result));
      assert.equal(await t.versions(), null);
    });

    it('an unreachable host: exit 1 quickly, names the host, never prints the password', async () => {
      t.write('001_a.sql', tableMigration('a'));
      const url = 'postgres://u:secretpw@127.0.0.1:1/db';
      const [human, json] = await Promise.all([t.run(['status', '--url', url]), t.run(['up', '--json', '--url', url])]);
      for (const result of [human, json]) {
        assert.equal(result.code, 1, describeRun(result));
        assert.ok(result.ms < 5_000, `took ${Math.round(result.ms)} ms`);
        assert.ok(!`${result.stdout}${result.stderr}`.includes('secretpw'), describeRun(result));
      }
      assert.match(human.stderr, /could not connect to postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db \(--url\): connection refused/);
      assert.equal(parseJson<FailureJson>(json).error.code, 'connection-failed');
      assert.match(parseJson<FailureJson>(json).error.message, /127\.0\.0\.1:1/);
    });

    it('a malformed URL: exit 1 or 2, naming --url / DATABASE_URL, without echoing the password', async () => {
      t.write('001_a.sql', tableMigration('a'));
      const url = 'postgres://u:pa#ss@127.0.0.1:1/db';
      const [flag, env] = await Promise.all([t.run(['status', '--url', url]), t.run(['status'], { DATABASE_URL: url })]);
      for (const [result, source] of [[flag, '--url'], [env, 'DATABASE_URL']] as const) {
        assert.ok(result.code === 1 || result.code === 2, describeRun(result));
        assert.ok(result.stderr.includes(source), `the message does not name ${source}:\n${describeRun(result)}`);
        assert.ok(!result.stderr.includes('pa#ss'), describeRun(result));
      }
    });

    it('no database configured at all: status exits 1 and says how to configure one', async () => {
      t.write('001_a.sql', tableMigration('a'));
      const result = await t.run(['status']);
      assert.equal(result.code, 1, describeRun(result));
      assert.match(result.stderr, /No database configured: pass --url, set DATABASE_URL or POSTGRES_URL/);
    });
  });

  describe('a schema_migrations table of a shape no known tool has', () => {
    it('every command exits 1, names the columns found and the `table` setting, and leaves the table as it was', async () => {
      t.write('001_a.sql', tableMigration('a'));
      await t.query('CREATE TABLE public.schema_migrations (migration_id bigint PRIMARY KEY, done boolean NOT NULL)');
      await t.query('INSERT INTO public.schema_migrations VALUES (20240101000000, false)');
      const shape = (): Promise<unknown[]> =>
        t.query(`SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'public.schema_migrations'::regclass AND attnum > 0 ORDER BY attnum`);
      const [shapeBefore, rowsBefore] = [await shape(), await t.query('SELECT * FROM public.schema_migrations')];

      const results = await Promise.all(
        [['status'], ['up'], ['plan'], ['rehearse'], ['down'], ['baseline', '--to', '001']].map((args) => t.run([...args, '--url', t.url])),
      );
      for (const result of results) {
        assert.equal(result.code, 1, describeRun(result));
        assert.match(result.stderr, /public\.schema_migrations exists but is not a Strata tracking table \(its columns match no format Strata knows; columns found: migration_id, done;/);
        assert.match(result.stderr, /Set "table" \(and "schema"\) in strata\.json/);
      }
      assert.deepEqual(await shape(), shapeBefore);
      assert.deepEqual(await t.query('SELECT * FROM public.schema_migrations'), rowsBefore);
      assert.equal(await t.exists('a'), false);

      // The way out the message names works: another table for Strata's history.
      t.config({ table: 'strata_history' });
      const up = await t.run(['up', '--url', t.url]);
      assert.equal(up.code, 0, describeRun(up));
      assert.deepEqual(await t.versions('public.strata_history'), ['001']);
      assert.deepEqual(await t.query('SELECT * FROM public.schema_migrations'), rowsBefore);
    });
  });

  it('a failing migration in the middle changes nothing of itself and keeps what ran before it', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_bad.sql', migration('CREATE TABLE b (id int);\nINSERT INTO b VALUES (1), (1);\nCREATE UNIQUE INDEX b_id ON b (id);', 'DROP TABLE b;'));
    const result = await t.run(['up', '--url', t.url]);
    assert.equal(result.code, 1, describeRun(result));
    assert.match(output(result), /migrations\/002_bad\.sql:4:1: error 23505: could not create unique index "b_id"/);
    assert.match(output(result), /detail: Key \(id\)=\(1\) is duplicated\./);
    assert.deepEqual(await t.versions(), ['001']);
    assert.equal(await t.exists('b'), false);
  });
});
