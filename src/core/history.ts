import type pg from 'pg';
import { StrataError } from './errors';
import { qualifiedName, quoteIdentifier } from './db';
import type { AppliedMigration } from './types';

/** HISTORY_COLUMNS are the columns Strata's tracking table must have (DESIGN.md, Tracking table). */
export const HISTORY_COLUMNS = ['version', 'name', 'checksum', 'script', 'applied_at', 'applied_by', 'execution_ms'] as const;

/** STARTED_SETTING is the transaction-local setting that holds when a migration's transaction began. */
export const STARTED_SETTING = 'strata.started';

/** RAW_TEXT makes pg hand every column over as the text the server sent. */
const RAW_TEXT = { getTypeParser: () => (value: string): string => value };

/** HistoryRecord is what is written when a migration is recorded as applied. */
export interface HistoryRecord {
  version: string;
  name: string;
  checksum: string;
  script: string;
  executionMs: number;
}

/**
 * HistoryTable reads and writes the tracking table. It never alters a table it did not create:
 * a table of the same name with another shape is reported with the columns found.
 */
export class HistoryTable {
  /** qualified is the quoted schema.table, safe to place in SQL. */
  readonly qualified: string;
  constructor(
    readonly schema: string,
    readonly table: string,
  ) {
    this.qualified = qualifiedName(schema, table);
  }

  /** label is schema.table as the user configured it, for messages. */
  get label(): string {
    return `${this.schema}.${this.table}`;
  }

  /** columns returns the table's column names, or null when the table does not exist. */
  async columns(client: pg.ClientBase): Promise<string[] | null> {
    const result = await client.query<{ attname: string | null }>(
      `SELECT a.attname
         FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        ORDER BY a.attnum`,
      [this.schema, this.table],
    );
    if (result.rows.length === 0) return null;
    return result.rows.flatMap((row) => (row.attname ? [row.attname] : []));
  }

  /** checkShape throws a clear error when the existing table is not Strata's; returns false when it does not exist. */
  async checkShape(client: pg.ClientBase): Promise<boolean> {
    const found = await this.columns(client);
    if (found === null) return false;
    const missing = HISTORY_COLUMNS.filter((column) => !found.includes(column));
    if (missing.length === 0) return true;
    throw new StrataError(
      'foreign-history-table',
      `The table ${this.label} exists but is not a Strata tracking table ` +
        `(columns found: ${found.join(', ') || 'none'}; missing: ${missing.join(', ')}). ` +
        `Strata never alters it. Set "table" (and "schema") in strata.json to keep Strata's history in another table.`,
      { table: this.label, columns: found, missing },
    );
  }

  /** ensure creates the schema and table when missing (first apply) and checks an existing one's shape. */
  async ensure(client: pg.ClientBase): Promise<void> {
    if (await this.checkShape(client)) return;
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${this.qualified} (
         version text PRIMARY KEY,
         name text NOT NULL,
         checksum text NOT NULL,
         script text,
         applied_at timestamptz NOT NULL DEFAULT now(),
         applied_by text NOT NULL DEFAULT current_user,
         execution_ms integer NOT NULL
       )`,
    );
  }

  /**
   * read returns every applied migration; an absent table means nothing is applied. `withScripts:
   * false` leaves out the applied texts (kilobytes each), which only a drift diff needs.
   */
  async read(client: pg.ClientBase, options: { withScripts?: boolean } = {}): Promise<AppliedMigration[]> {
    if (!(await this.checkShape(client))) return [];
    const script = options.withScripts === false ? 'NULL::text' : 'script';
    // Rows come back as arrays of text and the time as epoch milliseconds: for 10,000 rows (a status
    // refresh) pg's per-row objects and timestamp parsing cost more than the query itself.
    const result = await client.query<(string | null)[]>({
      text: `SELECT version, name, checksum, ${script}, (extract(epoch FROM applied_at) * 1000)::float8, applied_by, execution_ms FROM ${this.qualified}`,
      rowMode: 'array',
      types: RAW_TEXT,
    });
    const applied = new Array<AppliedMigration>(result.rows.length);
    for (let i = 0; i < result.rows.length; i++) {
      const row = result.rows[i]!;
      applied[i] = {
        version: row[0]!,
        name: row[1]!,
        checksum: row[2]!,
        script: row[3] ?? null,
        appliedAt: new Date(Number(row[4])),
        appliedBy: row[5]!,
        executionMs: Number(row[6]),
      };
    }
    return applied;
  }

  /** scripts returns the applied UP texts of some versions (for drift diagnostics and diffs). */
  async scripts(client: pg.ClientBase, versions: readonly string[]): Promise<Map<string, string | null>> {
    if (versions.length === 0) return new Map();
    const result = await client.query<{ version: string; script: string | null }>(
      `SELECT version, script FROM ${this.qualified} WHERE version = ANY($1::text[])`,
      [versions],
    );
    return new Map(result.rows.map((row) => [row.version, row.script]));
  }

  /** insert records a migration as applied. */
  async insert(client: pg.ClientBase, record: HistoryRecord): Promise<void> {
    await client.query(this.insertQuery(record));
  }

  /**
   * insertQuery is the parameterized INSERT that records a migration. With `timedOnServer`, the
   * execution time is measured by the server from the `strata.started` setting the run placed at the
   * start of its transaction, so the INSERT can be sent before the migration's result is back.
   */
  insertQuery(record: HistoryRecord, timedOnServer = false): { text: string; values: unknown[] } {
    const executionMs = timedOnServer
      ? `GREATEST(0, round(extract(epoch FROM clock_timestamp() - current_setting('${STARTED_SETTING}')::timestamptz) * 1000))::integer`
      : '$5';
    return {
      text: `INSERT INTO ${this.qualified} (version, name, checksum, script, execution_ms) VALUES ($1, $2, $3, $4, ${executionMs})`,
      values: [record.version, record.name, record.checksum, record.script, ...(timedOnServer ? [] : [Math.round(record.executionMs)])],
    };
  }

  /** remove deletes a migration's row after its DOWN ran; returns whether a row was there. */
  async remove(client: pg.ClientBase, version: string): Promise<boolean> {
    const result = await client.query(this.removeQuery(version));
    return (result.rowCount ?? 0) > 0;
  }

  /** removeQuery is the parameterized DELETE of a migration's row. */
  removeQuery(version: string): { text: string; values: unknown[] } {
    return { text: `DELETE FROM ${this.qualified} WHERE version = $1`, values: [version] };
  }

  /** acceptChecksum stores the file's current UP as what was applied (repair after an intended edit). */
  async acceptChecksum(client: pg.ClientBase, version: string, checksum: string, script: string): Promise<boolean> {
    const result = await client.query(`UPDATE ${this.qualified} SET checksum = $2, script = $3 WHERE version = $1`, [
      version,
      checksum,
      script,
    ]);
    return (result.rowCount ?? 0) > 0;
  }
}
