/** DEBOUNCE_MS is how long after the last change a document is linted. */
export const DEBOUNCE_MS = 300;

/**
 * lintDelay is how long to wait before linting a changed document: the requested delay, or twice as
 * long as the document's last lint took when that is longer, so that on a file slow to lint (megabytes
 * of SQL) the extension host spends at most a third of someone's typing linting. A delay of 0 (a
 * refresh, a newly opened document) stays 0.
 */
export function lintDelay(requested: number, lastLintMs: number | undefined): number {
  if (requested <= 0) return 0;
  return Math.max(requested, 2 * (lastLintMs ?? 0));
}
