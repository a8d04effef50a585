import { afterKeyword } from '../ddl';
import { fix, insert } from '../fixes';
import { codeTokens, headline } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: ALTER TYPE ... ADD VALUE without IF NOT EXISTS fails when the migration runs again. */
export const meta = defineRule('add-value-if-not-exists', 'idempotency', 'warning', 'ALTER TYPE ... ADD VALUE without IF NOT EXISTS cannot run twice');

/** kinds: ALTER TYPE on enums. */
export const kinds = ['AlterEnumStmt'] as const;

/** check reports ADD VALUE without IF NOT EXISTS (RENAME VALUE is guard-rename's). */
export function check(s: LintStatement, report: Report): void {
  const alter = s.get('AlterEnumStmt');
  if (!alter?.newVal || alter.oldVal !== undefined || alter.skipIfNewValExists) return;
  report({
    ...addValueRange(s),
    message: `ADD VALUE '${alter.newVal}' without IF NOT EXISTS fails when the migration runs again`,
    help: 'write ADD VALUE IF NOT EXISTS, so a re-run skips a label that is already there',
    fixes: () => [fix('Add IF NOT EXISTS', [insert(afterKeyword(s, 'value'), ' IF NOT EXISTS')])],
  });
}

/** addValueRange is `ALTER TYPE name ADD VALUE 'label'`. */
function addValueRange(s: LintStatement): { start: number; end: number } {
  const tokens = codeTokens(s.tokens());
  const value = tokens.findIndex((t) => t.keyword === 'value');
  const label = tokens[value + 1];
  return value > 0 && label ? { start: s.start, end: label.end } : headline(s);
}
