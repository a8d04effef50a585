/**
 * StrataError is every error the engine raises on purpose: its message is written for the user and
 * `code` is a stable identifier callers can branch on. Anything else that escapes is a bug.
 */
export class StrataError extends Error {
  override name = 'StrataError';
  constructor(
    readonly code: StrataErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** StrataErrorCode names each kind of user-facing failure. */
export type StrataErrorCode =
  | 'config-invalid'
  | 'migrations-dir-missing'
  | 'migration-file-invalid'
  | 'migration-failed'
  | 'no-down'
  | 'out-of-order'
  | 'foreign-history-table'
  | 'history-read-only'
  | 'failed-migration'
  | 'internal'
  | 'lock-timeout'
  | 'connection-failed'
  | 'target-not-found'
  | 'nothing-to-do'
  | 'file-exists'
  | 'scratch-database'
  | 'invalid-argument'
  | 'confirmation-required'
  | 'cancelled';

/** SourcePosition is a 1-based line and column (in characters) in a file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** MigrationErrorDetails is a failed statement mapped back to the file the user wrote. */
export interface MigrationErrorDetails {
  version: string;
  file: string;
  line: number;
  column: number;
  sqlstate: string | null;
  message: string;
  detail: string | null;
  hint: string | null;
  /** statement is the text of the failing statement, trimmed. */
  statement: string;
  /** where is PostgreSQL's context (e.g. the PL/pgSQL line inside a DO block), when it gave one. */
  where: string | null;
}

/** MigrationError is a migration that failed on the server, with the position in its file. */
export class MigrationError extends StrataError {
  override name = 'MigrationError';
  constructor(readonly failure: MigrationErrorDetails, message: string) {
    super('migration-failed', message, { ...failure });
  }
}

/**
 * isStrataError recognises the engine's errors by shape as well as by class: a lazily loaded second
 * bundle (the extension's engine) has its own copy of the class, so instanceof alone would miss them.
 */
export function isStrataError(error: unknown): error is StrataError {
  if (error instanceof StrataError) return true;
  return (
    error instanceof Error &&
    (error.name === 'StrataError' || error.name === 'MigrationError') &&
    typeof (error as Partial<StrataError>).code === 'string' &&
    typeof (error as Partial<StrataError>).details === 'object'
  );
}
