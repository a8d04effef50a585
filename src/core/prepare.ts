import { splitStatements, type SqlStatement } from './sql/parser';
import { nonTransactionalReason, transactionControlOf } from './sql/classify';
import { lineColumnAt } from './text';
import type { MigrationErrorDetails } from './errors';
import type { MigrationFile, Section } from './types';

/** Direction is which section of a migration runs. */
export type Direction = 'up' | 'down';

/** ExecStatement is one statement that will be sent to the server, with where it is in the section. */
export interface ExecStatement {
  /** start/end: UTF-16 offsets of the statement in the section text. */
  start: number;
  end: number;
  text: string;
  /** nonTransactional names why PostgreSQL refuses it in a transaction block, or null. */
  nonTransactional: string | null;
  /** node is the statement's parse tree. */
  node: Record<string, unknown> | null;
}

/** PreparedScript is a section made ready to run: what to send, and how to map errors back to the file. */
export interface PreparedScript {
  migration: MigrationFile;
  direction: Direction;
  section: Section;
  /** transactional is false when the file says strata:no-transaction or a statement cannot run in a transaction. */
  transactional: boolean;
  /**
   * script is the section text with the file's own top-level BEGIN/COMMIT blanked out (same length,
   * same line breaks), so that server error positions still point into the file.
   */
  script: string;
  statements: ExecStatement[];
  /** nonTransactional lists the statements that forced the migration out of a transaction. */
  nonTransactional: { reason: string; line: number }[];
  /** strippedControl lists the 1-based file lines of transaction statements Strata removed. */
  strippedControl: number[];
}

/** PrepareResult is a prepared script, or the reason the section cannot run (a syntax error, ROLLBACK in the file). */
export type PrepareResult = { ok: true; prepared: PreparedScript } | { ok: false; error: MigrationErrorDetails };

/** sectionPosition maps a UTF-16 offset in a section to the 1-based line and column in its file. */
export function sectionPosition(section: Section, offset: number): { line: number; column: number } {
  const relative = lineColumnAt(section.text, offset);
  if (relative.line === 1) return { line: section.line, column: section.column + relative.column - 1 };
  return { line: section.line + relative.line - 1, column: relative.column };
}

/** failureAt builds the error details for a problem found before anything ran. */
export function failureAt(
  migration: MigrationFile,
  section: Section,
  offset: number,
  message: string,
  extra: Partial<MigrationErrorDetails> = {},
): MigrationErrorDetails {
  const position = sectionPosition(section, offset);
  return {
    version: migration.version,
    file: section.file,
    line: position.line,
    column: position.column,
    sqlstate: null,
    message,
    detail: null,
    hint: null,
    statement: '',
    where: null,
    ...extra,
  };
}

// Transaction statements a file may carry at top level. BEGIN/COMMIT are the common "wrap the file in
// a transaction" habit: Strata already does that, so they are dropped. The others would end or split
// Strata's own transaction and break the recorded-if-and-only-if-committed guarantee, so they are refused.
const DROPPED_CONTROL = new Set(['begin', 'commit']);
const REFUSED_CONTROL = new Set(['rollback', 'prepare', 'commit-prepared', 'rollback-prepared']);

/**
 * prepareSection parses a section with the real PostgreSQL parser and decides how it runs:
 * as one script inside Strata's transaction, or statement by statement outside one.
 */
export function prepareSection(migration: MigrationFile, direction: Direction): PrepareResult {
  const section = direction === 'up' ? migration.up : migration.down;
  if (!section) throw new Error(`prepareSection: ${migration.version} has no ${direction.toUpperCase()} section`);
  const split = splitStatements(section.text);
  const syntaxError = split.errors[0];
  if (syntaxError) {
    return { ok: false, error: failureAt(migration, section, syntaxError.offset, syntaxError.message, { sqlstate: '42601' }) };
  }
  const statements: ExecStatement[] = [];
  const strippedControl: number[] = [];
  const nonTransactional: { reason: string; line: number }[] = [];
  const blanked: { start: number; end: number }[] = [];
  for (const statement of split.statements) {
    // Under strata:no-transaction the file controls transactions itself, so its statements run as written.
    const control = migration.noTransaction ? null : transactionControlOf(statement);
    if (control && REFUSED_CONTROL.has(control)) {
      return { ok: false, error: refusedControl(migration, section, statement) };
    }
    if (control && DROPPED_CONTROL.has(control)) {
      strippedControl.push(sectionPosition(section, statement.start).line);
      blanked.push({ start: statement.start, end: statement.terminatorEnd });
      continue;
    }
    const reason = nonTransactionalReason(statement);
    if (reason) nonTransactional.push({ reason, line: sectionPosition(section, statement.start).line });
    statements.push({ start: statement.start, end: statement.end, text: statement.text, nonTransactional: reason, node: statement.node });
  }
  if (direction === 'up' && statements.length === 0) {
    // Recording an empty migration as applied would turn the SQL written into it later into drift.
    const message = `the UP section has no SQL statements; write the migration (or delete the file) before applying it`;
    return { ok: false, error: failureAt(migration, section, 0, message) };
  }
  const transactional = !migration.noTransaction && nonTransactional.length === 0;
  const prepared: PreparedScript = {
    migration,
    direction,
    section,
    transactional,
    script: blankRanges(section.text, blanked),
    statements,
    nonTransactional,
    strippedControl,
  };
  return { ok: true, prepared };
}

function refusedControl(migration: MigrationFile, section: Section, statement: SqlStatement): MigrationErrorDetails {
  return failureAt(
    migration,
    section,
    statement.start,
    `"${statement.text}" ends or splits the migration's transaction; Strata runs each migration in its own ` +
      `transaction and records it only if it commits. Remove this statement ` +
      `(use the strata:no-transaction directive if the file must control transactions itself).`,
    { statement: statement.text },
  );
}

/**
 * blankRanges replaces the given ranges (in text order) with spaces but keeps line breaks, so offsets and
 * line numbers are unchanged; text outside them is copied as is.
 */
function blankRanges(text: string, ranges: readonly { start: number; end: number }[]): string {
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const { start, end } of ranges) {
    parts.push(text.slice(at, start), text.slice(start, end).replace(/[^\r\n]/g, ' '));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
