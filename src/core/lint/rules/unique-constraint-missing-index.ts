import { alterTableOf, constraintOf, relationName } from '../ddl';
import type { LintDocument } from '../document';
import { constraintRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: ADD UNIQUE / PRIMARY KEY / EXCLUDE builds its index while holding an ACCESS EXCLUSIVE lock. */
export const meta = defineRule('unique-constraint-missing-index', 'safety', 'warning', 'UNIQUE or PRIMARY KEY constraint on an existing table that builds its own index');

/** kinds: ALTER TABLE. */
export const kinds = ['AlterTableStmt'] as const;

const LABELS: Record<string, string> = { CONSTR_UNIQUE: 'UNIQUE', CONSTR_PRIMARY: 'PRIMARY KEY', CONSTR_EXCLUSION: 'EXCLUDE' };

/** check reports an index-backed constraint that is not added USING INDEX, on a table this section did not create. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const { relation, cmds } = alterTableOf(s);
  if (doc.createdEarlier(s, relation)) return;
  for (const cmd of cmds) {
    const constraint = constraintOf(cmd);
    const label = LABELS[constraint?.contype ?? ''];
    if (!constraint || !label || constraint.indexname !== undefined) continue;
    report({
      ...constraintRange(s, constraint),
      message: `adding a ${label} constraint builds its index while blocking reads and writes on ${relationName(relation)}`,
      help:
        label === 'EXCLUDE'
          ? 'an exclusion constraint cannot use an existing index: add it while the table is small, or in a maintenance window'
          : `first CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT name ${label} USING INDEX that index, which takes only a brief lock`,
    });
  }
}
