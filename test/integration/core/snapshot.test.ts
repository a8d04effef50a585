import { strict as assert } from 'node:assert';
import pg from 'pg';
import { diffSnapshots, snapshotSchema, type SchemaSnapshot, type SnapshotDiff } from '../../../src/core/snapshot';
import { freshDatabase, type TestDatabase } from '../../support/postgres';

// One object of every kind the snapshot covers, plus a tracking table to exclude.
const FIXTURE = `
CREATE EXTENSION pgcrypto;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'application';
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN posint AS integer NOT NULL CHECK (VALUE > 0);
CREATE TYPE pair AS (a integer, b text);
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  m mood DEFAULT 'ok',
  n posint,
  lower_email text GENERATED ALWAYS AS (lower(email)) STORED,
  created timestamptz DEFAULT now()
);
COMMENT ON TABLE users IS 'people';
CREATE UNLOGGED TABLE app.logs (id serial, user_id bigint, CHECK (id > 0));
ALTER TABLE app.logs ADD CONSTRAINT logs_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
CREATE INDEX users_lower_idx ON users (lower(email));
CREATE VIEW active_users AS SELECT id, email FROM users;
CREATE MATERIALIZED VIEW user_count AS SELECT count(*) AS n FROM users;
CREATE SEQUENCE app.tickets AS integer INCREMENT 5;
CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + 1';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE PROCEDURE bump(INOUT x integer) LANGUAGE plpgsql AS $$BEGIN x := x + 1; END$$;
CREATE AGGREGATE total(integer) (sfunc = int4pl, stype = integer, initcond = '0');
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON users FOR SELECT USING (id > 0);
CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE STATISTICS users_stats (dependencies) ON id, email FROM users;
CREATE TABLE schema_migrations (version text PRIMARY KEY, seq serial);
`;

const TRACKING = [{ schema: 'public', table: 'schema_migrations' }];

describe('snapshotSchema', function () {
  let db: TestDatabase;
  let client: pg.Client;
  let snapshot: SchemaSnapshot;

  before(async function () {
    db = await freshDatabase();
    client = new pg.Client({ connectionString: db.url, application_name: 'strata' });
    await client.connect();
    await client.query(FIXTURE);
    snapshot = await snapshotSchema(client, { exclude: TRACKING });
  });

  after(async function () {
    await client?.end();
    await db?.drop();
  });

  /** changeOf snapshots before and after running sql in a transaction it rolls back, so the fixture stays as is. */
  async function changeOf(sql: string): Promise<SnapshotDiff> {
    await client.query('BEGIN');
    try {
      await client.query(sql);
      return diffSnapshots(snapshot, await snapshotSchema(client, { exclude: TRACKING }));
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('keys every kind of object by kind and qualified name', function () {
    const expected = [
      'schema app',
      'schema public',
      'extension pgcrypto',
      'type public.mood',
      'enum-label public.mood.sad',
      'enum-label public.mood.ok',
      'type public.posint',
      'type public.pair',
      'type public.floatrange',
      'table public.users',
      'column public.users.id',
      'column public.users.email',
      'column public.users.lower_email',
      'constraint public.users.users_pkey',
      'constraint public.users.users_email_key',
      'index public.users_pkey',
      'index public.users_lower_idx',
      'table app.logs',
      'constraint app.logs.logs_user_fk',
      'constraint app.logs.logs_id_check',
      'sequence app.logs_id_seq',
      'sequence public.users_id_seq',
      'sequence app.tickets',
      'view public.active_users',
      'column public.active_users.email',
      'materialized-view public.user_count',
      'function public.f(integer)',
      'function public.touch()',
      'procedure public.bump(integer)',
      'aggregate public.total(integer)',
      'trigger public.users.users_touch',
      'policy public.users.own',
      'table public.events',
      'table public.events_2024',
      'statistics public.users_stats',
    ];
    const missing = expected.filter((key) => !snapshot.has(key));
    assert.deepEqual(missing, [], `missing keys; have:\n${[...snapshot.keys()].join('\n')}`);
  });

  it('describes each object by its definition', function () {
    assert.match(snapshot.get('table app.logs')!, /relkind=r persistence=u/);
    assert.match(snapshot.get('table public.users')!, /row-security/);
    assert.match(snapshot.get('table public.users')!, /comment='people'/);
    assert.match(snapshot.get('column public.users.id')!, /bigint not null generated always as identity/);
    assert.match(snapshot.get('column public.users.m')!, /public\.mood default 'ok'::public\.mood/);
    assert.match(snapshot.get('column public.users.lower_email')!, /generated always as \(lower\(email\)\) stored/);
    assert.match(snapshot.get('type public.mood')!, /enum \('sad', 'ok'\)/);
    assert.match(snapshot.get('type public.posint')!, /domain over integer not null .*CHECK \(\(VALUE > 0\)\)/);
    assert.match(snapshot.get('type public.pair')!, /composite \(a integer, b text\)/);
    assert.match(snapshot.get('constraint app.logs.logs_user_fk')!, /REFERENCES public\.users\(id\) NOT VALID/);
    assert.match(snapshot.get('sequence app.tickets')!, /as integer .*increment 5/);
    assert.match(snapshot.get('sequence app.logs_id_seq')!, /owned-by app\.logs\.id/);
    assert.match(snapshot.get('table public.events')!, /partition-by RANGE \(at\)/);
    assert.match(snapshot.get('table public.events_2024')!, /FOR VALUES FROM \('2024-01-01'\) TO \('2025-01-01'\)/);
    assert.match(snapshot.get('extension pgcrypto')!, /^version=[\d.]+ schema=public$/);
    assert.match(snapshot.get('schema app')!, /comment='application'/);
  });

  it('leaves out the excluded table with its columns, indexes, constraints and sequences', function () {
    const leaked = [...snapshot.keys()].filter((key) => key.includes('schema_migrations'));
    assert.deepEqual(leaked, []);
  });

  it('leaves out system schemas, extension members, implicit array types and range constructors', function () {
    const keys = [...snapshot.keys()];
    assert.deepEqual(keys.filter((key) => / (pg_catalog|information_schema|pg_toast)\./.test(key)), []);
    assert.equal(snapshot.has('function public.digest(text, text)'), false, 'pgcrypto function');
    assert.deepEqual(keys.filter((key) => key.startsWith('type public._')), []);
    assert.deepEqual(keys.filter((key) => key.includes('floatrange(') || key.includes('multirange')), []);
  });

  it('includes the tracking table when nothing is excluded', async function () {
    const all = await snapshotSchema(client);
    assert.ok(all.has('table public.schema_migrations'));
    assert.ok(all.has('constraint public.schema_migrations.schema_migrations_pkey'));
  });

  it('reads the same whatever the search_path, and restores it', async function () {
    await client.query('SET search_path = app, public');
    try {
      const again = await snapshotSchema(client, { exclude: TRACKING });
      assert.deepEqual(diffSnapshots(snapshot, again), { added: [], removed: [], changed: [] });
      const { rows } = await client.query<{ search_path: string }>('SHOW search_path');
      assert.equal(rows[0]?.search_path, 'app, public');
    } finally {
      await client.query('RESET search_path');
    }
  });

  describe('diffSnapshots', function () {
    it('reports nothing for an unchanged schema', async function () {
      assert.deepEqual(await changeOf('SELECT 1'), { added: [], removed: [], changed: [] });
    });

    it('reports an added column as added', async function () {
      const diff = await changeOf('ALTER TABLE users ADD COLUMN nickname text');
      assert.deepEqual(diff, { added: ['column public.users.nickname'], removed: [], changed: [] });
    });

    it('reports a changed default as changed', async function () {
      const diff = await changeOf("ALTER TABLE users ALTER COLUMN created SET DEFAULT '2024-01-01'");
      assert.deepEqual(diff, { added: [], removed: [], changed: ['column public.users.created'] });
    });

    it('reports an added enum label as added, and the enum as changed', async function () {
      const diff = await changeOf("ALTER TYPE mood ADD VALUE 'happy'");
      assert.deepEqual(diff, { added: ['enum-label public.mood.happy'], removed: [], changed: ['type public.mood'] });
    });

    it('reports a changed function body as changed', async function () {
      const diff = await changeOf("CREATE OR REPLACE FUNCTION f(a integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + 2'");
      assert.deepEqual(diff, { added: [], removed: [], changed: ['function public.f(integer)'] });
    });

    it('reports a dropped index and view as removed', async function () {
      const diff = await changeOf('DROP INDEX users_lower_idx; DROP VIEW active_users');
      assert.deepEqual(diff.removed, [
        'column public.active_users.email',
        'column public.active_users.id',
        'index public.users_lower_idx',
        'view public.active_users',
      ]);
      assert.deepEqual([diff.added, diff.changed], [[], []]);
    });

    it('reports a disabled trigger, a widened policy and a new grant as changed', async function () {
      const diff = await changeOf(
        'ALTER TABLE users DISABLE TRIGGER users_touch; ALTER POLICY own ON users USING (true); GRANT SELECT ON users TO PUBLIC',
      );
      assert.deepEqual(diff.changed, ['policy public.users.own', 'table public.users', 'trigger public.users.users_touch']);
    });

    it('reports a column dropped and added back at the end as changed (column order is part of the schema)', async function () {
      const diff = await changeOf('ALTER TABLE users DROP COLUMN m; ALTER TABLE users ADD COLUMN m mood DEFAULT \'ok\'');
      assert.ok(diff.changed.includes('column public.users.m'), JSON.stringify(diff));
      assert.deepEqual([diff.added, diff.removed], [[], []]);
    });

    it('reports nothing for objects created and then dropped again', async function () {
      const diff = await changeOf(`
        CREATE TABLE scratch (id int PRIMARY KEY, v text DEFAULT 'x');
        CREATE INDEX scratch_v_idx ON scratch (v);
        CREATE TYPE color AS ENUM ('red');
        CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1';
        CREATE SCHEMA tmp;
        CREATE EXTENSION IF NOT EXISTS citext;
        GRANT SELECT ON users TO PUBLIC;
        DROP TABLE scratch; DROP TYPE color; DROP FUNCTION g(); DROP SCHEMA tmp; DROP EXTENSION citext;
        REVOKE SELECT ON users FROM PUBLIC;
      `);
      assert.deepEqual(diff, { added: [], removed: [], changed: [] });
    });
  });

  it('snapshots a thousand tables in well under a second', async function () {
    const other = await freshDatabase();
    const bulk = new pg.Client({ connectionString: other.url, application_name: 'strata' });
    await bulk.connect();
    try {
      // Lean tables: identity sequences would make creating them take seconds.
      const tables = Array.from({ length: 1000 }, (_, i) =>
        `CREATE TABLE t${i} (id int PRIMARY KEY, name varchar(20) NOT NULL DEFAULT 'x', created timestamptz DEFAULT now());`);
      await bulk.query(tables.join('\n'));
      const started = Date.now();
      const big = await snapshotSchema(bulk);
      const elapsed = Date.now() - started;
      assert.ok(big.size >= 6000, `size ${big.size}`);
      assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    } finally {
      await bulk.end();
      await other.drop();
    }
  });
});
