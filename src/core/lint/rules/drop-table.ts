import { names } from '../ddl';
import type { LintDocument } from '../document';
import { statementRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: DROP TABLE in UP deletes data that DOWN cannot bring back. */
export const meta = defineRule('drop-table', 'safety', 'warning', 'DROP TABLE of an existing table in UP');

/** kinds: DROP statements. */
export const kinds = ['DropStmt'] as const;

/** check reports DROP TABLE in UP of tables this section did not create. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const drop = s.get('DropStmt');
  if (s.section !== 'up' || drop?.removeType !== 'OBJECT_TABLE') return;
  const tables = (drop.objects ?? []).map((o) => ('List' in o ? names(o.List.items) : []));
  const existing = tables.filter((parts) => parts.length > 0 && !doc.createdBefore(s, 'table', parts.length > 1 ? parts[parts.length - 2] : undefined, parts[parts.length - 1]!));
  if (existing.length === 0) return;
  report({
    ...statementRange(s),
    message: `DROP TABLE ${existing.map((p) => p.join('.')).join(', ')} deletes the table and its data; DOWN cannot bring the data back`,
    help: 'stop using the table in the application first and deploy that; drop it in a later migration (back it up if the data matters)',
  });
}
