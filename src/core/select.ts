import { StrataError } from './errors';
import { versionKey } from './status';
import { compareVersions, type AppliedMigration, type MigrationFile, type MigrationSet, type MigrationStatus } from './types';

/** SelectOptions narrows a run: how many migrations, or up to (up) / down to (down) which version. */
export interface SelectOptions {
  steps?: number | undefined;
  to?: string | undefined;
  outOfOrder?: boolean | undefined;
}

/**
 * assertUsableFolder refuses to run while the folder has files that are not usable migrations.
 * Files Strata knowingly leaves to their tool (Flyway's repeatable migrations) do not block a run.
 */
export function assertUsableFolder(set: MigrationSet): void {
  const blocking = set.problems.filter((problem) => problem.kind !== 'unsupported');
  if (blocking.length === 0) return;
  const lines = blocking.map((problem) => `  ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
  throw new StrataError(
    'migration-file-invalid',
    `Refusing to run: the migrations folder has files Strata cannot use:\n${lines.join('\n')}`,
    { problems: blocking },
  );
}

/**
 * selectPending returns the migrations `up` would apply, in version order. Out-of-order migrations
 * (older than the newest applied) are refused unless allowed.
 */
export function selectPending(statuses: readonly MigrationStatus[], options: SelectOptions): MigrationFile[] {
  const failed = statuses.filter((status) => status.state === 'failed' && !status.applied?.retry);
  if (failed.length > 0) {
    throw new StrataError(
      'failed-migration',
      `Refusing to apply: the tracking table records ${failed.map((status) => `${status.version} as failed (${status.problem ?? 'failed'})`).join(', ')}. ` +
        `Resolve it with the tool that recorded it first.`,
      { versions: failed.map((status) => status.version) },
    );
  }
  const outOfOrder = statuses.filter((status) => status.state === 'out-of-order');
  if (outOfOrder.length > 0 && !options.outOfOrder) {
    throw new StrataError(
      'out-of-order',
      `Refusing to apply ${outOfOrder.length} migration(s) older than the newest applied one ` +
        `(${outOfOrder.map((status) => status.version).join(', ')}), e.g. after a merge. ` +
        `Check they do not conflict with what ran since, then allow it with --out-of-order or "outOfOrder": true in strata.json.`,
      { versions: outOfOrder.map((status) => status.version) },
    );
  }
  let pending = statuses.flatMap((status) =>
    (status.state === 'pending' || status.state === 'out-of-order' || (status.state === 'failed' && status.applied?.retry)) && status.migration ? [status.migration] : [],
  );
  if (options.to !== undefined) {
    const target = options.to;
    const known = statuses.some((status) => status.migration && compareVersions(status.version, target) === 0);
    if (!known) throw new StrataError('target-not-found', `No migration with version ${target} in the migrations folder`);
    pending = pending.filter((migration) => compareVersions(migration.version, target) <= 0);
  }
  if (options.steps !== undefined) pending = pending.slice(0, options.steps);
  return pending;
}

/** RollbackTarget is an applied migration chosen for rollback, with its file when it still exists. */
export interface RollbackTarget {
  applied: AppliedMigration;
  migration: MigrationFile | null;
}

/**
 * selectRollback returns the applied migrations `down` would roll back, newest first: the last one
 * by default, `steps` of them, or every one newer than `to` (`to` stays applied; `--to 0` rolls back all).
 */
export function selectRollback(
  history: readonly AppliedMigration[],
  set: MigrationSet,
  options: SelectOptions,
): RollbackTarget[] {
  const newestFirst = [...history].sort((a, b) => compareVersions(b.version, a.version));
  let chosen: AppliedMigration[];
  if (options.to !== undefined) {
    const target = options.to;
    const isZero = /^0+$/.test(target);
    if (!isZero && !history.some((row) => compareVersions(row.version, target) === 0)) {
      throw new StrataError('target-not-found', `Version ${target} is not applied; --to must name an applied migration (or 0 for all)`);
    }
    chosen = newestFirst.filter((row) => compareVersions(row.version, target) > 0);
  } else {
    chosen = newestFirst.slice(0, options.steps ?? 1);
  }
  const byKey = new Map(set.migrations.map((migration) => [versionKey(migration.version), migration]));
  return chosen.map((applied) => ({ applied, migration: byKey.get(versionKey(applied.version)) ?? null }));
}

/** assertReversible refuses, before anything runs, a rollback that includes a migration with no DOWN or no file. */
export function assertReversible(targets: readonly RollbackTarget[]): void {
  const blocked = targets.flatMap((target) => {
    if (!target.migration) return [`${target.applied.version} (${target.applied.name}): its file is missing`];
    if (!target.migration.down) return [`${target.applied.version} (${target.migration.file}): it has no DOWN section`];
    return [];
  });
  if (blocked.length === 0) return;
  throw new StrataError(
    'no-down',
    `Can't roll back: nothing was changed, because ${blocked.length === 1 ? 'this migration' : 'these migrations'} cannot be rolled back:\n  ${blocked.join('\n  ')}`,
    { blocked },
  );
}
