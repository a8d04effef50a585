import type { Constraint } from 'libpg-query';
import { guardWithDoBlock } from '../fixes';
import { constraintRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintDocument } from '../document';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: ADD CONSTRAINT has no IF NOT EXISTS form: a second run fails, or silently adds a second copy when unnamed. */
export const meta = defineRule('guard-add-constraint', 'idempotency', 'warning', 'ADD CONSTRAINT with no guard cannot run twice');

/** kinds: ALTER TABLE. */
export const kinds = ['AlterTableStmt'] as const;

/**
 * CONDITIONS are the errors a second run of a named constraint raises: FOREIGN KEY and CHECK name a
 * constraint (duplicate_object); UNIQUE, PRIMARY KEY and EXCLUDE also create an index of that name
 * (duplicate_table), and a second primary key is refused as such (invalid_table_definition).
 */
const CONDITIONS: Partial<Record<NonNullable<Constraint['contype']>, string[]>> = {
  CONSTR_FOREIGN: ['duplicate_object'],
  CONSTR_CHECK: ['duplicate_object'],
  CONSTR_NOTNULL: ['duplicate_object'],
  CONSTR_UNIQUE: ['duplicate_table', 'duplicate_object'],
  CONSTR_EXCLUSION: ['duplicate_table', 'duplicate_object'],
  CONSTR_PRIMARY: ['invalid_table_definition', 'duplicate_table', 'duplicate_object'],
};

/** check reports each ADD CONSTRAINT; a named one in a single-command ALTER TABLE gets a DO-block guard. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const cmds = s.get('AlterTableStmt')?.cmds ?? [];
  for (const cmd of cmds) {
    const def = 'AlterTableCmd' in cmd && cmd.AlterTableCmd.subtype === 'AT_AddConstraint' ? cmd.AlterTableCmd.def : undefined;
    if (!def || !('Constraint' in def)) continue;
    const constraint = def.Constraint;
    const conditions = CONDITIONS[constraint.contype ?? 'CONSTR_CHECK'] ?? ['duplicate_object'];
    const named = constraint.conname !== undefined;
    report({
      ...constraintRange(s, constraint),
      message: named
        ? `ADD CONSTRAINT ${constraint.conname} fails when the migration runs again: it has no IF NOT EXISTS`
        : 'an unnamed constraint cannot be detected on a second run: it is added again, or the run fails',
      help: named
        ? cmds.length === 1
          ? `guard it with a DO block that ignores ${conditions.join(' or ')}`
          : 'move it to an ALTER TABLE of its own and guard that with a DO block'
        : 'name it (ADD CONSTRAINT name ...) and guard it with a DO block',
      fixes: () => (named && cmds.length === 1 ? [guardWithDoBlock(doc, s, conditions, `Guard with a DO block that ignores ${conditions.join(', ')}`)] : []),
    });
  }
}
