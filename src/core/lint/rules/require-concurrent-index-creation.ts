import { afterKeyword, isTemporary, relationName } from '../ddl';
import type { LintDocument } from '../document';
import { fix, insert } from '../fixes';
import { throughRelation } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: CREATE INDEX without CONCURRENTLY blocks writes to an existing table while the index builds. */
export const meta = defineRule('require-concurrent-index-creation', 'safety', 'warning', 'CREATE INDEX on an existing table without CONCURRENTLY');

/** kinds: CREATE INDEX. */
export const kinds = ['IndexStmt'] as const;

/** check reports a non-concurrent index build on a table this file did not just create. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const index = s.get('IndexStmt');
  if (!index || index.concurrent || isTemporary(index.relation) || doc.createdEarlier(s, index.relation)) return;
  report({
    ...throughRelation(s, index.relation),
    message: `CREATE INDEX without CONCURRENTLY blocks writes to ${relationName(index.relation)} until the index is built`,
    help: 'use CREATE INDEX CONCURRENTLY; Strata then runs this migration outside a transaction, statement by statement',
    fixes: () => {
      const at = afterKeyword(s, 'index', undefined, s.at(index.relation?.location));
      return at < 0 ? [] : [fix('Add CONCURRENTLY', [insert(at, ' CONCURRENTLY')])];
    },
  });
}
