import type { LintDocument } from '../document';
import { fix, insert, lineEnding } from '../fixes';
import { describe, dropSql } from '../objects';
import { defineRule } from '../rule';
import { downStatements, leftBehind } from '../undo';
import type { Report } from '../types';

/** meta: DOWN does not drop something UP creates, so rolling back leaves it behind (and a later re-apply fails). */
export const meta = defineRule('incomplete-down', 'structure', 'warning', 'DOWN does not undo everything UP creates');

/** check reports, at the statement that creates it, each object UP creates that DOWN leaves behind. */
export function check(doc: LintDocument, report: Report): void {
  const down = downStatements(doc);
  if (!down || doc.sectionsError) return;
  const inFile = doc.part === 'single';
  for (const o of leftBehind(doc, down)) {
    const drop = dropSql(o);
    report({
      ...o.range,
      message: `DOWN does not drop ${describe(o)}, which UP creates: rolling back leaves it behind`,
      help: `add ${drop} to DOWN${inFile ? '' : ' (in the .down.sql file)'}`,
      // DOWN is the end of a single file; a pair's DOWN is another document, which an edit here cannot reach.
      fixes: () => {
        if (!inFile) return [];
        const text = doc.text;
        const lead = text.endsWith('\n') || text.endsWith('\r') ? '' : lineEnding(text);
        return [fix(`Drop ${o.name} in DOWN`, [insert(text.length, `${lead}${drop}${lineEnding(text)}`)])];
      },
    });
  }
}
