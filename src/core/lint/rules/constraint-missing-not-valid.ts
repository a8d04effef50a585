import { alterTableOf, constraintOf, relationName } from '../ddl';
import type { LintDocument } from '../document';
import { fix, insert } from '../fixes';
import { commandRanges, constraintRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: a FOREIGN KEY or CHECK added without NOT VALID checks every row while holding a lock that blocks writes. */
export const meta = defineRule('constraint-missing-not-valid', 'safety', 'warning', 'FOREIGN KEY or CHECK added to an existing table without NOT VALID');

/** kinds: ALTER TABLE. */
export const kinds = ['AlterTableStmt'] as const;

/** check reports FOREIGN KEY and CHECK constraints validated while they are added, on tables this section did not create. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const { relation, cmds } = alterTableOf(s);
  if (!relation || doc.createdEarlier(s, relation)) return;
  cmds.forEach((cmd, i) => {
    const constraint = constraintOf(cmd);
    const kind = constraint?.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : constraint?.contype === 'CONSTR_CHECK' ? 'CHECK' : null;
    if (!constraint || !kind || constraint.skip_validation) return;
    const locks = kind === 'FOREIGN KEY' ? `${relationName(relation)} and ${relationName(constraint.pktable)}` : relationName(relation);
    report({
      ...constraintRange(s, constraint),
      message: `adding a ${kind} constraint checks every existing row while blocking writes to ${locks}`,
      help: 'add it NOT VALID (new rows are still checked), then VALIDATE CONSTRAINT in a later migration, which allows writes meanwhile',
      fixes: () => {
        const range = commandRanges(s, s.at(relation.location), cmds.length)?.[i];
        return range ? [fix('Add NOT VALID', [insert(range.end, ' NOT VALID')])] : [];
      },
    });
  });
}
