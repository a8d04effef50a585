import pg from 'pg';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/core/scratch';

/**
 * ResetMode is how a database is put back to empty between runs: `database` drops and creates it (the default);
 * `schema` drops and creates its public schema, where every tool keeps everything it writes (--quick: creating a
 * database writes the whole template through the WAL, hundreds of milliseconds with fsync on).
 */
export type ResetMode = 'database' | 'schema';

/** BenchServer is one embedded PostgreSQL the bench started, with the admin session that resets databases. */
export class BenchServer {
  /** resetMode applies to reset() without a template; copies of a template are always new databases. */
  resetMode: ResetMode = 'database';
  /** sessions are open connections to bench databases, reused for checks and schema resets. */
  private readonly sessions = new Map<string, pg.Client>();

  private constructor(
    readonly server: EmbeddedServer,
    private readonly admin: pg.Client,
    readonly durable: boolean,
    readonly version: string,
    readonly settings: Record<string, string>,
  ) {}

  /**
   * start boots a fresh cluster. durable: PostgreSQL's defaults (fsync, synchronous_commit and
   * full_page_writes on); otherwise all three off, as test suites run it.
   */
  static async start(durable: boolean): Promise<BenchServer> {
    const server = await startEmbeddedServer({ durable });
    const admin = new pg.Client({ connectionString: server.url, application_name: 'strata-bench' });
    admin.on('error', () => undefined);
    await admin.connect();
    const version = (await admin.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
    const names = ['server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'max_locks_per_transaction', 'shared_buffers'];
    const rows = await admin.query<{ name: string; setting: string; unit: string | null }>(
      'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)',
      [names],
    );
    const settings = Object.fromEntries(rows.rows.map((r) => [r.name, r.unit ? `${r.setting}${r.unit}` : r.setting]));
    return new BenchServer(server, admin, durable, version, settings);
  }

  get label(): string {
    return this.durable ? 'fsync on (PostgreSQL defaults)' : 'fsync=off, synchronous_commit=off, full_page_writes=off';
  }

  /** via is the port of a round-trip counter in front of the server; url() points the tools at it while set. */
  via: number | null = null;

  /** url is the connection URL of one database, through the round-trip counter when one is on. */
  url(database: string): string {
    return this.directUrl(database, this.via);
  }

  private directUrl(database: string, port: number | null = null): string {
    const url = new URL(this.server.url);
    url.pathname = `/${database}`;
    if (port !== null) url.port = String(port);
    return url.toString();
  }

  /** reset drops a database (disconnecting anyone) and creates it again, empty or as a copy of a template. */
  async reset(database: string, template?: string): Promise<void> {
    const existing = this.sessions.get(database);
    if (template === undefined && this.resetMode === 'schema' && existing) {
      await existing.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
      return;
    }
    await this.drop(database);
    await this.admin.query(`CREATE DATABASE ${ident(database)} TEMPLATE ${ident(template ?? 'template0')}`);
  }

  async drop(database: string): Promise<void> {
    const session = this.sessions.get(database);
    this.sessions.delete(database);
    await session?.end().catch(() => undefined);
    await this.admin.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
  }

  /**
   * query runs SQL in one database through the bench's session to it (opened on first use). Never call it on
   * a database that is about to serve as a template: CREATE DATABASE refuses a template with sessions.
   */
  async query<T extends pg.QueryResultRow>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
    let client = this.sessions.get(database);
    if (!client) {
      client = new pg.Client({ connectionString: this.directUrl(database), application_name: 'strata-bench' });
      client.on('error', () => undefined);
      await client.connect();
      this.sessions.set(database, client);
    }
    return (await client.query<T>(sql, params)).rows;
  }

  /** close ends the bench's session to a database (before it is used as a template). */
  async close(database: string): Promise<void> {
    const session = this.sessions.get(database);
    this.sessions.delete(database);
    await session?.end().catch(() => undefined);
  }

  /** count is the number of rows in a table, or -1 when it does not exist. */
  async count(database: string, table: string): Promise<number> {
    const rows = await this.query<{ n: string | null }>(
      database,
      `SELECT CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE 1 END AS n`,
      [table],
    );
    if (rows[0]?.n === null) return -1;
    const counted = await this.query<{ n: string }>(database, `SELECT count(*) AS n FROM ${table}`);
    return Number(counted[0]!.n);
  }

  async stop(): Promise<void> {
    for (const session of this.sessions.values()) await session.end().catch(() => undefined);
    this.sessions.clear();
    await this.admin.end().catch(() => undefined);
    await this.server.stop();
  }
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
