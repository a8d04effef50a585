import type { LintDocument } from '../document';
import { lineRange } from '../ranges';
import { defineRule } from '../rule';
import type { Report } from '../types';

/** meta: a .down.sql file without its .up.sql: it belongs to no migration and never runs. */
export const meta = defineRule('orphan-down', 'structure', 'error', 'A .down.sql file without its .up.sql');

/** check reports the folder's orphan-down problems for this file. */
export function check(doc: LintDocument, report: Report): void {
  for (const p of doc.options.problems ?? []) {
    if (p.kind !== 'orphan-down') continue;
    report({ ...lineRange(doc.text, 1), message: p.message, help: 'rename it to match its .up.sql (same version and name), or delete it' });
  }
}
