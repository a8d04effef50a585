import { sep } from 'node:path';
import type pg from 'pg';
import { PRISMA_SCRIPT } from './discover';
import { StrataError } from './errors';
import { inDurableTransaction } from './execute';
import { HistoryTable, type HistoryDescription } from './history';
import { computeStatus } from './status';
import type { MigrationSet } from './types';

/** STRATA_COPY_TABLE is where `adopt --copy` keeps Strata's history when another tool owns the configured table. */
export const STRATA_COPY_TABLE = 'strata_migrations';

/** Adoption is what `strata adopt` found: the tracking table in use, how much it says is applied, and the folder's layout. */
export interface Adoption {
  history: HistoryDescription;
  applied: number;
  failed: number;
  pending: number;
  /** drifted counts applied files whose checksum (in the tool's algorithm) no longer matches. */
  drifted: number;
  /** missing counts rows whose file is not in the folder. */
  missing: number;
  layout: string;
}

/** inspectAdoption reads the tracking table (detecting its tool) and describes the project as found. */
export async function inspectAdoption(client: pg.ClientBase, history: HistoryTable, set: MigrationSet): Promise<Adoption> {
  const description = await history.describe(client);
  const statuses = computeStatus(set, await history.read(client, { withScripts: false }));
  const count = (...states: string[]): number => statuses.filter((status) => states.includes(status.state)).length;
  return {
    history: description,
    applied: count('applied', 'drifted'),
    failed: count('failed'),
    pending: count('pending', 'out-of-order'),
    drifted: count('drifted'),
    missing: count('missing'),
    layout: layoutOf(set),
  };
}

/** layoutOf names the folder's layout in the words of the tool that uses it. */
export function layoutOf(set: MigrationSet): string {
  const { migrations } = set;
  if (migrations.length === 0) return 'no migrations yet';
  if (migrations.some((m) => m.file.endsWith(sep + PRISMA_SCRIPT))) return 'Prisma folders (<timestamp>_<name>/migration.sql), forward only';
  if (migrations.some((m) => /^V\d[\d._]*__/.test(m.file.slice(m.file.lastIndexOf(sep) + 1)))) {
    return 'Flyway files (V<version>__<description>.sql, undo in U<version>__<description>.sql)';
  }
  if (migrations.some((m) => m.downFile !== null)) return 'paired files (<version>_<name>.up.sql + .down.sql)';
  if (migrations.some((m) => m.down !== null)) return 'single files with UP and DOWN sections (-- UP / -- migrate:up / -- Up Migration)';
  return 'single forward-only files (no DOWN)';
}

/** CopyResult is what `adopt --copy` wrote into Strata's own table. */
export interface CopyResult {
  schema: string;
  table: string;
  rows: number;
}

/**
 * copyHistory copies what another tool's table says is applied into Strata's own table (created
 * here), in one transaction, leaving the tool's table untouched. A row whose file matches its tool
 * checksum (or whose tool keeps none) is recorded with the file's UP; one whose file changed keeps a
 * checksum that cannot match, so it shows as drifted until `strata repair`; one without a file
 * shows as missing. Failed rows are not copied.
 */
export async function copyHistory(client: pg.ClientBase, from: HistoryTable, set: MigrationSet, to: HistoryTable): Promise<CopyResult> {
  const source = await from.describe(client);
  if (source.kind === 'strata') throw new StrataError('nothing-to-do', `${from.label} is already Strata's own tracking table; there is nothing to copy.`);
  const statuses = computeStatus(set, await from.read(client, { withScripts: false }));
  if ((await to.describe(client)).kind !== 'strata') throw new StrataError('foreign-history-table', `${to.label} is another tool's table; choose another "table" for Strata's history.`);
  if ((await to.read(client, { withScripts: false })).length > 0) {
    throw new StrataError('nothing-to-do', `${to.label} already holds Strata history; adopt --copy does not overwrite it.`);
  }
  return inDurableTransaction(client, async () => {
    await to.ensure(client);
    let rows = 0;
    for (const status of statuses) {
      const applied = status.applied;
      if (!applied || status.state === 'failed') continue;
      const migration = status.migration;
      const matches = status.state === 'applied' && migration !== null;
      await to.insert(client, {
        version: migration?.version ?? applied.version,
        name: migration?.name ?? applied.name,
        checksum: matches ? migration.checksum : `${applied.checksumKind ?? 'unknown'}:${applied.checksum}`,
        script: matches ? migration.up.text : '',
        executionMs: applied.executionMs,
        ...(applied.appliedAt.getTime() > 0 ? { appliedAt: applied.appliedAt } : {}),
        ...(applied.appliedBy ? { appliedBy: applied.appliedBy } : {}),
      });
      rows++;
    }
    return { schema: to.schema, table: to.table, rows };
  });
}
