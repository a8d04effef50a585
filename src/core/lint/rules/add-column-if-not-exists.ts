import { fix, insert } from '../fixes';
import { nameRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: ALTER TABLE ... ADD COLUMN without IF NOT EXISTS fails when the migration runs again. */
export const meta = defineRule('add-column-if-not-exists', 'idempotency', 'warning', 'ADD COLUMN without IF NOT EXISTS cannot run twice');

/** kinds: ALTER TABLE (and ALTER FOREIGN TABLE). */
export const kinds = ['AlterTableStmt'] as const;

/** check reports each ADD COLUMN without IF NOT EXISTS, at the column's name. */
export function check(s: LintStatement, report: Report): void {
  const alter = s.get('AlterTableStmt');
  // ALTER TYPE ... ADD ATTRIBUTE shares the node but has no IF NOT EXISTS form.
  if (!alter || alter.objtype === 'OBJECT_TYPE') return;
  for (const cmd of alter.cmds ?? []) {
    if (!('AlterTableCmd' in cmd)) continue;
    const { subtype, missing_ok, def } = cmd.AlterTableCmd;
    if (subtype !== 'AT_AddColumn' || missing_ok || !def || !('ColumnDef' in def)) continue;
    const column = def.ColumnDef;
    const at = s.at(column.location);
    report({
      ...nameRange(s, at, [column.colname ?? '']),
      message: `ADD COLUMN ${column.colname ?? ''} without IF NOT EXISTS fails when the migration runs again`,
      help: 'write ADD COLUMN IF NOT EXISTS, so a re-run after a partial failure skips it',
      fixes: () => [fix('Add IF NOT EXISTS', [insert(at, 'IF NOT EXISTS ')])],
    });
  }
}
