import { StrataError } from './errors';
import { inDurableTransaction } from './execute';
import { withRunLock } from './runner';
import { selectPending } from './select';
import { computeStatus } from './status';
import type { RunContext } from './context';
import { compareVersions, type MigrationSet } from './types';

/** repairChecksums accepts the current UP of drifted migrations as what was applied; all of them, or one version. */
export async function repairChecksums(ctx: RunContext, set: MigrationSet, version?: string): Promise<string[]> {
  return withRunLock(ctx, async () => {
    const statuses = computeStatus(set, await ctx.history.read(ctx.client));
    const drifted = statuses.filter((status) => status.state === 'drifted' && status.migration);
    const chosen = version === undefined ? drifted : drifted.filter((status) => compareVersions(status.version, version) === 0);
    if (version !== undefined && chosen.length === 0) {
      const known = statuses.find((status) => compareVersions(status.version, version) === 0);
      const why = known ? `its state is ${known.state}, not drifted` : 'no such migration';
      throw new StrataError('target-not-found', `Nothing to repair for version ${version}: ${why}`);
    }
    // All or none, and on disk before repair reports them.
    await inDurableTransaction(ctx.client, async () => {
      for (const status of chosen) {
        const migration = status.migration!;
        await ctx.history.acceptChecksum(ctx.client, status.applied!.version, migration.checksum, migration.up.text, migration);
      }
    });
    for (const { migration } of chosen) ctx.logger.info(`Accepted the current checksum of ${migration!.version} ${migration!.file}`);
    return chosen.map((status) => status.version);
  });
}

/**
 * baselineTo records pending migrations up to and including `to` as applied without running them,
 * for databases whose schema already contains what those migrations create.
 */
export async function baselineTo(ctx: RunContext, set: MigrationSet, to: string): Promise<string[]> {
  return withRunLock(ctx, async () => {
    await ctx.history.ensure(ctx.client);
    const statuses = computeStatus(set, await ctx.history.read(ctx.client));
    const chosen = selectPending(statuses, { to, outOfOrder: true });
    await inDurableTransaction(ctx.client, async () => {
      for (const migration of chosen) {
        await ctx.history.insert(ctx.client, {
          version: migration.version,
          name: migration.name,
          checksum: migration.checksum,
          script: migration.up.text,
          executionMs: 0,
          migration,
        });
      }
    });
    chosen.forEach((migration) => ctx.logger.info(`Recorded ${migration.version} ${migration.file} as applied (not run)`));
    return chosen.map((migration) => migration.version);
  });
}
