import { basename, dirname, sep } from 'node:path';
import type pg from 'pg';
import { PRISMA_SCRIPT } from '../discover';
import { parseMigrationFileName } from '../filename';
import { StrataError } from '../errors';
import { withoutLeadingZeros, type AppliedMigration, type MigrationFile, type MigrationSet } from '../types';

/** HistoryKind names a tracking-table format Strata reads: its own, or another tool's. */
export type HistoryKind =
  | 'strata'
  | 'dbmate'
  | 'golang-migrate'
  | 'node-pg-migrate'
  | 'flyway'
  | 'prisma'
  | 'id-name'
  | 'version-md5'
  | 'migration-history'
  | 'name-list';

/** HistoryChoice is the `history` setting of strata.json: a format, or `auto` to detect it from the table's shape. */
export type HistoryChoice = 'auto' | HistoryKind;

/** HISTORY_CHOICES lists the accepted values of `history`. */
export const HISTORY_CHOICES: readonly HistoryChoice[] = [
  'auto',
  'strata',
  'dbmate',
  'golang-migrate',
  'node-pg-migrate',
  'flyway',
  'prisma',
  'id-name',
  'version-md5',
  'migration-history',
  'name-list',
];

/** Query is one parameterized statement. */
export interface Query {
  text: string;
  values: unknown[];
}

/** ForeignTable is where another tool's table is, and the migrations it is read against. */
export interface ForeignTable {
  schema: string;
  table: string;
  /** qualified is the quoted schema.table. */
  qualified: string;
  /** set is the migrations folder as discovered (golang-migrate and Flyway baselines cover files by version). */
  set: MigrationSet | null;
}

/** ForeignHistory reads, and where safe writes, another tool's tracking table the way that tool does. */
export interface ForeignHistory {
  readonly kind: HistoryKind;
  /** tool is the tool's name as users know it. */
  readonly tool: string;
  /** checksums says what the tool's checksum is, for `strata adopt`; null when it keeps none. */
  readonly checksums: string | null;
  read(client: pg.ClientBase): Promise<AppliedMigration[]>;
  /** refusal is why Strata does not write this table in a direction (read-only), or null when it does. */
  refusal(direction: 'up' | 'down'): string | null;
  /** insertQuery records an applied migration; executionMs null means timed by the server (STARTED_SETTING). */
  insertQuery(migration: MigrationFile, executionMs: number | null): Query;
  removeQuery(version: string): Query;
  /** acceptQuery stores the file's current checksum (repair); null when the tool keeps no checksum. */
  acceptQuery(migration: MigrationFile): Query | null;
}

/** ForeignFormat describes one tool's table: its name, how to recognise it, and how to open it. */
export interface ForeignFormat {
  kind: HistoryKind;
  tool: string;
  /** defaultTable is the table's name when the tool is not told otherwise. */
  defaultTable: string;
  /** matches is true when a table's columns are this tool's. */
  matches(columns: readonly string[]): boolean;
  open(table: ForeignTable): ForeignHistory;
}

/** STARTED_SETTING is the transaction-local setting that holds when a migration's transaction began. */
export const STARTED_SETTING = 'strata.started';

/** SERVER_ELAPSED_MS is the SQL for the milliseconds since the migration's transaction began (see STARTED_SETTING). */
export const SERVER_ELAPSED_MS = `GREATEST(0, round(extract(epoch FROM clock_timestamp() - current_setting('${STARTED_SETTING}')::timestamptz) * 1000))::integer`;

/** elapsed adds the execution time to values (or uses the server's measure) and returns its SQL. */
export function elapsed(values: unknown[], executionMs: number | null): string {
  if (executionMs === null) return SERVER_ELAPSED_MS;
  values.push(Math.round(executionMs));
  return `$${values.length}`;
}

/** hasColumns is true when every one of wanted is among columns. */
export function hasColumns(columns: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((column) => columns.includes(column));
}

/** EPOCH stands for an applied time the tool does not record. */
export const EPOCH = new Date(0);

/**
 * fileNameOf is how a file-keyed tool names a migration: the file's base name, or for Prisma's
 * layout the folder's name.
 */
export function fileNameOf(migration: MigrationFile): string {
  if (migration.file.endsWith(sep + PRISMA_SCRIPT)) return basename(dirname(migration.file));
  return basename(migration.file);
}

/** versionOfName reads the version from a recorded file name (with or without `.sql`); the name itself when it has none. */
export function versionOfName(recorded: string): { version: string; name: string } {
  const parsed = parseMigrationFileName(recorded.toLowerCase().endsWith('.sql') ? recorded : `${recorded}.sql`);
  return parsed ? { version: parsed.version, name: parsed.name } : { version: recorded, name: recorded };
}

/** NameStyle is how a hand-made runner wrote names: `001_init.sql` (file), `001_init` (stem) or `init` (name). */
export type NameStyle = 'file' | 'stem' | 'name';

/** nameStyleOf guesses the style from a recorded name; a table with no rows gets file names. */
export function nameStyleOf(recorded: string | undefined): NameStyle {
  if (recorded === undefined || recorded.toLowerCase().endsWith('.sql')) return 'file';
  return /^\d/.test(recorded) ? 'stem' : 'name';
}

/** nameIn writes a migration's name in a style. */
export function nameIn(style: NameStyle, migration: MigrationFile): string {
  const file = fileNameOf(migration);
  if (style === 'file') return file;
  if (style === 'stem') return file.replace(/\.sql$/i, '');
  return migration.name;
}

/** appliedRow fills the fields a tool does not keep. */
export function appliedRow(fields: Partial<AppliedMigration> & { version: string }): AppliedMigration {
  return { name: '', checksum: '', script: null, appliedAt: EPOCH, appliedBy: '', executionMs: 0, checksumKind: 'none', ...fields };
}

/** RecordedNames remembers, from the last read, the name a file-keyed tool recorded for each version. */
export class RecordedNames {
  private readonly names = new Map<string, string>();

  /** clear forgets the previous read. */
  clear(): void {
    this.names.clear();
  }

  /** set remembers a version's recorded name. */
  set(version: string, recorded: string): void {
    this.names.set(withoutLeadingZeros(version), recorded);
  }

  /** get is the recorded name of a version; the table must have been read first. */
  get(version: string): string {
    const recorded = this.names.get(withoutLeadingZeros(version));
    if (recorded === undefined) throw new StrataError('internal', `No recorded row for version ${version}; read the tracking table first`);
    return recorded;
  }
}
