import type { StrataError } from '../core/errors';

/**
 * isStrataError recognises the engine's errors by shape rather than with instanceof: dist/engine.js
 * (loaded lazily) has its own copy of the StrataError class, so instanceof would miss its errors.
 */
export function isStrataError(error: unknown): error is StrataError {
  return (
    error instanceof Error &&
    typeof (error as Partial<StrataError>).code === 'string' &&
    typeof (error as Partial<StrataError>).details === 'object' &&
    (error.name === 'StrataError' || error.name === 'MigrationError')
  );
}
