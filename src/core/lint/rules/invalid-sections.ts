import type { LintDocument } from '../document';
import { lineRange } from '../ranges';
import { defineRule } from '../rule';
import type { Report } from '../types';

/** meta: UP/DOWN markers that cannot be read unambiguously; the runner refuses such a file. */
export const meta = defineRule('invalid-sections', 'structure', 'error', 'UP/DOWN markers the runner cannot use');

/** check reports the marker problem at its line. */
export function check(doc: LintDocument, report: Report): void {
  const error = doc.sectionsError;
  if (!error) return;
  report({
    ...lineRange(doc.text, error.line),
    message: error.message,
    help: 'one `-- UP` marker first, at most one `-- DOWN` after it, each on its own line; nothing but comments before `-- UP`',
  });
}
