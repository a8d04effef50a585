/**
 * Per-test fixture for the CLI suite: a fresh database and a fresh project folder for every test,
 * a way to run `strata` in that folder, and a few read-only queries to check what the CLI did.
 * Everything is created in beforeEach and removed in afterEach.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { cli, type CliResult } from '../../support/cli';
import { freshDatabase, type TestDatabase } from '../../support/postgres';
import { makeProject, type TestProject } from '../../support/project';

/** CliCase is one test's database, project and helpers; valid inside it() only. */
export interface CliCase {
  readonly db: TestDatabase;
  /** url is the test database's URL (admin user, password included). */
  readonly url: string;
  readonly project: TestProject;
  /** write adds or replaces a file in migrations/ and returns its absolute path. */
  write(name: string, content: string): string;
  /** config writes strata.json at the project root: an object as JSON, or a string as is. */
  config(content: Record<string, unknown> | string): void;
  /** run runs `strata ...args` in the project root; env is added to a clean environment. */
  run(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  /** query runs SQL on the test database through a session the test owns. */
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** exists tells whether a relation (table, index, ...) exists. */
  exists(relation: string): Promise<boolean>;
  /** versions lists the tracking table's versions in order; null when the table does not exist. */
  versions(table?: string): Promise<string[] | null>;
  /** catalog is a fingerprint of every relation, schema, function and type, to show nothing was created. */
  catalog(): Promise<string>;
}

/** useCliCase registers beforeEach/afterEach in the enclosing describe and returns the current case. */
export function useCliCase(): CliCase {
  let db: TestDatabase | undefined;
  let project: TestProject | undefined;
  let client: pg.Client | undefined;

  beforeEach(async () => {
    db = await freshDatabase();
    project = makeProject({});
  });
  afterEach(async () => {
    await client?.end().catch(() => undefined);
    client = undefined;
    await db?.drop();
    db = undefined;
    project?.remove();
    project = undefined;
  });

  const current = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only available inside a test`);
    return value;
  };
  const session = async (): Promise<pg.Client> => {
    if (!client) {
      const fresh = new pg.Client({ connectionString: current(db, 'the database').url, application_name: 'strata-tests' });
      await fresh.connect();
      client = fresh;
    }
    return client;
  };

  const self: CliCase = {
    get db() {
      return current(db, 'the database');
    },
    get url() {
      return current(db, 'the database').url;
    },
    get project() {
      return current(project, 'the project');
    },
    write: (name, content) => self.project.write(name, content),
    config: (content) => writeFileSync(join(self.project.root, 'strata.json'), typeof content === 'string' ? content : JSON.stringify(content, null, 2)),
    run: (args, env) => cli(args, { cwd: self.project.root, ...(env ? { env } : {}) }),
    query: async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await (await session()).query<R>(sql, params)).rows,
    exists: async (relation) => ((await self.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [relation]))[0]?.r ?? null) !== null,
    versions: async (table = 'public.schema_migrations') => {
      if (!(await self.exists(table))) return null;
      const rows = await self.query<{ version: string }>(`SELECT version FROM ${table} ORDER BY version`);
      return rows.map((row) => row.version);
    },
    catalog: async () => {
      const rows = await self.query<{ fingerprint: string }>(CATALOG_FINGERPRINT);
      return rows[0]?.fingerprint ?? '';
    },
  };
  return self;
}

// Every relation (with its kind), schema, function and type by oid: any object created or dropped changes it.
const CATALOG_FINGERPRINT = `
  SELECT concat_ws(E'\\n',
    'pg_class ' || (SELECT count(*) FROM pg_catalog.pg_class),
    (SELECT string_agg(format('%s %s.%s', c.relkind, n.nspname, c.relname), E'\\n' ORDER BY c.oid)
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace),
    'schemas ' || (SELECT string_agg(nspname, ',' ORDER BY oid) FROM pg_catalog.pg_namespace),
    'functions ' || (SELECT count(*) FROM pg_catalog.pg_proc),
    'types ' || (SELECT count(*) FROM pg_catalog.pg_type)) AS fingerprint`;

/** migration builds a file with an UP and a DOWN section. */
export function migration(up: string, down?: string): string {
  return down === undefined ? `-- UP\n${up}\n` : `-- UP\n${up}\n-- DOWN\n${down}\n`;
}

/** table builds a migration that creates (and drops) one table. */
export function tableMigration(name: string): string {
  return migration(`CREATE TABLE ${name} (id int PRIMARY KEY);`, `DROP TABLE ${name};`);
}

/** The `--json` contracts of DESIGN.md ("Command line"), as the tests read them. */
export interface StatusJson {
  migrations: { version: string; name: string; file: string | null; state: string; appliedAt: string | null; executionMs: number | null }[];
}
export interface RunRecordJson {
  version: string;
  file: string;
  executionMs: number;
}
export interface MigrationErrorJson {
  version: string;
  file: string;
  line: number;
  column: number;
  sqlstate: string | null;
  message: string;
  detail: string | null;
  hint: string | null;
}
export interface UpJson {
  applied: RunRecordJson[];
  error: MigrationErrorJson | null;
}
export interface DownJson {
  rolledBack: RunRecordJson[];
  error: MigrationErrorJson | null;
}
export interface RehearseJson {
  rehearsed: RunRecordJson[];
  error: MigrationErrorJson | null;
  skipped: { version: string; file: string; line: number; reason: string; statement: string }[];
}
export interface PlanJson {
  steps: { version: string; file: string; direction: 'up' | 'down'; transactional: boolean; sql: string }[];
}
export interface VerifyJson {
  checked: number;
  problems: { version: string; file: string; problem: string; objects: string[] }[];
}
/** FailureJson is what a command that cannot start prints with --json. */
export interface FailureJson {
  error: { code: string; message: string };
}
