import { relationName } from '../ddl';
import type { LintDocument } from '../document';
import { statementRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: renaming a table or column in UP breaks every running client that uses the old name. */
export const meta = defineRule('rename-table-or-column', 'safety', 'warning', 'RENAME of an existing table or column in UP');

/** kinds: ALTER ... RENAME. */
export const kinds = ['RenameStmt'] as const;

/** check reports renaming a table or column this section did not create. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const rename = s.get('RenameStmt');
  if (s.section !== 'up' || !rename?.relation?.relname) return;
  const table = rename.renameType === 'OBJECT_TABLE';
  if ((!table && rename.renameType !== 'OBJECT_COLUMN') || doc.createdEarlier(s, rename.relation)) return;
  const { relname, schemaname } = rename.relation;
  if (!table && doc.createdBefore(s, 'column', schemaname, `${relname}.${rename.subname ?? ''}`)) return;
  const what = table ? `table ${relationName(rename.relation)}` : `column ${rename.subname ?? ''}`;
  report({
    ...statementRange(s),
    message: `renaming ${what} breaks running code that still uses the old name`,
    help: table
      ? 'rename in steps: create a view with the old name (or the new one), move the application over, then drop it'
      : 'add the new column, write to both, move readers over, then drop the old column in a later migration',
  });
}
