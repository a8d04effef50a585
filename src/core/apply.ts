import { StrataError, type MigrationErrorDetails } from './errors';
import { describeFailure, runScript, runStatement, ScriptFailure } from './execute';
import type { RunContext } from './context';
import type { PreparedScript } from './prepare';

/** StepOutcome is the result of running one migration's UP or DOWN. */
export type StepOutcome = { ok: true; executionMs: number } | { ok: false; error: MigrationErrorDetails };

/**
 * runStep runs one prepared UP or DOWN and writes its tracking row in the same transaction, so the
 * row exists if and only if the migration committed. A migration that cannot run in a transaction
 * runs statement by statement and is recorded only after its last statement succeeded.
 */
export async function runStep(ctx: RunContext, prepared: PreparedScript): Promise<StepOutcome> {
  return withCancellation(ctx, () => (prepared.transactional ? runInTransaction(ctx, prepared) : runOutsideTransaction(ctx, prepared)));
}

async function runInTransaction(ctx: RunContext, prepared: PreparedScript): Promise<StepOutcome> {
  const { client } = ctx;
  await client.query('BEGIN');
  try {
    const started = performance.now();
    await runScript(client, prepared);
    const executionMs = performance.now() - started;
    await record(ctx, prepared, executionMs);
    await client.query('COMMIT');
    return { ok: true, executionMs };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    return { ok: false, error: failureDetails(prepared, error) };
  }
}

async function runOutsideTransaction(ctx: RunContext, prepared: PreparedScript): Promise<StepOutcome> {
  const { client, logger } = ctx;
  const reasons = prepared.nonTransactional.map((entry) => `${entry.reason} at line ${entry.line}`);
  const why = prepared.migration.noTransaction ? 'the file says strata:no-transaction' : reasons.join(', ');
  logger.warn(
    `${prepared.section.file}: runs outside a transaction (${why}); it is not atomic: ` +
      `if a statement fails, the statements before it stay applied.`,
  );
  const started = performance.now();
  for (let index = 0; index < prepared.statements.length; index++) {
    try {
      await runStatement(client, prepared.statements, index);
    } catch (error) {
      if (index > 0) logger.warn(`${prepared.section.file}: ${index} statement(s) before the failing one stayed applied`);
      return { ok: false, error: failureDetails(prepared, error) };
    }
  }
  const executionMs = performance.now() - started;
  try {
    await record(ctx, prepared, executionMs);
  } catch (error) {
    return { ok: false, error: failureDetails(prepared, error) };
  }
  return { ok: true, executionMs };
}

async function record(ctx: RunContext, prepared: PreparedScript, executionMs: number): Promise<void> {
  const { migration } = prepared;
  if (prepared.direction === 'down') {
    await ctx.history.remove(ctx.client, migration.version);
    return;
  }
  await ctx.history.insert(ctx.client, {
    version: migration.version,
    name: migration.name,
    checksum: migration.checksum,
    script: migration.up.text,
    executionMs,
  });
}

function failureDetails(prepared: PreparedScript, error: unknown): MigrationErrorDetails {
  const failure = error instanceof ScriptFailure ? error : new ScriptFailure(error, prepared.statements.length, 0, prepared.script);
  return describeFailure(prepared, failure);
}

/**
 * withCancellation cancels the running statement on the server when the signal fires, so a long
 * statement stops promptly and its transaction rolls back.
 */
async function withCancellation<T>(ctx: RunContext, work: () => Promise<T>): Promise<T> {
  const { signal, cancelBackend, client } = ctx;
  if (signal?.aborted) throw new StrataError('cancelled', 'Cancelled before the migration started');
  if (!signal || !cancelBackend) return work();
  const pid = (client as unknown as { processID: number | null }).processID;
  const onAbort = (): void => {
    if (pid) void cancelBackend(pid).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await work();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
