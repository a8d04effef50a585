import { isTemporary } from '../ddl';
import type { LintDocument } from '../document';
import { fix, insertBeforeStatement } from '../fixes';
import { headline } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta (opt-in): a statement that takes a strong lock, with no lock_timeout, can queue behind a long query and block everyone behind it. */
export const meta = defineRule('require-lock-timeout', 'safety', 'warning', 'Lock-heavy statement without SET lock_timeout before it', { optIn: true });

/** check reports, per section, the first lock-heavy statement no `SET lock_timeout` precedes. */
export function check(doc: LintDocument, report: Report): void {
  const reported = new Set<string>();
  const timed = new Set<string>();
  for (const s of doc.statements) {
    const set = s.get('VariableSetStmt');
    if (set?.name === 'lock_timeout' && set.kind === 'VAR_SET_VALUE') timed.add(s.section);
    if (timed.has(s.section) || reported.has(s.section) || !locksHard(doc, s)) continue;
    reported.add(s.section);
    report({
      ...headline(s),
      message: 'this statement takes a lock that blocks reads or writes, and no lock_timeout is set: behind a long query it waits, and everything queues behind it',
      help: "SET lock_timeout (e.g. '5s') before it, so the migration fails fast and can be retried instead of stalling the application",
      fixes: () => [fix("Add SET lock_timeout = '5s' before it", [insertBeforeStatement(doc, s, "SET lock_timeout = '5s';")])],
    });
  }
}

/** HEAVY are statements that take SHARE or stronger locks on existing objects. */
const HEAVY = new Set(['AlterTableStmt', 'RenameStmt', 'CreateTrigStmt', 'CreatePolicyStmt', 'RuleStmt', 'TruncateStmt', 'LockStmt', 'ClusterStmt']);

/** locksHard: the statement takes a lock that blocks the application on a table this section did not create. */
function locksHard(doc: LintDocument, s: LintStatement): boolean {
  const index = s.get('IndexStmt');
  if (index) return !index.concurrent && !isTemporary(index.relation) && !doc.createdEarlier(s, index.relation);
  const drop = s.get('DropStmt');
  if (drop) return !drop.concurrent && ['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_TRIGGER', 'OBJECT_POLICY', 'OBJECT_RULE'].includes(drop.removeType ?? '');
  const refresh = s.get('RefreshMatViewStmt');
  if (refresh) return !refresh.concurrent;
  if (!HEAVY.has(s.kind ?? '')) return false;
  const relation = s.get('AlterTableStmt')?.relation ?? s.get('CreateTrigStmt')?.relation ?? s.get('CreatePolicyStmt')?.table ?? s.get('RenameStmt')?.relation;
  return !doc.createdEarlier(s, relation) && !isTemporary(relation);
}
