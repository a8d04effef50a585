import type pg from 'pg';
import { StrataError } from './errors';
import { qualifiedName, quoteIdentifier } from './db';
import { SERVER_ELAPSED_MS, STARTED_SETTING, type ForeignFormat, type ForeignHistory, type HistoryChoice, type HistoryKind, type Query } from './adapters/adapter';
import { foreignFormat, formatOfColumns, WELL_KNOWN_TABLES } from './adapters/formats';
import type { AppliedMigration, MigrationFile, MigrationSet } from './types';

export { STARTED_SETTING };

/** HISTORY_COLUMNS are the columns Strata's tracking table must have (DESIGN.md, Tracking table). */
export const HISTORY_COLUMNS = ['version', 'name', 'checksum', 'script', 'applied_at', 'applied_by', 'execution_ms'] as const;

/** RAW_TEXT makes pg hand every column over as the text the server sent. */
const RAW_TEXT = { getTypeParser: () => (value: string): string => value };

/** HistoryRecord is what is written when a migration is recorded as applied. */
export interface HistoryRecord {
  version: string;
  name: string;
  checksum: string;
  script: string;
  executionMs: number;
  /** migration is the file recorded; another tool's table needs it (file name, the tool's checksum). */
  migration?: MigrationFile;
  /** appliedAt and appliedBy keep another tool's record when its history is copied (default: now, current_user). */
  appliedAt?: Date;
  appliedBy?: string;
}

/** HistoryOptions choose the table's format and give the migrations it is read against. */
export interface HistoryOptions {
  /** history is the `history` setting: a format, or `auto` (default) to detect it from the table's shape. */
  history?: HistoryChoice;
  /** set is the discovered folder; golang-migrate's and Flyway's baselines count files up to a version as applied. */
  set?: MigrationSet;
}

/** Detected is the table found: Strata's (present or not yet created), another tool's, or another tool's that is absent. */
type Detected =
  | { kind: 'strata'; exists: boolean }
  | { kind: 'foreign'; table: string; history: ForeignHistory }
  | { kind: 'foreign-absent'; format: ForeignFormat };

/** HistoryDescription is what `strata adopt` shows about the tracking table. */
export interface HistoryDescription {
  kind: HistoryKind;
  tool: string;
  schema: string;
  table: string;
  exists: boolean;
  /** checksums says what the tool checksums; null when it keeps none. */
  checksums: string | null;
  /** upRefusal / downRefusal say why Strata does not record applies / rollbacks there; null when it does. */
  upRefusal: string | null;
  downRefusal: string | null;
}

/**
 * HistoryTable reads and writes the tracking table. It never alters a table it did not create:
 * a table of the same name with another shape is reported with the columns found. With `history`
 * `auto` (the default) one catalog query finds the configured table and the tables other tools
 * keep; another tool's table is read, and written where that is safe, the way that tool does.
 */
export class HistoryTable {
  /** qualified is the quoted schema.table, safe to place in SQL. */
  readonly qualified: string;
  private detected: Detected | null = null;
  constructor(
    readonly schema: string,
    readonly table: string,
    readonly options: HistoryOptions = {},
  ) {
    this.qualified = qualifiedName(schema, table);
  }

  /** label is schema.table of the table in use (as configured until another tool's table was found), for messages. */
  get label(): string {
    const detected = this.detected;
    if (detected?.kind === 'foreign') return `${this.schema}.${detected.table}`;
    if (detected?.kind === 'foreign-absent') return `${this.schema}.${detected.format.defaultTable}`;
    return `${this.schema}.${this.table}`;
  }

  /** columns returns the configured table's column names, or null when the table does not exist. */
  async columns(client: pg.ClientBase): Promise<string[] | null> {
    return (await this.tables(client, [this.table])).get(this.table) ?? null;
  }

  /** tables returns the columns of those of names that exist in the schema, in one catalog query. */
  private async tables(client: pg.ClientBase, names: readonly string[]): Promise<Map<string, string[]>> {
    const result = await client.query<{ name: string; columns: string[] }>(
      `SELECT c.relname AS name, array_remove(array_agg(a.attname::text ORDER BY a.attnum), NULL) AS columns
         FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = $1 AND c.relname = ANY ($2::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        GROUP BY c.relname`,
      [this.schema, names],
    );
    return new Map(result.rows.map((row) => [row.name, row.columns]));
  }

  /** detect finds the table in use once per HistoryTable (one catalog query). */
  private async detect(client: pg.ClientBase): Promise<Detected> {
    if (this.detected) return this.detected;
    const choice = this.options.history ?? 'auto';
    const format = choice === 'auto' || choice === 'strata' ? null : foreignFormat(choice);
    const candidates = [this.table, ...(choice === 'auto' ? WELL_KNOWN_TABLES : format ? [format.defaultTable] : [])];
    const found = await this.tables(client, [...new Set(candidates)]);
    this.detected = this.choose(choice, format, found);
    return this.detected;
  }

  private choose(choice: HistoryChoice, format: ForeignFormat | null, found: Map<string, string[]>): Detected {
    const configured = found.get(this.table);
    if (format) {
      for (const name of [this.table, format.defaultTable]) {
        const columns = found.get(name);
        if (columns && format.matches(columns)) return this.open(format, name);
      }
      if (configured) throw this.foreignError(configured, `it is not ${format.tool}'s table ("history": "${choice}" in strata.json)`);
      return { kind: 'foreign-absent', format };
    }
    if (configured) {
      if (isStrataShape(configured)) return { kind: 'strata', exists: true };
      const match = choice === 'auto' ? formatOfColumns(configured) : null;
      if (match) return this.open(match, this.table);
      throw this.foreignError(configured, choice === 'strata' ? '"history": "strata" in strata.json' : 'its columns match no format Strata knows');
    }
    if (choice === 'auto') {
      for (const name of WELL_KNOWN_TABLES) {
        const columns = found.get(name);
        const match = columns && name !== this.table ? formatOfColumns(columns) : null;
        if (match) return this.open(match, name);
      }
    }
    return { kind: 'strata', exists: false };
  }

  private open(format: ForeignFormat, table: string): Detected {
    const { options } = this;
    // The set is looked up when the rows are read: `status` detects the table while the folder is still being read.
    const history = format.open({
      schema: this.schema,
      table,
      qualified: qualifiedName(this.schema, table),
      get set() {
        return options.set ?? null;
      },
    });
    return { kind: 'foreign', table, history };
  }

  private foreignError(found: string[], why: string): StrataError {
    const missing = HISTORY_COLUMNS.filter((column) => !found.includes(column));
    return new StrataError(
      'foreign-history-table',
      `The table ${this.schema}.${this.table} exists but is not a Strata tracking table (${why}; ` +
        `columns found: ${found.join(', ') || 'none'}; missing: ${missing.join(', ')}). ` +
        `Strata never alters it. Set "table" (and "schema") in strata.json to keep Strata's history in another table` +
        (why.includes('"history"') ? `, or change "history" to the tool that owns this one (see \`strata adopt\`).` : '.'),
      { table: `${this.schema}.${this.table}`, columns: found, missing },
    );
  }

  /**
   * readsFolder is true when reading the table in use needs the folder's migrations (`options.set`, to
   * be given before read): another tool's table, whose baselines cover files by version.
   */
  async readsFolder(client: pg.ClientBase): Promise<boolean> {
    return (await this.detect(client)).kind === 'foreign';
  }

  /** checkShape throws a clear error when the table cannot be used; returns whether the table in use exists. */
  async checkShape(client: pg.ClientBase): Promise<boolean> {
    const detected = await this.detect(client);
    return detected.kind === 'foreign' || (detected.kind === 'strata' && detected.exists);
  }

  /** describe says which table and format are in use and whether Strata writes to it, for `strata adopt`. */
  async describe(client: pg.ClientBase): Promise<HistoryDescription> {
    const detected = await this.detect(client);
    if (detected.kind === 'strata') {
      return { kind: 'strata', tool: 'Strata', schema: this.schema, table: this.table, exists: detected.exists, checksums: 'SHA-256 of the UP section', upRefusal: null, downRefusal: null };
    }
    if (detected.kind === 'foreign-absent') {
      const reason = absentReason(detected.format, this.schema);
      return { kind: detected.format.kind, tool: detected.format.tool, schema: this.schema, table: detected.format.defaultTable, exists: false, checksums: null, upRefusal: reason, downRefusal: reason };
    }
    const { history, table } = detected;
    return { kind: history.kind, tool: history.tool, schema: this.schema, table, exists: true, checksums: history.checksums, upRefusal: history.refusal('up'), downRefusal: history.refusal('down') };
  }

  /**
   * ensure creates Strata's schema and table when missing (first apply) and checks an existing one's
   * shape; for another tool's table it refuses, before anything runs, when Strata does not write there.
   */
  async ensure(client: pg.ClientBase, direction: 'up' | 'down' = 'up'): Promise<void> {
    const detected = await this.detect(client);
    if (detected.kind === 'foreign-absent') throw new StrataError('history-read-only', absentReason(detected.format, this.schema));
    if (detected.kind === 'foreign') {
      const reason = detected.history.refusal(direction);
      if (reason) throw new StrataError('history-read-only', `${this.label} belongs to ${detected.history.tool}, and Strata only reads it here: ${reason}`, { table: this.label, tool: detected.history.tool });
      return;
    }
    if (detected.exists) return;
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
    // Detect again next time: a rehearsal creates the table inside a transaction it rolls back.
    this.detected = null;
  }

  /** foreign is the other tool's table in use, once detected; null for Strata's own. */
  private foreign(): ForeignHistory | null {
    return this.detected?.kind === 'foreign' ? this.detected.history : null;
  }

  /**
   * read returns every applied migration; an absent table means nothing is applied. `withScripts:
   * false` leaves out the applied texts (kilobytes each), which only a drift diff needs. `asOneValue`
   * fetches the rows as one value, for a process that reads them once (the CLI's status).
   */
  async read(client: pg.ClientBase, options: { withScripts?: boolean; asOneValue?: boolean } = {}): Promise<AppliedMigration[]> {
    const detected = await this.detect(client);
    if (detected.kind === 'foreign') return detected.history.read(client);
    if (detected.kind !== 'strata' || !detected.exists) return [];
    const script = options.withScripts === false ? 'NULL::text' : 'script';
    const columns = `version, name, checksum, ${script}, (extract(epoch FROM applied_at) * 1000)::float8, applied_by, execution_ms`;
    if (options.asOneValue) {
      // One JSON array built by the server: in a short-lived process pg's decoding of 10,000 row messages
      // runs as cold code (about 20 ms of CPU), while JSON.parse is native and the server builds the array
      // while the process does other work. Warm (the editor), row messages are faster: 16 ms against 28 ms.
      const result = await client.query<[string]>({ text: `SELECT coalesce(json_agg(json_build_array(${columns}))::text, '[]') FROM ${this.qualified}`, rowMode: 'array', types: RAW_TEXT });
      const rows = JSON.parse(result.rows[0]![0]) as [string, string, string, string | null, number, string, number][];
      const applied = new Array<AppliedMigration>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        applied[i] = { version: row[0], name: row[1], checksum: row[2], script: row[3], appliedAt: new Date(row[4]), appliedBy: row[5], executionMs: row[6] };
      }
      return applied;
    }
    // Rows come back as arrays of text and the time as epoch milliseconds: for 10,000 rows (a status
    // refresh) pg's per-row objects and timestamp parsing cost more than the query itself.
    const result = await client.query<(string | null)[]>({ text: `SELECT ${columns} FROM ${this.qualified}`, rowMode: 'array', types: RAW_TEXT });
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
    if (versions.length === 0 || this.foreign()) return new Map();
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
  insertQuery(record: HistoryRecord, timedOnServer = false): Query {
    const foreign = this.foreign();
    if (foreign) {
      if (!record.migration) throw new StrataError('internal', `Recording ${record.version} in ${this.label} needs its file`);
      return foreign.insertQuery(record.migration, timedOnServer ? null : record.executionMs);
    }
    if (record.appliedAt || record.appliedBy) {
      return {
        text: `INSERT INTO ${this.qualified} (version, name, checksum, script, execution_ms, applied_at, applied_by) VALUES ($1, $2, $3, $4, $5, COALESCE($6, now()), COALESCE($7, current_user))`,
        values: [record.version, record.name, record.checksum, record.script, Math.round(record.executionMs), record.appliedAt ?? null, record.appliedBy ?? null],
      };
    }
    const executionMs = timedOnServer ? SERVER_ELAPSED_MS : '$5';
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
  removeQuery(version: string): Query {
    const foreign = this.foreign();
    if (foreign) return foreign.removeQuery(version);
    return { text: `DELETE FROM ${this.qualified} WHERE version = $1`, values: [version] };
  }

  /**
   * acceptChecksum stores the file's current UP as what was applied (repair after an intended edit);
   * in another tool's table, the file's checksum in that tool's algorithm.
   */
  async acceptChecksum(client: pg.ClientBase, version: string, checksum: string, script: string, migration?: MigrationFile): Promise<boolean> {
    const foreign = this.foreign();
    if (foreign) {
      const query = migration ? foreign.acceptQuery(migration) : null;
      if (!query) throw new StrataError('history-read-only', `${this.label} belongs to ${foreign.tool}, which keeps no checksum to accept`);
      return ((await client.query(query)).rowCount ?? 0) > 0;
    }
    const result = await client.query(`UPDATE ${this.qualified} SET checksum = $2, script = $3 WHERE version = $1`, [
      version,
      checksum,
      script,
    ]);
    return (result.rowCount ?? 0) > 0;
  }
}

/** isStrataShape is true when a table has every column of Strata's tracking table. */
function isStrataShape(columns: readonly string[]): boolean {
  return HISTORY_COLUMNS.every((column) => columns.includes(column));
}

/** absentReason explains why Strata does not write a chosen tool's table that does not exist. */
function absentReason(format: ForeignFormat, schema: string): string {
  return (
    `strata.json sets "history": "${format.kind}", but ${schema}.${format.defaultTable} does not exist. ` +
    `Strata does not create another tool's table: create it with ${format.tool}, or set "history" to "strata" (or "auto").`
  );
}
