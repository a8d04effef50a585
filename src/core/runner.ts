import { StrataError, type MigrationErrorDetails } from './errors';
import { withAdvisoryLock } from './lock';
import { prepareSection, type Direction, type PreparedScript } from './prepare';
import { assertReversible, assertUsableFolder, selectPending, selectRollback, type SelectOptions } from './select';
import { computeStatus } from './status';
import { runStep } from './apply';
import { flushCommits } from './execute';
import type { RunContext, RunRecord } from './context';
import type { MigrationFile, MigrationSet, MigrationStatus } from './types';

/** RunResult is what `up` and `down` did: the migrations that ran, and the error that stopped the run. */
export interface RunResult {
  direction: Direction;
  migrations: RunRecord[];
  error: MigrationErrorDetails | null;
  /** cancelled is set when the user stopped the run between migrations. */
  cancelled: boolean;
  warnings: string[];
  /**
   * unconfirmed are migrations that committed but that the server never confirmed were on disk: the
   * connection was lost before the run's final flush (see runAll). A server crash may have undone
   * them; they are not in `migrations`, and `error` says so.
   */
  unconfirmed: RunRecord[];
}

/**
 * migrateUp applies pending migrations in version order, each in its own transaction with its
 * tracking row, under the advisory lock. The first failure stops the run; nothing after it is tried.
 */
export async function migrateUp(ctx: RunContext, set: MigrationSet, options: SelectOptions = {}): Promise<RunResult> {
  assertUsableFolder(set);
  return withRunLock(ctx, async () => {
    const statuses = computeStatus(set, await ctx.history.read(ctx.client));
    const warnings = historyWarnings(statuses);
    warnings.forEach((warning) => ctx.logger.warn(warning));
    const pending = selectPending(statuses, options);
    const prepared = prepareAll(pending, 'up');
    if (!prepared.ok) return { direction: 'up', migrations: [], error: prepared.error, cancelled: false, warnings, unconfirmed: [] };
    // The tracking table is created on the first apply, not by a run that has nothing to apply.
    if (prepared.scripts.length > 0) await ctx.history.ensure(ctx.client);
    return { ...(await runAll(ctx, prepared.scripts)), direction: 'up', warnings };
  });
}

/**
 * migrateDown rolls back applied migrations newest first. It refuses before touching anything when
 * one of them has no DOWN or no file.
 */
export async function migrateDown(ctx: RunContext, set: MigrationSet, options: SelectOptions = {}): Promise<RunResult> {
  return withRunLock(ctx, async () => {
    const history = await ctx.history.read(ctx.client);
    if (history.length === 0) {
      throw new StrataError('nothing-to-do', `Can't roll back: no migrations have been applied (${ctx.history.label} is empty or absent)`);
    }
    // Another tool's table that Strata only reads (Flyway, Prisma) refuses before anything else is checked.
    await ctx.history.ensure(ctx.client, 'down');
    const targets = selectRollback(history, set, options);
    assertReversible(targets);
    const migrations = targets.map((target) => target.migration!);
    const statuses = computeStatus(set, history);
    const warnings = statuses
      .filter((status) => status.state === 'drifted' && migrations.includes(status.migration!))
      .map((status) => `${status.file}: rolling back a migration whose UP was edited after it was applied`);
    warnings.forEach((warning) => ctx.logger.warn(warning));
    const prepared = prepareAll(migrations, 'down');
    if (!prepared.ok) return { direction: 'down', migrations: [], error: prepared.error, cancelled: false, warnings, unconfirmed: [] };
    return { ...(await runAll(ctx, prepared.scripts)), direction: 'down', warnings };
  });
}

/** withRunLock sets the session's statement timeout and holds the advisory lock for the run. */
export async function withRunLock<T>(ctx: RunContext, work: () => Promise<T>): Promise<T> {
  const lock = { schema: ctx.history.schema, table: ctx.history.table };
  const lockOptions = { timeoutMs: ctx.lockTimeoutMs, logger: ctx.logger, signal: ctx.signal };
  // lock_timeout keeps a migration from queueing forever behind another session's lock (and every
  // query of the application from queueing behind the migration); the blocker is named on failure.
  await ctx.client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${ctx.lockTimeoutMs}ms`]);
  // A runner killed mid-migration (SIGKILL, a cancelled CI job) leaves its backend running the
  // statement it sent, holding the advisory lock and the migration's locks until it ends: polling the
  // client socket makes the server roll it back within a second instead. PostgreSQL 14+; a server that
  // cannot check (Windows) refuses the setting, and the run goes on without it.
  await ctx.client.query(`SELECT set_config('client_connection_check_interval', '1000ms', false)`).catch(() => undefined);
  if (ctx.statementTimeoutMs !== null) {
    await ctx.client.query(`SELECT set_config('statement_timeout', $1, false)`, [`${ctx.statementTimeoutMs}ms`]);
  }
  return withAdvisoryLock(ctx.client, lock, lockOptions, work);
}

/** prepareAll parses every section before anything runs, so a syntax error in the third file stops the run before the first. */
export function prepareAll(
  migrations: readonly MigrationFile[],
  direction: Direction,
): { ok: true; scripts: PreparedScript[] } | { ok: false; error: MigrationErrorDetails } {
  const scripts: PreparedScript[] = [];
  for (const migration of migrations) {
    const result = prepareSection(migration, direction);
    if (!result.ok) return result;
    scripts.push(result.prepared);
  }
  return { ok: true, scripts };
}

/**
 * runAll runs the scripts with one disk flush for the run: each migration commits without waiting for
 * its WAL flush except the last, whose flush covers every earlier commit. A run that stops before its
 * last migration (a failure, a cancel) flushes with flushCommits instead. When that flush fails (the
 * connection or the server is gone), the migrations committed since the last durable commit are moved
 * to `unconfirmed`: a server that crashed may have lost them, so they are never reported as applied,
 * and the run fails.
 */
async function runAll(ctx: RunContext, scripts: readonly PreparedScript[]): Promise<Omit<RunResult, 'direction' | 'warnings'>> {
  const done: RunRecord[] = [];
  // A record whose commit was flushed when it returned: the run's last migration, and any migration run
  // outside a transaction (its tracking row commits durably on its own: apply.ts, record).
  const durable = (i: number): boolean => i === scripts.length - 1 || !done[i]!.transactional;
  let result: Omit<RunResult, 'direction' | 'warnings' | 'unconfirmed'>;
  try {
    result = await runEach(ctx, scripts, done);
  } catch (error) {
    await flushCommits(ctx.client).catch(() => undefined);
    throw error;
  }
  const flushed = done.length === 0 || durable(done.length - 1) ? null : await flushOrWhy(ctx);
  if (flushed === null) return { ...result, unconfirmed: [] };
  // A durable commit flushed every commit before it too.
  let lastDurable = done.length - 1;
  while (lastDurable >= 0 && !durable(lastDurable)) lastDurable--;
  const unconfirmed = done.slice(lastDurable + 1);
  const migrations = done.slice(0, lastDurable + 1);
  const first = unconfirmed[0]!;
  const message = `the connection was lost before the server confirmed that ${unconfirmed.map((r) => r.version).join(', ')} reached its disk (${flushed}); a server crash may have undone them: run \`strata status\` to see what is recorded`;
  ctx.logger.error(message);
  const error = result.error ?? unconfirmedError(first, message);
  return { ...result, migrations, error, unconfirmed };
}

/** flushOrWhy flushes the session's asynchronous commits; returns null when done, else why it failed. */
async function flushOrWhy(ctx: RunContext): Promise<string | null> {
  try {
    await flushCommits(ctx.client);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function unconfirmedError(record: RunRecord, message: string): MigrationErrorDetails {
  return { version: record.version, file: record.file, line: 1, column: 1, sqlstate: null, message, detail: null, hint: null, statement: '', where: null };
}

async function runEach(ctx: RunContext, scripts: readonly PreparedScript[], done: RunRecord[]): Promise<Omit<RunResult, 'direction' | 'warnings' | 'unconfirmed'>> {
  for (const [index, prepared] of scripts.entries()) {
    if (ctx.signal?.aborted) return { migrations: done, error: null, cancelled: true };
    const { version } = prepared.migration;
    const file = prepared.section.file;
    const direction = prepared.direction;
    ctx.onEvent?.({ type: 'start', direction, version, file, index, total: scripts.length });
    ctx.logger.info(`${direction === 'up' ? 'Applying' : 'Rolling back'} ${version} ${file}`);
    const outcome = await runStep(ctx, prepared, index === scripts.length - 1);
    if (!outcome.ok) {
      const cancelled = outcome.error.sqlstate === '57014' && ctx.signal?.aborted === true;
      ctx.logger.error(`${outcome.error.file}:${outcome.error.line}:${outcome.error.column}: ${outcome.error.message}`);
      return { migrations: done, error: outcome.error, cancelled };
    }
    const record = { version, file, executionMs: Math.round(outcome.executionMs), transactional: prepared.transactional };
    done.push(record);
    ctx.logger.info(`${direction === 'up' ? 'Applied' : 'Rolled back'} ${version} in ${record.executionMs} ms`);
    ctx.onEvent?.({ type: 'done', direction, version, file, executionMs: record.executionMs, index, total: scripts.length });
  }
  return { migrations: done, error: null, cancelled: false };
}

/** historyWarnings are the problems `up` proceeds past but must not hide: drift and missing files. */
export function historyWarnings(statuses: readonly MigrationStatus[]): string[] {
  return statuses.flatMap((status) => {
    if (status.state === 'drifted') return [`${status.file}: edited after it was applied (checksum differs); see \`strata status\`, accept it with \`strata repair\``];
    if (status.state === 'missing') return [`${status.version} ${status.name}: applied, but its file is missing from the migrations folder`];
    return [];
  });
}
