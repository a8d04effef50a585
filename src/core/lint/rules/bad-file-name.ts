import { ACCEPTED_NAMES } from '../../filename';
import type { LintDocument } from '../document';
import { lineRange } from '../ranges';
import { defineRule } from '../rule';
import type { Report } from '../types';

/** meta: a .sql file in the migrations folder whose name is not a migration name; `up` refuses to run until it is fixed. */
export const meta = defineRule('bad-file-name', 'structure', 'error', 'A .sql file in the migrations folder with a name Strata cannot read');

/** check reports the folder's bad-name problems for this file. */
export function check(doc: LintDocument, report: Report): void {
  for (const p of doc.options.problems ?? []) {
    if (p.kind !== 'bad-name') continue;
    report({ ...lineRange(doc.text, 1), message: p.message.split(':')[0]!, help: `rename it (${ACCEPTED_NAMES}), or move it out of the migrations folder` });
  }
}
