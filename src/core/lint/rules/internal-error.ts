import { defineRule } from '../rule';
import type { RuleReport } from '../types';

/** meta: a rule that crashed on this document is reported instead of taking the others down with it. */
export const meta = defineRule('internal-error', 'structure', 'warning', 'A lint rule failed on this file; the other rules still ran');

/** engine: the engine itself reports these findings. */
export const engine = true;

/** reportFor describes a rule's failure (or, for rule null, the engine's) at the top of the file. */
export function reportFor(rule: string | null, error: unknown): RuleReport {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    start: 0,
    end: 0,
    message: rule === null ? `this file could not be linted: ${reason}` : `the lint rule ${rule} failed on this file: ${reason}`,
    help: 'this is a bug in Strata; please report it with the file. The other rules still ran.',
  };
}
