import type { Node } from 'libpg-query';
import { alterTableOf, constraintOf, relationName } from '../ddl';
import type { LintDocument } from '../document';
import { commandRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock. */
export const meta = defineRule('set-not-null', 'safety', 'warning', 'ALTER COLUMN ... SET NOT NULL on an existing table');

/** kinds: ALTER TABLE. */
export const kinds = ['AlterTableStmt'] as const;

/**
 * check reports SET NOT NULL on a table this section did not create, unless an earlier statement of the
 * section added CHECK (column IS NOT NULL): PostgreSQL 12+ then skips the scan (once that check is valid).
 */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const { relation, cmds } = alterTableOf(s);
  if (!relation || doc.createdEarlier(s, relation)) return;
  cmds.forEach((cmd, i) => {
    if (cmd.subtype !== 'AT_SetNotNull' || !cmd.name || hasNotNullCheck(doc, s, relation.relname ?? '', cmd.name)) return;
    report({
      ...commandRange(s, s.at(relation.location), cmds.length, i),
      message: `SET NOT NULL scans all of ${relationName(relation)} under an ACCESS EXCLUSIVE lock, blocking reads and writes`,
      help: `first ADD CONSTRAINT ... CHECK (${cmd.name} IS NOT NULL) NOT VALID and VALIDATE it; then SET NOT NULL uses the check instead of scanning`,
    });
  });
}

/** checksByDocument caches, per document, where each `section:table.column` first gets a CHECK (column IS NOT NULL). */
const checksByDocument = new WeakMap<LintDocument, Map<string, number>>();

/** hasNotNullCheck: an earlier statement of the section adds CHECK (column IS NOT NULL) to this table. */
function hasNotNullCheck(doc: LintDocument, s: LintStatement, table: string, column: string): boolean {
  let checks = checksByDocument.get(doc);
  if (!checks) {
    checks = new Map();
    for (const earlier of doc.statements) {
      const alter = alterTableOf(earlier);
      for (const cmd of alter.cmds) {
        const check = constraintOf(cmd);
        const tested = check?.contype === 'CONSTR_CHECK' ? notNullColumn(check.raw_expr) : null;
        const key = `${earlier.section}:${alter.relation?.relname ?? ''}.${tested ?? ''}`;
        if (tested !== null && !checks.has(key)) checks.set(key, earlier.index);
      }
    }
    checksByDocument.set(doc, checks);
  }
  const at = checks.get(`${s.section}:${table}.${column}`);
  return at !== undefined && at < s.index;
}

/** notNullColumn is the column of a `column IS NOT NULL` expression. */
function notNullColumn(expr: Node | undefined): string | null {
  if (!expr || !('NullTest' in expr) || expr.NullTest.nulltesttype !== 'IS_NOT_NULL') return null;
  const arg = expr.NullTest.arg;
  if (!arg || !('ColumnRef' in arg)) return null;
  const last = arg.ColumnRef.fields?.at(-1);
  return last !== undefined && 'String' in last ? (last.String.sval ?? null) : null;
}
