import type { LintDocument } from '../document';
import { lineRange } from '../ranges';
import { defineRule } from '../rule';
import type { Report } from '../types';

/** meta: two files share a version, so neither can run (the folder's problem, shown on each file). */
export const meta = defineRule('duplicate-version', 'structure', 'error', 'Another file has the same version');

/** check reports the folder's duplicate-version problems for this file. */
export function check(doc: LintDocument, report: Report): void {
  for (const p of doc.options.problems ?? []) {
    if (p.kind !== 'duplicate-version') continue;
    report({ ...lineRange(doc.text, 1), message: p.message, help: 'give one of the files the next free version (rename it); versions order migrations and must be unique' });
  }
}
