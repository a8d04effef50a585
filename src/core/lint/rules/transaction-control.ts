import { transactionControlOf } from '../../sql/classify';
import type { LintDocument } from '../document';
import { fix, removeStatement } from '../fixes';
import { statementRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: transaction control written in a file: Strata already runs each migration in a transaction. */
export const meta = defineRule('transaction-control', 'structure', 'warning', 'BEGIN, COMMIT or ROLLBACK written in a migration');

/** kinds: transaction statements. */
export const kinds = ['TransactionStmt'] as const;

/** REFUSED names the statements Strata refuses to run, as written. */
const REFUSED = { rollback: 'ROLLBACK', prepare: 'PREPARE TRANSACTION', 'commit-prepared': 'COMMIT PREPARED', 'rollback-prepared': 'ROLLBACK PREPARED' };

/**
 * check reports top-level BEGIN/COMMIT (Strata drops them: harmless but misleading) and ROLLBACK or
 * two-phase commands (Strata refuses to run the file: an error). Savepoints work inside Strata's
 * transaction, and under strata:no-transaction the file controls transactions itself: both stay silent.
 */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const control = doc.noTransaction ? null : transactionControlOf(s.sql);
  if (control === 'begin' || control === 'commit') {
    report({
      ...statementRange(s),
      message: `${control.toUpperCase()} is not needed: Strata runs each migration in its own transaction and ignores it`,
      help: 'remove it; to run a migration outside a transaction, write strata:no-transaction in its header instead',
      fixes: () => [fix(`Remove ${control.toUpperCase()}`, [removeStatement(doc, s)])],
    });
  } else if (control === 'rollback' || control === 'prepare' || control === 'commit-prepared' || control === 'rollback-prepared') {
    report({
      ...statementRange(s),
      severity: 'error',
      message: `Strata refuses to run a migration with a top-level ${REFUSED[control]}: it would end the transaction Strata records the migration in`,
      help: 'remove it; a migration that must not apply should fail with an error (RAISE EXCEPTION in a DO block)',
    });
  }
}
