import type { LintDocument } from '../document';
import { lineRange } from '../ranges';
import { defineRule } from '../rule';
import type { Report } from '../types';

/** meta: a pending migration older than the newest applied one (typically after a merge); `up` refuses it unless allowed. */
export const meta = defineRule('out-of-order', 'structure', 'warning', 'Pending, but older than the newest applied migration');

/** check reports the fact the caller read from the tracking table. */
export function check(doc: LintDocument, report: Report): void {
  if (!doc.options.outOfOrder) return;
  report({
    ...lineRange(doc.text, 1),
    message: 'this migration is pending but older than the newest applied one: `up` refuses it unless out-of-order runs are allowed',
    help: 'rename it to a version after the newest applied one, or allow it once with `strata up --out-of-order` ("outOfOrder": true in strata.json)',
  });
}
