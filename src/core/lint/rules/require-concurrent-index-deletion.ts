import { names } from '../ddl';
import type { LintDocument } from '../document';
import { fix, insert } from '../fixes';
import { afterKeyword } from '../ddl';
import { statementRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: DROP INDEX without CONCURRENTLY takes an exclusive lock on the index's table. */
export const meta = defineRule('require-concurrent-index-deletion', 'safety', 'warning', 'DROP INDEX without CONCURRENTLY');

/** kinds: DROP statements. */
export const kinds = ['DropStmt'] as const;

/** check reports a non-concurrent DROP INDEX of an index this section did not just create. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const drop = s.get('DropStmt');
  if (drop?.removeType !== 'OBJECT_INDEX' || drop.concurrent) return;
  const indexes = (drop.objects ?? []).map((o) => ('List' in o ? names(o.List.items) : []));
  if (indexes.every((parts) => parts.length > 0 && doc.createdBefore(s, 'index', parts.length > 1 ? parts[0] : undefined, parts[parts.length - 1]!))) return;
  // DROP INDEX CONCURRENTLY drops one index and refuses CASCADE.
  const fixable = indexes.length === 1 && drop.behavior !== 'DROP_CASCADE';
  report({
    ...statementRange(s),
    message: 'DROP INDEX without CONCURRENTLY blocks reads and writes on its table while it waits for and holds its lock',
    help: fixable ? 'use DROP INDEX CONCURRENTLY; Strata then runs this migration outside a transaction' : 'drop each index in its own DROP INDEX CONCURRENTLY (it takes one index and no CASCADE)',
    fixes: () => (fixable ? [fix('Add CONCURRENTLY', [insert(afterKeyword(s, 'index'), ' CONCURRENTLY')])] : []),
  });
}
