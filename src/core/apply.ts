import { createHash } from 'node:crypto';
import { StrataError, type MigrationErrorDetails } from './errors';
import { quoteIdentifier } from './db';
import { describeFailure, inDurableTransaction, runInTransaction as runScriptInTransaction, runStatement, ScriptFailure } from './execute';
import type { RunContext } from './context';
import type { PreparedScript } from './prepare';

/** StepOutcome is the result of running one migration's UP or DOWN. */
export type StepOutcome = { ok: true; executionMs: number } | { ok: false; error: MigrationErrorDetails };

/**
 * runStep runs one prepared UP or DOWN and writes its tracking row in the same transaction, so the
 * row exists if and only if the migration committed. A migration that cannot run in a transaction
 * runs statement by statement and is recorded only after its last statement succeeded. `durable`: the
 * transaction's commit waits for its WAL flush (the run's last migration; see runAll).
 */
export async function runStep(ctx: RunContext, prepared: PreparedScript, durable = false): Promise<StepOutcome> {
  return withCancellation(ctx, () => (prepared.transactional ? runInTransaction(ctx, prepared, durable) : runOutsideTransaction(ctx, prepared)));
}

async function runInTransaction(ctx: RunContext, prepared: PreparedScript, durable: boolean): Promise<StepOutcome> {
  try {
    const executionMs = await runScriptInTransaction(ctx.client, prepared, namedOnce(ctx, prepared, recordQuery(ctx, prepared, true)), durable);
    return { ok: true, executionMs };
  } catch (error) {
    return { ok: false, error: await explainFailure(ctx, prepared, error) };
  }
}

// Adds what the server cannot say itself: who held the lock a statement timed out on.
async function explainFailure(ctx: RunContext, prepared: PreparedScript, error: unknown): Promise<MigrationErrorDetails> {
  const details = failureDetails(prepared, error);
  if (details.sqlstate !== '55P03') return details;
  const index = error instanceof ScriptFailure ? error.statementIndex : -1;
  const holders = await lockHolders(ctx, prepared.statements[index]?.node ?? null);
  if (holders.length === 0) return details;
  const advice = `Blocked by ${holders.join('; ')}. Wait for it to finish, or end it, then run again ("lockTimeout" in strata.json sets how long to wait).`;
  return { ...details, hint: details.hint ? `${details.hint}\n${advice}` : advice };
}

async function runOutsideTransaction(ctx: RunContext, prepared: PreparedScript): Promise<StepOutcome> {
  const { client, logger } = ctx;
  try {
    // Built once before anything runs: a tracking row that cannot be written (a file edited since it was
    // read, for a whole-file checksum) must stop the migration here, not after its statements stayed applied.
    recordQuery(ctx, prepared, false);
  } catch (error) {
    return { ok: false, error: failureDetails(prepared, error) };
  }
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
      const details = await explainFailure(ctx, prepared, error);
      const leftover = await invalidIndexLeftBy(ctx, prepared.statements[index]?.node ?? null);
      if (leftover) {
        const advice = `CREATE INDEX CONCURRENTLY failed and left the INVALID index ${leftover} behind; drop it with DROP INDEX CONCURRENTLY ${leftover}; before running the migration again.`;
        details.hint = details.hint ? `${details.hint}\n${advice}` : advice;
        logger.warn(advice);
      }
      return { ok: false, error: details };
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

/**
 * record writes the tracking-row change of a migration that ran outside a transaction, in a durable
 * transaction of its own: its flush also makes every earlier commit of the run durable (see runAll).
 */
async function record(ctx: RunContext, prepared: PreparedScript, executionMs: number): Promise<void> {
  await inDurableTransaction(ctx.client, () => ctx.client.query(recordQuery(ctx, prepared, false, executionMs)));
}

// The tracking-table change of a step: insert the row after an UP, delete it after a DOWN.
function recordQuery(ctx: RunContext, prepared: PreparedScript, timedOnServer: boolean, executionMs = 0): { text: string; values: unknown[] } {
  const { migration } = prepared;
  if (prepared.direction === 'down') return ctx.history.removeQuery(migration.version);
  const row = { version: migration.version, name: migration.name, checksum: migration.checksum, script: migration.up.text, executionMs, migration };
  return ctx.history.insertQuery(row, timedOnServer);
}

// The tracking-row query is the same text for every migration of a run: named, the server parses and
// plans it once per session instead of once per migration. A migration that discards prepared
// statements (DEALLOCATE, DISCARD) makes its session use unnamed ones from then on.
const unnamedSessions = new WeakSet<object>();
const namesByText = new Map<string, string>();

function namedOnce(ctx: RunContext, prepared: PreparedScript, query: { text: string; values: unknown[] }): { text: string; values: unknown[]; name?: string } {
  if (prepared.statements.some((statement) => statement.node && ('DeallocateStmt' in statement.node || 'DiscardStmt' in statement.node))) {
    unnamedSessions.add(ctx.client);
  }
  if (unnamedSessions.has(ctx.client)) return query;
  let name = namesByText.get(query.text);
  if (name === undefined) {
    name = `strata_${createHash('sha256').update(query.text).digest('hex').slice(0, 24)}`;
    namesByText.set(query.text, name);
  }
  return { ...query, name };
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

/**
 * invalidIndexLeftBy finds the INVALID index a failed CREATE INDEX CONCURRENTLY leaves behind
 * (PostgreSQL keeps it, and a rerun with IF NOT EXISTS would silently keep the broken index).
 */
async function invalidIndexLeftBy(ctx: RunContext, node: Record<string, unknown> | null): Promise<string | null> {
  const index = node?.IndexStmt as { concurrent?: boolean; idxname?: string; relation?: { schemaname?: string } } | undefined;
  if (!index?.concurrent || !index.idxname) return null;
  const result = await ctx.client
    .query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name
         FROM pg_catalog.pg_index i
         JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT i.indisvalid AND c.relname = $1 AND ($2::text IS NULL OR n.nspname = $2)
        LIMIT 1`,
      [index.idxname, index.relation?.schemaname ?? null],
    )
    .catch(() => null);
  return result?.rows[0]?.name ?? null;
}

/** lockHolders describes the other sessions holding locks on the relations a statement names. */
async function lockHolders(ctx: RunContext, node: Record<string, unknown> | null): Promise<string[]> {
  const relations = [...new Set(relationNames(node))];
  if (relations.length === 0) return [];
  const result = await ctx.client
    .query<{ pid: number; application_name: string; usename: string | null; state: string | null; xact_start: Date | null; relation: string; mode: string }>(
      `SELECT DISTINCT a.pid, a.application_name, a.usename, a.state, a.xact_start, l.relation::regclass::text AS relation, l.mode
         FROM pg_catalog.pg_locks l
         JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
        WHERE l.granted AND l.pid <> pg_backend_pid()
          AND l.relation = ANY (SELECT to_regclass(name) FROM unnest($1::text[]) AS name)
        ORDER BY a.pid`,
      [relations],
    )
    .catch(() => null);
  return (result?.rows ?? []).map(
    (row) =>
      `pid ${row.pid} (application_name '${row.application_name}'${row.usename ? `, user ${row.usename}` : ''}, ${row.state ?? 'unknown state'}` +
      `${row.xact_start ? `, transaction open since ${row.xact_start.toISOString()}` : ''}) holding ${row.mode} on ${row.relation}`,
  );
}

// Walks a parse tree for table references (RangeVar nodes), as schema-qualified names when written so.
function* relationNames(node: unknown): Generator<string> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) yield* relationNames(item);
    return;
  }
  const record = node as Record<string, unknown>;
  const range = record.RangeVar as { relname?: string; schemaname?: string } | undefined;
  if (range?.relname) yield range.schemaname ? `${quoteIdentifier(range.schemaname)}.${quoteIdentifier(range.relname)}` : quoteIdentifier(range.relname);
  for (const [key, value] of Object.entries(record)) if (key !== 'RangeVar') yield* relationNames(value);
  if (record.relation && typeof record.relation === 'object' && 'relname' in record.relation) {
    const relation = record.relation as { relname: string; schemaname?: string };
    yield relation.schemaname ? `${quoteIdentifier(relation.schemaname)}.${quoteIdentifier(relation.relname)}` : quoteIdentifier(relation.relname);
  }
}
