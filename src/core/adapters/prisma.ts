import { randomUUID } from 'node:crypto';
import { StrataError } from '../errors';
import { fileAsRun, prismaChecksum } from '../foreignChecksum';
import { withoutLeadingZeros, type AppliedMigration } from '../types';
import { fileNameOf, hasColumns, RecordedNames, versionOfName, type ForeignFormat, type ForeignTable } from './adapter';

const COLUMNS = ['id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count'];

interface PrismaRow {
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  started_at: Date;
}

/**
 * Prisma Migrate keeps `_prisma_migrations`, one row per attempt at `prisma/migrations/<name>/migration.sql`:
 * rolled-back rows (`rolled_back_at` set) no longer count, an unfinished row (`finished_at` null) is a
 * failed migration that `prisma migrate resolve` must settle. Strata records an apply as `prisma
 * migrate deploy` does: a UUID id, the SHA-256 of migration.sql, started and finished times, one step.
 * Prisma has no down migrations, so Strata does not roll back a Prisma project.
 */
export const prisma: ForeignFormat = {
  kind: 'prisma',
  tool: 'Prisma Migrate',
  defaultTable: '_prisma_migrations',
  matches: (columns) => hasColumns(columns, COLUMNS),
  open: (table: ForeignTable) => {
    const recorded = new RecordedNames();
    return {
      kind: 'prisma',
      tool: 'Prisma Migrate',
      checksums: 'SHA-256 of migration.sql',
      async read(client) {
        const result = await client.query<PrismaRow>(
          `SELECT checksum, finished_at, migration_name, started_at FROM ${table.qualified} WHERE rolled_back_at IS NULL ORDER BY started_at`,
        );
        recorded.clear();
        const applied = new Map<string, AppliedMigration>();
        for (const row of result.rows) {
          const { version, name } = versionOfName(row.migration_name);
          recorded.set(version, row.migration_name);
          applied.set(withoutLeadingZeros(version), {
            version,
            name,
            checksum: row.checksum,
            checksumKind: 'prisma-sha256',
            script: null,
            appliedAt: row.finished_at ?? row.started_at,
            appliedBy: '',
            executionMs: row.finished_at ? row.finished_at.getTime() - row.started_at.getTime() : 0,
            ...(row.finished_at ? {} : { failed: `Prisma recorded ${row.migration_name} as started but not finished; settle it with \`prisma migrate resolve\`` }),
          });
        }
        return [...applied.values()];
      },
      refusal: (direction) =>
        direction === 'down' ? 'Prisma Migrate has no down migrations and records none; Strata does not roll back a Prisma project. Write a new migration instead.' : null,
      insertQuery: (migration) => ({
        // started_at is the transaction's start (now()), finished_at the moment the row is written.
        text:
          `INSERT INTO ${table.qualified} (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) ` +
          `VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
        values: [randomUUID(), prismaChecksum(fileAsRun(migration).toString('utf8')), fileNameOf(migration)],
      }),
      removeQuery: () => {
        throw new StrataError('history-read-only', 'Strata does not record rollbacks in Prisma\'s history');
      },
      acceptQuery: (migration) => ({
        text: `UPDATE ${table.qualified} SET checksum = $2 WHERE migration_name = $1 AND rolled_back_at IS NULL`,
        values: [recorded.get(migration.version), prismaChecksum(fileAsRun(migration).toString('utf8'))],
      }),
    };
  },
};
