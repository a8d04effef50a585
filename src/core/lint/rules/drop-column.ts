import { alterTableOf, relationName } from '../ddl';
import type { LintDocument } from '../document';
import { commandRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: DROP COLUMN in UP deletes data that DOWN cannot bring back, and breaks code still reading the column. */
export const meta = defineRule('drop-column', 'safety', 'warning', 'DROP COLUMN of an existing column in UP');

/** kinds: ALTER TABLE. */
export const kinds = ['AlterTableStmt'] as const;

/** check reports DROP COLUMN in UP, unless this section created the table or added the column. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const { relation, cmds } = alterTableOf(s);
  if (s.section !== 'up' || !relation?.relname || doc.createdEarlier(s, relation)) return;
  cmds.forEach((cmd, i) => {
    if (cmd.subtype !== 'AT_DropColumn' || !cmd.name) return;
    if (doc.createdBefore(s, 'column', relation.schemaname, `${relation.relname}.${cmd.name}`)) return;
    report({
      ...commandRange(s, s.at(relation.location), cmds.length, i),
      message: `DROP COLUMN ${cmd.name} deletes its data from ${relationName(relation)}; DOWN cannot bring it back, and code still reading it breaks`,
      help: 'stop reading and writing the column in the application first and deploy that; drop it in a later migration (back it up if the data matters)',
    });
  });
}
