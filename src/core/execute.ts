import type pg from 'pg';
import { codePointToUtf16Offset } from './text';
import { tokenize } from './sql/parser';
import { STARTED_SETTING } from './history';
import { failureAt, type ExecStatement, type PreparedScript } from './prepare';
import type { MigrationErrorDetails } from './errors';

/** ScriptFailure is a server error together with which statement failed and where the sent text began. */
export class ScriptFailure extends Error {
  constructor(
    readonly serverError: unknown,
    /** statementIndex is the index in PreparedScript.statements of the failing statement, or -1 when unknown. */
    readonly statementIndex: number,
    /** base is the section offset where the text sent to the server began. */
    readonly base: number,
    /** sent is the exact text the server received. */
    readonly sent: string,
  ) {
    super(serverError instanceof Error ? serverError.message : String(serverError));
  }
}

interface ServerError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  where?: string;
}

/**
 * runScript sends the whole prepared section as one simple query (one round trip). The server
 * answers each statement with a CommandComplete; counting them tells which statement failed when
 * the error itself carries no position (division by zero, unique violation).
 */
export async function runScript(client: pg.ClientBase, prepared: PreparedScript): Promise<void> {
  if (prepared.statements.length === 0) return;
  const completions = trackCompletions(client);
  try {
    await client.query(prepared.script);
  } catch (error) {
    throw new ScriptFailure(error, completions.count(), 0, prepared.script);
  } finally {
    completions.stop();
  }
}

// Opens the migration's transaction and notes, on the server's clock, when it began, in the same
// query as the migration itself; the tracking row's execution_ms is measured from it. The commit does
// not wait for its WAL flush, except the run's last one (`durable`): its flush covers every earlier
// commit (WAL is written in order), so a run costs one disk flush instead of one per migration. A run
// that stops early ends with flushCommits instead. Each migration stays atomic with its tracking row
// either way; a server crash before the final flush can only lose whole migrations of a run that had
// not reported success.
// Both settings go in one SELECT: each statement of a simple query costs the server a parse, a plan and
// a CommandComplete, which is a measurable part of a migration that does little.
const TRANSACTION_PREFIX = `BEGIN;SELECT set_config('synchronous_commit', 'off', true), set_config('${STARTED_SETTING}', clock_timestamp()::text, true);`;
const PREFIX_STATEMENTS = 2;
// The durable commit's setting goes right before COMMIT, after the migration's own SQL (which may set
// synchronous_commit itself).
const DURABLE = 'SET LOCAL synchronous_commit TO on';

/**
 * runInTransaction runs a section and its tracking-table change in one transaction, in as few round
 * trips as the session allows: BEGIN + the section, the tracking row, and COMMIT. On a pipelining
 * session they go out together; a failure in the section aborts the transaction, so the tracking row
 * fails and COMMIT becomes a rollback: the row exists if and only if the migration committed. With
 * `durable`, the commit waits for its WAL flush (see above). Returns the client-side time of the section.
 */
export async function runInTransaction(client: pg.ClientBase, prepared: PreparedScript, record: { text: string; values: unknown[]; name?: string }, durable = false): Promise<number> {
  const sent = prepared.statements.length === 0 ? TRANSACTION_PREFIX : TRANSACTION_PREFIX + prepared.script;
  const completions = trackCompletions(client);
  const started = performance.now();
  let scriptMs = 0;
  const pipelined = (client as unknown as { pipeline?: boolean }).pipeline === true;
  // A pipelining client writes each query as soon as it is queued: corked, they go out in one write.
  const stream = pipelined ? (client as unknown as { connection: { stream: { cork?: () => void; uncork?: () => void } } }).connection.stream : null;
  stream?.cork?.();
  const script = client.query(sent).then(() => (scriptMs = performance.now() - started));
  const queued = pipelined ? [client.query(record), ...(durable ? [client.query(DURABLE)] : []), client.query('COMMIT')] : null;
  stream?.uncork?.();
  try {
    if (queued) {
      const [ran, ...after] = await Promise.allSettled([script, ...queued]);
      if (ran.status === 'rejected') throw scriptFailure(ran.reason, completions.count(), sent);
      for (const settled of after) if (settled.status === 'rejected') throw afterScriptFailure(settled.reason);
      const committed = after[after.length - 1] as PromiseFulfilledResult<pg.QueryResult>;
      if (committed.value.command !== 'COMMIT') throw afterScriptFailure(new Error('the transaction was rolled back instead of committed'));
    } else {
      await script.catch((error: unknown) => {
        throw scriptFailure(error, completions.count(), sent);
      });
      await client.query(record).catch((error: unknown) => {
        throw afterScriptFailure(error);
      });
      if (durable) {
        await client.query(DURABLE).catch((error: unknown) => {
          throw afterScriptFailure(error);
        });
      }
      await client.query('COMMIT').catch((error: unknown) => {
        throw afterScriptFailure(error);
      });
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    completions.stop();
  }
  return scriptMs;
}

function scriptFailure(error: unknown, completed: number, sent: string): ScriptFailure {
  return new ScriptFailure(error, completed - PREFIX_STATEMENTS, -TRANSACTION_PREFIX.length, sent);
}

// A failure of the tracking row or of COMMIT (e.g. a deferred constraint) has no place in the file's text.
function afterScriptFailure(error: unknown): ScriptFailure {
  const withoutPosition = error instanceof Error ? Object.assign(error, { position: undefined }) : error;
  return new ScriptFailure(withoutPosition, -1, 0, '');
}

/**
 * flushCommits makes every earlier commit of the session durable (for a run that stopped before its
 * last, durable, migration): a commit that wrote WAL, under synchronous_commit on, flushes the WAL up to
 * its commit record, and so every earlier commit too. The transaction must write WAL: one that only
 * takes an xid (pg_current_xact_id) commits without flushing anything, whatever synchronous_commit says.
 * A transactional logical message is the smallest write any role may make (EXECUTE is granted to PUBLIC,
 * PostgreSQL 9.6+) and touches no table. Where that EXECUTE was revoked, a temporary table created and
 * dropped in the transaction writes catalog rows instead (TEMP is granted to PUBLIC too).
 */
export async function flushCommits(client: pg.ClientBase): Promise<void> {
  try {
    await inDurableTransaction(client, () => client.query(`SELECT pg_catalog.pg_logical_emit_message(true, 'strata', 'flush')`));
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    await inDurableTransaction(client, () => client.query(`CREATE TEMPORARY TABLE strata_flush () ON COMMIT DROP`));
  }
}

/**
 * inDurableTransaction runs `work` in a transaction that commits under synchronous_commit = on, whatever
 * the session, database or server sets: when it returns, what `work` wrote, and every earlier commit of
 * the session, is on disk. For the tracking-table writes that are not a migration's own transaction
 * (a migration run outside one, repair, baseline, adopt). A failure rolls back and is rethrown.
 */
export async function inDurableTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  try {
    await client.query('BEGIN;SET LOCAL synchronous_commit TO on');
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * trackCompletions counts the CommandComplete messages of the statements that succeeded, and stops
 * counting at the first error, so that later pipelined queries do not move the count.
 */
function trackCompletions(client: pg.ClientBase): { count(): number; stop(): void } {
  const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
  let completed = 0;
  let failed = false;
  const onComplete = (): void => {
    if (!failed) completed++;
  };
  const onError = (): void => {
    failed = true;
  };
  connection.on('commandComplete', onComplete);
  connection.on('errorMessage', onError);
  return {
    count: () => completed,
    stop: () => {
      connection.off('commandComplete', onComplete);
      connection.off('errorMessage', onError);
    },
  };
}

/** runStatement sends one statement on its own (needed outside a transaction, where each must stand alone). */
export async function runStatement(client: pg.ClientBase, statements: readonly ExecStatement[], index: number): Promise<void> {
  const statement = statements[index];
  if (!statement) return;
  try {
    await client.query(statement.text);
  } catch (error) {
    throw new ScriptFailure(error, index, statement.start, statement.text);
  }
}

/**
 * describeFailure turns a failure into the file, line and column the user can click, with the
 * server's SQLSTATE, message, detail and hint. Positions are absolute in the file.
 */
export function describeFailure(prepared: PreparedScript, failure: ScriptFailure): MigrationErrorDetails {
  const error = failure.serverError as ServerError;
  const statement = prepared.statements[failure.statementIndex] ?? null;
  const offset = failureOffset(prepared, failure, error, statement);
  // Socket errors carry Node's errno name in `code`; server errors carry a five-character SQLSTATE.
  const socketError = error.code !== undefined && !/^[0-9A-Z]{5}$/.test(error.code);
  const lost = socketError || (!error.code && /terminat|connection/i.test(error.message ?? ''));
  const message = lost ? `the connection to the server was lost: ${error.message ?? ''}` : (error.message ?? String(failure.serverError));
  return failureAt(prepared.migration, prepared.section, offset, message, {
    sqlstate: socketError ? null : (error.code ?? null),
    detail: error.detail ?? null,
    hint: error.hint ?? null,
    where: error.where ?? null,
    statement: statement?.text ?? '',
  });
}

function failureOffset(prepared: PreparedScript, failure: ScriptFailure, error: ServerError, statement: ExecStatement | null): number {
  const position = Number(error.position);
  if (Number.isInteger(position) && position > 0) {
    return failure.base + codePointToUtf16Offset(failure.sent, position - 1);
  }
  if (statement && error.internalQuery && error.internalPosition) {
    // Errors inside a DO block or a function body point into that body's text.
    const inner = statement.text.indexOf(error.internalQuery);
    if (inner >= 0) return statement.start + inner + codePointToUtf16Offset(error.internalQuery, Number(error.internalPosition) - 1);
  }
  const bodyLine = statement ? plpgsqlLineOffset(statement, error.where) : null;
  if (bodyLine !== null) return bodyLine;
  if (statement) return statement.start;
  return prepared.statements[0]?.start ?? 0;
}

/**
 * plpgsqlLineOffset maps PostgreSQL's context line ("PL/pgSQL function inline_code_block line 4 at
 * PERFORM") into the statement's body: PL/pgSQL counts lines from the start of the body string, whose
 * opening quote the scanner finds. Returns the offset of the first non-blank character on that line.
 */
function plpgsqlLineOffset(statement: ExecStatement, where: string | undefined): number | null {
  const line = /PL\/pgSQL function [^\n]* line (\d+)/.exec(where ?? '')?.[1];
  if (!line) return null;
  const body = tokenize(statement.text).find((token) => token.type === 'SCONST');
  if (!body) return null;
  const opening = body.text.startsWith('$') ? body.text.indexOf('$', 1) + 1 : 1;
  let offset = body.start + opening;
  for (let n = 1; n < Number(line); n++) {
    const next = statement.text.indexOf('\n', offset);
    if (next < 0 || next >= body.end) return null;
    offset = next + 1;
  }
  while (offset < body.end && (statement.text[offset] === ' ' || statement.text[offset] === '\t')) offset++;
  return statement.start + offset;
}
