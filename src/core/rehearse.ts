import { describeFailure, runScript, runStatement, ScriptFailure } from './execute';
import { prepareAll, withRunLock, historyWarnings } from './runner';
import { assertUsableFolder, selectPending, type SelectOptions } from './select';
import { computeStatus } from './status';
import type { RunContext, RunRecord } from './context';
import type { MigrationErrorDetails } from './errors';
import { sectionPosition, type PreparedScript } from './prepare';
import type { MigrationSet } from './types';

/** SkippedStatement is a statement a rehearsal could not run because it cannot run in a transaction. */
export interface SkippedStatement {
  version: string;
  file: string;
  line: number;
  reason: string;
  statement: string;
}

/** RehearseResult is what the rehearsal executed (and rolled back), the first error, and what it skipped. */
export interface RehearseResult {
  migrations: RunRecord[];
  error: MigrationErrorDetails | null;
  skipped: SkippedStatement[];
  warnings: string[];
}

/** REHEARSAL_LOCK_TIMEOUT_MS keeps a rehearsal from queueing behind live traffic's locks. */
export const REHEARSAL_LOCK_TIMEOUT_MS = 5_000;
/** REHEARSAL_STATEMENT_TIMEOUT_MS is used when no statementTimeout is configured. */
export const REHEARSAL_STATEMENT_TIMEOUT_MS = 300_000;

/**
 * rehearseUp executes the pending migrations against the real database inside one transaction and
 * always rolls it back, under lock_timeout and statement_timeout, timing each migration.
 */
export async function rehearseUp(ctx: RunContext, set: MigrationSet, options: SelectOptions = {}): Promise<RehearseResult> {
  assertUsableFolder(set);
  return withRunLock(ctx, async () => {
    const { client } = ctx;
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)`, [
        `${REHEARSAL_LOCK_TIMEOUT_MS}ms`,
        `${ctx.statementTimeoutMs ?? REHEARSAL_STATEMENT_TIMEOUT_MS}ms`,
      ]);
      await ctx.history.ensure(client);
      const statuses = computeStatus(set, await ctx.history.read(client));
      const warnings = historyWarnings(statuses);
      const prepared = prepareAll(selectPending(statuses, options), 'up');
      if (!prepared.ok) return { migrations: [], error: prepared.error, skipped: [], warnings };
      return { ...(await rehearseAll(ctx, prepared.scripts)), warnings };
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
  });
}

async function rehearseAll(ctx: RunContext, scripts: readonly PreparedScript[]): Promise<Omit<RehearseResult, 'warnings'>> {
  const migrations: RunRecord[] = [];
  const skipped: SkippedStatement[] = [];
  for (const prepared of scripts) {
    const started = performance.now();
    try {
      if (prepared.nonTransactional.length === 0) await runScript(ctx.client, prepared);
      else skipped.push(...(await runSkippingNonTransactional(ctx, prepared)));
      await ctx.history.insert(ctx.client, {
        version: prepared.migration.version,
        name: prepared.migration.name,
        checksum: prepared.migration.checksum,
        script: prepared.migration.up.text,
        executionMs: 0,
        migration: prepared.migration,
      });
    } catch (error) {
      const failure = error instanceof ScriptFailure ? error : new ScriptFailure(error, -1, 0, prepared.script);
      return { migrations, error: describeFailure(prepared, failure), skipped };
    }
    const executionMs = Math.round(performance.now() - started);
    migrations.push({ version: prepared.migration.version, file: prepared.section.file, executionMs, transactional: prepared.transactional });
    ctx.logger.info(`Rehearsed ${prepared.migration.version} in ${executionMs} ms`);
  }
  return { migrations, error: null, skipped };
}

async function runSkippingNonTransactional(ctx: RunContext, prepared: PreparedScript): Promise<SkippedStatement[]> {
  const skipped: SkippedStatement[] = [];
  for (const [index, statement] of prepared.statements.entries()) {
    if (statement.nonTransactional) {
      const { line } = sectionPosition(prepared.section, statement.start);
      skipped.push({ version: prepared.migration.version, file: prepared.section.file, line, reason: statement.nonTransactional, statement: statement.text });
      continue;
    }
    await runStatement(ctx.client, prepared.statements, index);
  }
  return skipped;
}
