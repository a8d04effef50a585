import type { LintDocument, DocumentSyntaxError } from '../document';
import { tokenize } from '../../sql/parser';
import { headline, isSpace, type Range } from '../ranges';
import { defineRule } from '../rule';
import type { Report } from '../types';

/** meta: text PostgreSQL would refuse, at the exact place; the statements around it are still linted. */
export const meta = defineRule('syntax-error', 'structure', 'error', 'SQL that PostgreSQL would refuse');

/** MAX_SHOWN bounds the findings for text that is not SQL at all (a binary file): the rest is counted in one more. */
const MAX_SHOWN = 100;

/** check reports each syntax error at the token where the parser stopped. */
export function check(doc: LintDocument, report: Report): void {
  const errors = doc.syntaxErrors;
  errors.slice(0, MAX_SHOWN).forEach((error) => report(describe(doc, error)));
  const rest = errors[MAX_SHOWN];
  if (rest) {
    report({
      ...tokenAt(doc.text, rest.offset),
      message: `${errors.length - MAX_SHOWN} more syntax errors (not shown): this does not look like SQL`,
      help: 'check that this is the SQL file you meant to lint, saved as UTF-8 text',
    });
  }
}

function describe(doc: LintDocument, error: DocumentSyntaxError): Parameters<Report>[0] {
  const s = error.statement;
  if (s && s.text.startsWith('\\')) {
    let end = 1;
    while (end < s.text.length && !isSpace(s.text.charCodeAt(end))) end++;
    const command = s.text.slice(0, end);
    return {
      ...headline(s),
      message: `${command} is a psql meta-command, not SQL: PostgreSQL refuses it when Strata sends the migration`,
      help: 'write it in SQL (e.g. SET for \\set variables), or run that step with psql outside the migration',
    };
  }
  return { ...tokenAt(doc.text, error.offset), message: error.message, help: 'PostgreSQL would refuse this statement; the statements around it were still checked' };
}

/** tokenAt is the token starting at `offset` (one character when the scanner cannot read it, e.g. an unterminated quote). */
function tokenAt(text: string, offset: number): Range {
  const window = text.slice(offset, offset + 256);
  const first = tokenize(window)[0];
  if (first && first.start === 0 && first.end > 0) return { start: offset, end: offset + first.end };
  const c = text.codePointAt(offset);
  return { start: offset, end: c === undefined || c === 10 || c === 13 ? offset : offset + (c > 0xffff ? 2 : 1) };
}
