import type { LintDocument } from '../document';
import { lineRange } from '../ranges';
import { defineRule } from '../rule';
import type { Report } from '../types';

/** meta: an UP with no statements: applying it is refused, as recording it would turn SQL written later into drift. */
export const meta = defineRule('empty-up', 'structure', 'warning', 'The UP section holds no SQL');

/** check reports a migration whose UP section has no statements (and no syntax errors). */
export function check(doc: LintDocument, report: Report): void {
  const up = doc.section('up');
  if (!up || doc.part === 'other' || doc.sectionsError) return;
  if (doc.statements.some((s) => s.section === 'up') || doc.syntaxErrors.length > 0) return;
  report({
    ...lineRange(doc.text, up.markerLine ?? 1),
    message: 'the UP section holds no SQL statements: `up` refuses to apply this migration',
    help: 'write the migration under `-- UP`, or delete the file',
  });
}
