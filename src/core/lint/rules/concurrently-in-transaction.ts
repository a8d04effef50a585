import type { LintDocument } from '../document';
import { fix, removeStatement } from '../fixes';
import { transactionControlOf, nonTransactionalReason } from '../../sql/classify';
import { lineColumnAt } from '../../text';
import { headline, throughRelation } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: a statement that cannot run in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...) after the file's own BEGIN. */
export const meta = defineRule('concurrently-in-transaction', 'safety', 'error', 'CONCURRENTLY (or VACUUM, ...) inside the file\'s own BEGIN ... COMMIT');

/** kinds: every statement nonTransactionalReason may refuse. */
export const kinds = [
  'IndexStmt', 'DropStmt', 'ReindexStmt', 'VacuumStmt', 'ClusterStmt', 'AlterTableStmt', 'AlterDatabaseStmt', 'DiscardStmt', 'CreateSubscriptionStmt',
  'AlterSubscriptionStmt', 'DropSubscriptionStmt', 'CreatedbStmt', 'DropdbStmt', 'CreateTableSpaceStmt', 'DropTableSpaceStmt', 'AlterSystemStmt',
] as const;

/**
 * check reports such a statement while the file's BEGIN is open. Under strata:no-transaction the BEGIN
 * runs and PostgreSQL refuses the statement (an error); otherwise Strata drops BEGIN/COMMIT and runs the
 * file outside a transaction, so it works but is not the atomic script it looks like (a warning).
 */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const begin = s.openBegin;
  const reason = begin ? nonTransactionalReason(s.sql) : null;
  if (!begin || !reason) return;
  const line = lineColumnAt(doc.text, begin.start).line;
  const index = s.get('IndexStmt');
  report({
    ...(index ? throughRelation(s, index.relation) : headline(s)),
    severity: doc.noTransaction ? 'error' : 'warning',
    message: `${reason} cannot run inside a transaction block, and the BEGIN on line ${line} opens one`,
    help: doc.noTransaction
      ? 'move it after the COMMIT, or remove BEGIN and COMMIT'
      : `remove BEGIN and COMMIT: with ${reason} in it, Strata runs this migration outside a transaction, statement by statement`,
    fixes: () => {
      const commit = doc.statements.find((c) => c.index > s.index && c.section === s.section && transactionControlOf(c.sql) === 'commit');
      const edits = [removeStatement(doc, begin), ...(commit ? [removeStatement(doc, commit)] : [])];
      return [fix('Remove the file\'s BEGIN and COMMIT', edits)];
    },
  });
}
