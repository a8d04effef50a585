import type { LintDocument } from '../document';
import { fix, removeRange } from '../fixes';
import type { IgnoreDirective } from '../ignores';
import { defineRule } from '../rule';
import type { RuleReport, TextEdit } from '../types';

/** meta: an ignore comment that silences nothing is stale (or has a typo) and hides nothing but intent. */
export const meta = defineRule('unused-ignore', 'structure', 'warning', 'A strata-ignore comment silences nothing');

/** engine: the engine reports these after applying the ignore comments. */
export const engine = true;

/** reportsFor describes each directive that silenced nothing; `knows` tells rule ids and families from typos. */
export function reportsFor(doc: LintDocument, unused: readonly IgnoreDirective[], knows: (id: string) => boolean): RuleReport[] {
  return unused.map((d) => {
    const where = d.scope === 'file' ? 'in this file' : d.target ? 'on the statement it applies to' : 'because no statement follows it';
    const message = knows(d.rule) ? `strata-ignore ${d.rule} silences nothing ${where}` : `strata-ignore names an unknown rule: ${d.rule}`;
    return {
      start: d.start,
      end: d.end,
      message,
      help: knows(d.rule) ? 'remove it, or move it just above the statement it is meant for' : 'use a rule id from docs/rules, or a family: idempotency, safety, structure',
      fixes: () => [fix(`Remove strata-ignore ${d.rule}`, [removal(doc.text, d)])],
    };
  });
}

/** removal deletes the whole comment when it names only this rule, else the id and one separator next to it. */
function removal(text: string, d: IgnoreDirective): TextEdit {
  if (d.comment.ids === 1) {
    let start = d.comment.start;
    while (start > 0 && (text.charCodeAt(start - 1) === 32 || text.charCodeAt(start - 1) === 9)) start--;
    return removeRange(text, start, d.comment.end);
  }
  let end = d.end;
  while (end < d.comment.end && (text[end] === ',' || text[end] === ' ' || text[end] === '\t')) end++;
  if (end < d.comment.end && !text.startsWith('--', end)) return { start: d.start, end, newText: '' };
  let start = d.start; // the last id: take the separator before it instead
  while (start > d.comment.start && (text[start - 1] === ',' || text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { start, end: d.end, newText: '' };
}
