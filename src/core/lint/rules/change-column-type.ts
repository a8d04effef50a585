import { alterTableOf, columnDefOf, relationName } from '../ddl';
import type { LintDocument } from '../document';
import { nameRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: ALTER COLUMN ... TYPE usually rewrites the table and its indexes under an ACCESS EXCLUSIVE lock. */
export const meta = defineRule('change-column-type', 'safety', 'warning', 'ALTER COLUMN ... TYPE on an existing table');

/** kinds: ALTER TABLE. */
export const kinds = ['AlterTableStmt'] as const;

/** check reports a column type change on a table this section did not create. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const { relation, cmds } = alterTableOf(s);
  if (doc.createdEarlier(s, relation)) return;
  for (const cmd of cmds) {
    const column = cmd.subtype === 'AT_AlterColumnType' ? columnDefOf(cmd) : undefined;
    if (!column || !cmd.name) continue;
    report({
      ...nameRange(s, s.at(column.location), [cmd.name]),
      message: `changing the type of ${cmd.name} rewrites ${relationName(relation)} and its indexes under an ACCESS EXCLUSIVE lock (unless the types are binary-compatible)`,
      help: 'add a column of the new type, backfill it in batches, and switch over; varchar(n) to text or to a larger n needs no rewrite',
    });
  }
}
