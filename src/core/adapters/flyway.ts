import { StrataError } from '../errors';
import { basename } from 'node:path';
import { fileAsRun, flywayChecksum } from '../foreignChecksum';
import { compareVersions, withoutLeadingZeros, type AppliedMigration, type MigrationFile } from '../types';
import { appliedRow, elapsed, hasColumns, type ForeignFormat, type ForeignTable } from './adapter';

const COLUMNS = ['installed_rank', 'version', 'description', 'type', 'script', 'checksum', 'installed_by', 'installed_on', 'execution_time', 'success'];

interface FlywayRow {
  version: string | null;
  description: string;
  type: string;
  script: string;
  checksum: number | null;
  installed_by: string;
  installed_on: Date;
  execution_time: number;
  success: boolean;
}

/**
 * Flyway keeps `flyway_schema_history`, one row per event in `installed_rank` order: versioned
 * migrations (type SQL), a BASELINE (every version up to it counts as applied), undo rows (UNDO_SQL,
 * which take a version back out), and repeatable migrations (no version; Strata ignores them).
 * Strata records an apply as Flyway does (next rank, description with spaces, script file name,
 * Flyway's CRC32, installed_by = current_user). It does not roll back: Flyway records undo as extra
 * UNDO_SQL rows of its paid edition, which Strata does not write.
 */
export const flyway: ForeignFormat = {
  kind: 'flyway',
  tool: 'Flyway',
  defaultTable: 'flyway_schema_history',
  matches: (columns) => hasColumns(columns, COLUMNS),
  open: (table: ForeignTable) => ({
    kind: 'flyway',
    tool: 'Flyway',
    checksums: "CRC32 of the file's lines (Flyway's own algorithm)",
    async read(client) {
      const result = await client.query<FlywayRow>(
        `SELECT version, description, type, script, checksum, installed_by, installed_on, execution_time, success
           FROM ${table.qualified} ORDER BY installed_rank`,
      );
      const applied = new Map<string, AppliedMigration>();
      for (const row of result.rows) {
        if (row.version === null) continue; // schema markers and repeatable migrations
        const key = withoutLeadingZeros(row.version);
        if (row.type.startsWith('UNDO')) {
          if (row.success) applied.delete(key);
          continue;
        }
        if (row.type === 'BASELINE') {
          for (const m of table.set?.migrations ?? []) {
            if (compareVersions(m.version, row.version) <= 0) applied.set(withoutLeadingZeros(m.version), appliedRow({ version: m.version, name: m.name, appliedAt: row.installed_on, appliedBy: row.installed_by }));
          }
          continue;
        }
        if (row.type === 'DELETE') {
          applied.delete(key);
          continue;
        }
        applied.set(key, {
          version: row.version,
          name: row.description,
          checksum: row.checksum === null ? '' : String(row.checksum),
          checksumKind: row.checksum === null ? 'none' : 'flyway-crc32',
          script: null,
          appliedAt: row.installed_on,
          appliedBy: row.installed_by,
          executionMs: row.execution_time,
          ...(row.success ? {} : { failed: `Flyway recorded ${row.script} as failed; remove the failed row with \`flyway repair\`` }),
        });
      }
      return [...applied.values()];
    },
    refusal: (direction) =>
      direction === 'down'
        ? 'Flyway records a rollback as an extra UNDO_SQL row (a feature of its paid edition); Strata does not write those, so it does not roll back a Flyway project. Use Flyway undo, or a new forward migration.'
        : null,
    insertQuery: (migration: MigrationFile, executionMs) => {
      const values: unknown[] = [migration.version, migration.name.replace(/_/g, ' '), basename(migration.file), flywayChecksum(fileAsRun(migration).toString('utf8'))];
      const ms = elapsed(values, executionMs);
      return {
        text:
          `INSERT INTO ${table.qualified} (installed_rank, version, description, type, script, checksum, installed_by, installed_on, execution_time, success) ` +
          `SELECT COALESCE(MAX(installed_rank), 0) + 1, $1, $2, 'SQL', $3, $4, current_user, now(), ${ms}, true FROM ${table.qualified}`,
        values,
      };
    },
    removeQuery: () => {
      throw new StrataError('history-read-only', 'Strata does not record rollbacks in Flyway\'s history');
    },
    acceptQuery: (migration) => ({
      text: `UPDATE ${table.qualified} SET checksum = $2 WHERE version = $1 AND type = 'SQL'`,
      values: [migration.version, flywayChecksum(fileAsRun(migration).toString('utf8'))],
    }),
  }),
};
