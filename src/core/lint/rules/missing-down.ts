import type { LintDocument } from '../document';
import { fix, insert, lineEnding } from '../fixes';
import { dropSql } from '../objects';
import { lineRange } from '../ranges';
import { defineRule } from '../rule';
import { objectsUpCreates } from '../undo';
import type { LintFix, Report } from '../types';

/** meta: a migration without DOWN cannot be rolled back (`down` refuses it). Information only: forward-only migrations are a choice. */
export const meta = defineRule('missing-down', 'structure', 'info', 'The migration has no DOWN, so it cannot be rolled back');

/** check reports a single-file migration without a DOWN section, or an .up.sql without its .down.sql. */
export function check(doc: LintDocument, report: Report): void {
  if (doc.sectionsError || doc.section('down')) return;
  if (doc.part === 'up') {
    if (doc.options.downFile !== null) return; // undefined: not known here
    report({ ...lineRange(doc.text, 1), message: 'this .up.sql has no .down.sql, so the migration cannot be rolled back', help: 'add the matching .down.sql that undoes it' });
    return;
  }
  if (doc.part !== 'single') return;
  const empty = doc.downMarkerLine !== null;
  report({
    ...lineRange(doc.text, doc.downMarkerLine ?? doc.section('up')?.markerLine ?? 1),
    message: empty ? 'the DOWN section holds no SQL, so this migration cannot be rolled back' : 'no DOWN section: this migration cannot be rolled back',
    help: 'add `-- DOWN` with SQL that undoes UP (drop what it creates), or leave it forward-only on purpose',
    fixes: () => addDown(doc, empty),
  });
}

/** addDown appends a DOWN section that drops what UP creates, newest first (offered only when UP creates something). */
function addDown(doc: LintDocument, hasMarker: boolean): LintFix[] {
  const objects = objectsUpCreates(doc).reverse();
  if (objects.length === 0) return [];
  const eol = lineEnding(doc.text);
  const text = doc.text;
  const lead = text.length === 0 || text.endsWith('\n') || text.endsWith('\r') ? '' : eol;
  const body = [...(hasMarker ? [] : ['', '-- DOWN']), ...objects.map(dropSql)].join(eol);
  return [fix('Add a DOWN section that drops what UP creates', [insert(text.length, `${lead}${body}${eol}`)])];
}
