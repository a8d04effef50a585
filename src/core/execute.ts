import type pg from 'pg';
import { codePointToUtf16Offset } from './text';
import { tokenize } from './sql/parser';
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
  const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
  let completed = 0;
  const onComplete = (): void => {
    completed++;
  };
  connection.on('commandComplete', onComplete);
  try {
    await client.query(prepared.script);
  } catch (error) {
    throw new ScriptFailure(error, completed, 0, prepared.script);
  } finally {
    connection.off('commandComplete', onComplete);
  }
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
  const lost = !error.code && /terminat|connection|ECONNRESET|EPIPE/i.test(error.message ?? '');
  const message = lost ? `the connection to the server was lost: ${error.message ?? ''}` : (error.message ?? String(failure.serverError));
  return failureAt(prepared.migration, prepared.section, offset, message, {
    sqlstate: error.code ?? null,
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
