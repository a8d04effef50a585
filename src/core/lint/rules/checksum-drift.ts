import { checksumOf, isCosmeticChange } from '../../checksum';
import type { DocumentSection, LintDocument } from '../document';
import { fix } from '../fixes';
import type { Range } from '../ranges';
import { defineRule } from '../rule';
import type { LintAction, Report } from '../types';

/** meta: an applied migration whose UP was edited afterwards: the database ran something else. Whitespace- or comment-only edits are information. */
export const meta = defineRule('checksum-drift', 'structure', 'warning', 'An applied migration was edited (cosmetic edits are info)');

/** check compares the UP section with the tracking table's row, when the caller read one. */
export function check(doc: LintDocument, report: Report): void {
  const applied = doc.options.applied;
  const up = doc.section('up');
  if (!applied || !up || doc.part === 'down' || checksumOf(up.text) === applied.checksum) return;
  const script = applied.script;
  const cosmetic = script !== null && isCosmeticChange(script, up.text);
  const actions: LintAction[] = script === null ? ['accept-checksum'] : ['show-applied-diff', 'accept-checksum'];
  report({
    ...firstDifference(up, script),
    severity: cosmetic ? 'info' : 'warning',
    message: cosmetic
      ? 'UP differs from what was applied only in whitespace or comments'
      : script === null
        ? 'UP was edited after it was applied (its checksum differs; the applied text was not recorded)'
        : 'UP was edited after it was applied: the database ran different SQL',
    help: cosmetic
      ? 'harmless: accept the current checksum (strata repair), or revert the edit'
      : 'revert the edit and put the change in a new migration; accept the current checksum (strata repair) only if the database already matches the new text',
    actions,
    fixes: () => (script === null ? [] : [fix('Revert UP to the applied text', [{ start: up.start, end: up.end, newText: script }], !cosmetic)]),
  });
}

/** firstDifference is the first line of UP that differs from the applied script (line endings aside), or UP's first line. */
function firstDifference(up: DocumentSection, script: string | null): Range {
  const current = up.text.split(/\r\n|\r|\n/);
  const applied = script === null ? [] : script.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let line = 0;
  if (script !== null) while (line < current.length - 1 && current[line] === applied[line]) line++;
  let start = up.start;
  for (let i = 0; i < line; i++) {
    start += current[i]!.length;
    start += up.text.startsWith('\r\n', start - up.start) ? 2 : 1;
  }
  return { start, end: start + (current[line] ?? '').trimEnd().length };
}
