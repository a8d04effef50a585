import { fileAsRun, md5Checksum } from '../foreignChecksum';
import { withoutLeadingZeros, type AppliedMigration } from '../types';
import { appliedRow, elapsed, hasColumns, nameIn, nameStyleOf, RecordedNames, versionOfName, type ForeignFormat, type ForeignTable, type NameStyle } from './adapter';

/**
 * idName is the hand-made runner's `schema_migrations(id, name, applied_at)`, keyed by the file's
 * version (the timestamp). New rows get the name in the style the table already uses.
 */
export const idName: ForeignFormat = {
  kind: 'id-name',
  tool: 'a hand-made runner (id, name, applied_at)',
  defaultTable: 'schema_migrations',
  matches: (columns) => columns.length === 3 && hasColumns(columns, ['id', 'name', 'applied_at']),
  open: (table: ForeignTable) => {
    let style: NameStyle = 'file';
    return {
      kind: 'id-name',
      tool: 'a hand-made runner (id, name, applied_at)',
      checksums: null,
      async read(client) {
        const result = await client.query<{ id: string; name: string; applied_at: Date }>(`SELECT id::text AS id, name, applied_at FROM ${table.qualified} ORDER BY applied_at`);
        style = nameStyleOf(result.rows[0]?.name);
        return result.rows.map((row) => appliedRow({ version: row.id, name: row.name, appliedAt: row.applied_at }));
      },
      refusal: () => null,
      insertQuery: (migration) => ({ text: `INSERT INTO ${table.qualified} (id, name, applied_at) VALUES ($1, $2, now())`, values: [migration.version, nameIn(style, migration)] }),
      removeQuery: (version) => ({ text: `DELETE FROM ${table.qualified} WHERE id = $1`, values: [version] }),
      acceptQuery: () => null,
    };
  },
};

/**
 * versionMd5 is the hand-made runner's `schema_migrations(version, name, applied_at, execution_time_ms,
 * checksum)`. Its checksum is the MD5 (hex) of the whole file's bytes as on disk, what such runners
 * compute with `createHash('md5').update(readFileSync(file))`.
 */
export const versionMd5: ForeignFormat = {
  kind: 'version-md5',
  tool: 'a hand-made runner (version, name, checksum)',
  defaultTable: 'schema_migrations',
  matches: (columns) => hasColumns(columns, ['version', 'name', 'applied_at', 'execution_time_ms', 'checksum']),
  open: (table: ForeignTable) => {
    let style: NameStyle = 'file';
    return {
      kind: 'version-md5',
      tool: 'a hand-made runner (version, name, checksum)',
      checksums: "MD5 of the file's bytes",
      async read(client) {
        const result = await client.query<{ version: string; name: string; applied_at: Date; execution_time_ms: number | null; checksum: string | null }>(
          `SELECT version::text AS version, name, applied_at, execution_time_ms, checksum FROM ${table.qualified} ORDER BY applied_at`,
        );
        style = nameStyleOf(result.rows[0]?.name);
        return result.rows.map((row) =>
          appliedRow({
            version: row.version,
            name: row.name,
            appliedAt: row.applied_at,
            executionMs: row.execution_time_ms ?? 0,
            checksum: row.checksum ?? '',
            checksumKind: row.checksum ? 'md5' : 'none',
          }),
        );
      },
      refusal: () => null,
      insertQuery: (migration, executionMs) => {
        const values: unknown[] = [migration.version, nameIn(style, migration), md5Checksum(fileAsRun(migration))];
        const ms = elapsed(values, executionMs);
        return { text: `INSERT INTO ${table.qualified} (version, name, checksum, applied_at, execution_time_ms) VALUES ($1, $2, $3, now(), ${ms})`, values };
      },
      removeQuery: (version) => ({ text: `DELETE FROM ${table.qualified} WHERE version = $1`, values: [version] }),
      acceptQuery: (migration) => ({ text: `UPDATE ${table.qualified} SET checksum = $2 WHERE version = $1`, values: [migration.version, md5Checksum(fileAsRun(migration))] }),
    };
  },
};

const HISTORY_COLUMNS = ['migration_name', 'applied_at', 'applied_by', 'execution_time_ms', 'success', 'error_message'];

/**
 * migrationHistory is the hand-made runner's `migration_history(migration_name, applied_at, applied_by,
 * execution_time_ms, success, error_message)`, a log keyed by file name: the latest row of a file
 * says its state, and a `success = false` row is a failed attempt that the next `up` retries.
 */
export const migrationHistory: ForeignFormat = {
  kind: 'migration-history',
  tool: 'a hand-made runner (migration_history)',
  defaultTable: 'migration_history',
  matches: (columns) => hasColumns(columns, HISTORY_COLUMNS),
  open: (table: ForeignTable) => {
    let style: NameStyle = 'file';
    const recorded = new RecordedNames();
    return {
      kind: 'migration-history',
      tool: 'a hand-made runner (migration_history)',
      checksums: null,
      async read(client) {
        const result = await client.query<{ migration_name: string; applied_at: Date; applied_by: string | null; execution_time_ms: number | null; success: boolean; error_message: string | null }>(
          `SELECT migration_name, applied_at, applied_by, execution_time_ms, success, error_message FROM ${table.qualified} ORDER BY applied_at`,
        );
        style = nameStyleOf(result.rows[0]?.migration_name);
        recorded.clear();
        const latest = new Map<string, AppliedMigration>();
        for (const row of result.rows) {
          const parsed = versionOfName(row.migration_name);
          recorded.set(parsed.version, row.migration_name);
          const applied = appliedRow({ ...parsed, appliedAt: row.applied_at, appliedBy: row.applied_by ?? '', executionMs: row.execution_time_ms ?? 0 });
          if (!row.success) {
            applied.failed = `recorded as failed${row.error_message ? `: ${row.error_message}` : ''}`;
            applied.retry = true;
          }
          latest.set(withoutLeadingZeros(parsed.version), applied);
        }
        return [...latest.values()];
      },
      refusal: () => null,
      insertQuery: (migration, executionMs) => {
        const values: unknown[] = [nameIn(style, migration)];
        const ms = elapsed(values, executionMs);
        return {
          text: `INSERT INTO ${table.qualified} (migration_name, applied_at, applied_by, execution_time_ms, success, error_message) VALUES ($1, now(), current_user, ${ms}, true, NULL)`,
          values,
        };
      },
      removeQuery: (version) => ({ text: `DELETE FROM ${table.qualified} WHERE migration_name = $1`, values: [recorded.get(version)] }),
      acceptQuery: () => null,
    };
  },
};

const NAME_LIST_EXTRAS = new Set(['id', 'name', 'applied_at', 'run_at', 'run_on', 'created_at', 'executed_at', 'migrated_at']);

/** nameList is the hand-made `migrations(name)`: one row per applied file, keyed by its file name. */
export const nameList: ForeignFormat = {
  kind: 'name-list',
  tool: 'a hand-made runner (migrations by name)',
  defaultTable: 'migrations',
  matches: (columns) => columns.includes('name') && columns.every((column) => NAME_LIST_EXTRAS.has(column)),
  open: (table: ForeignTable) => {
    let style: NameStyle = 'file';
    const recorded = new RecordedNames();
    return {
      kind: 'name-list',
      tool: 'a hand-made runner (migrations by name)',
      checksums: null,
      async read(client) {
        const result = await client.query<{ name: string }>(`SELECT name FROM ${table.qualified}`);
        style = nameStyleOf(result.rows[0]?.name);
        recorded.clear();
        return result.rows.map((row) => {
          const parsed = versionOfName(row.name);
          recorded.set(parsed.version, row.name);
          return appliedRow(parsed);
        });
      },
      refusal: () => null,
      insertQuery: (migration) => ({ text: `INSERT INTO ${table.qualified} (name) VALUES ($1)`, values: [nameIn(style, migration)] }),
      removeQuery: (version) => ({ text: `DELETE FROM ${table.qualified} WHERE name = $1`, values: [recorded.get(version)] }),
      acceptQuery: () => null,
    };
  },
};
