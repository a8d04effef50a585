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
// not wait for its WAL flush: the run ends with one durable commit (flushCommits) that flushes every
// earlier one, so a run costs one disk flush instead of one per migration. Each migration stays atomic
// with its tracking row either way; a server crash before that final flush can only lose whole
// migrations of a run that had not reported success.
// Both settings go in one SELECT: each statement of a simple query costs the server a parse, a plan and
// a CommandComplete, which is a measurable part of a migration that does little.
const TRANSACTION_PREFIX = `BEGIN;SELECT set_config('synchronous_commit', 'off', true), set_config('${STARTED_SETTING}', clock_timestamp()::text, true);`;
const PREFIX_STATEMENTS = 2;

/**
 * runInTransaction runs a section and its tracking-table change in one transaction and one round trip:
 * `BEGIN; settings; <section>; <tracking row>; COMMIT;` as a single simple query. The server stops at
 * the first error, so a failing statement also stops the tracking row and the COMMIT: the row exists
 * if and only if the migration committed. The section always parsed (prepareSection refuses syntax
 * errors), so the text after it cannot be swallowed by an open quote or comment; it starts on a new
 * line so that a trailing `--` comment ends first. Returns the client-side time of the query.
 */
export async function runInTransaction(client: pg.ClientBase, prepared: PreparedScript, record: { text: string; values: unknown[] }): Promise<number> {
  const body = prepared.statements.length === 0 ? '' : `${prepared.script}\n;`;
  const sent = `${TRANSACTION_PREFIX}${body}${inlineParameters(record, client)};COMMIT;`;
  const completions = trackCompletions(client);
  const started = performance.now();
  try {
    let results: unknown;
    try {
      results = await client.query(sent);
    } catch (error) {
      // CommandCompletes before the error tell whether it was the section, or the tracking row or COMMIT after it.
      const done = completions.count() - PREFIX_STATEMENTS;
      throw done < prepared.statements.length ? scriptFailure(error, completions.count(), sent) : afterScriptFailure(error);
    }
    const last = (Array.isArray(results) ? results[results.length - 1] : results) as { command?: string } | undefined;
    if (last?.command !== 'COMMIT') throw afterScriptFailure(new Error('the transaction was rolled back instead of committed'));
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    completions.stop();
  }
  return performance.now() - started;
}

/**
 * inlineParameters writes a parameterized query's values into its text as literals ($n tokens found
 * by PostgreSQL's scanner, so a `$1` inside a string or a quoted name stays as it is): strings through
 * the driver's escapeLiteral, numbers and booleans as they are, dates as ISO 8601 text, null as NULL.
 */
export function inlineParameters(query: { text: string; values: readonly unknown[] }, client: Pick<pg.ClientBase, 'escapeLiteral'>): string {
  let out = '';
  let at = 0;
  for (const param of paramsOf(query.text)) {
    if (!(param.index in query.values)) throw new Error(`inlineParameters: no value for $${param.index + 1}`);
    out += query.text.slice(at, param.start) + literal(query.values[param.index], client);
    at = param.end;
  }
  return out + query.text.slice(at);
}

// A run records every migration with the same query text: its placeholders are found once.
const PARAMS_KEPT = 16;
const paramsByText = new Map<string, { start: number; end: number; index: number }[]>();

function paramsOf(text: string): { start: number; end: number; index: number }[] {
  let params = paramsByText.get(text);
  if (params) return params;
  params = tokenize(text)
    .filter((token) => token.type === 'PARAM')
    .map((token) => ({ start: token.start, end: token.end, index: Number(token.text.slice(1)) - 1 }));
  if (paramsByText.size >= PARAMS_KEPT) paramsByText.clear();
  paramsByText.set(text, params);
  return params;
}

function literal(value: unknown, client: Pick<pg.ClientBase, 'escapeLiteral'>): string {
  if (value === null || value === undefined) return 'NULL';
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date && !Number.isNaN(value.getTime())) return client.escapeLiteral(value.toISOString());
  if (typeof value === 'string') return client.escapeLiteral(value);
  throw new Error(`inlineParameters: cannot write ${typeof value} as a literal`);
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
 * flushCommits makes every earlier commit of the session durable: a transaction that has an xid
 * commits with the session's own synchronous_commit, which flushes the WAL up to its commit record.
 */
export async function flushCommits(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN;SELECT pg_catalog.pg_current_xact_id();COMMIT;');
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
