/**
 * Building blocks for fixes: insertions, guards, removals, and quoting names in generated SQL.
 * Fixes never re-indent a statement: a string literal spanning lines would change.
 */
import { tokenize } from '../sql/parser';
import type { LintDocument } from './document';
import type { LintStatement } from './statement';
import type { LintFix, TextEdit } from './types';

/** insert is a TextEdit inserting text at an offset. */
export function insert(at: number, newText: string): TextEdit {
  return { start: at, end: at, newText };
}

/** fix builds a LintFix; the first fix a rule offers is usually the preferred one. */
export function fix(title: string, edits: TextEdit[], preferred = true): LintFix {
  return { title, edits, preferred };
}

/** lineEnding is the document's line break (CRLF when its first line ends with one). */
export function lineEnding(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text.charCodeAt(lf - 1) === 13 ? '\r\n' : '\n';
}

/** lineStart is the offset where the line holding `offset` starts. */
export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
  return i;
}

/** indentBefore is the blank text between the line's start and `offset`, or '' when something else is there. */
export function indentBefore(text: string, offset: number): string {
  const start = lineStart(text, offset);
  const before = text.slice(start, offset);
  return before.trim() === '' ? before : '';
}

/** dollarTag picks a dollar-quote tag that does not occur in the text it will quote. */
export function dollarTag(body: string): string {
  if (!body.includes('$$')) return '$$';
  for (let n = 0; ; n++) {
    const tag = `$strata${n === 0 ? '' : n}$`;
    if (!body.includes(tag)) return tag;
  }
}

/**
 * guardWithDoBlock wraps a statement in a DO block that swallows the errors a second run raises
 * (e.g. duplicate_object), so the migration can run again. The statement keeps its own lines.
 */
export function guardWithDoBlock(doc: LintDocument, s: LintStatement, conditions: readonly string[], title: string, preferred = true): LintFix {
  const eol = lineEnding(doc.text);
  const indent = indentBefore(doc.text, s.start);
  const tag = dollarTag(s.text);
  const before = `DO ${tag}${eol}${indent}BEGIN${eol}${indent}  `;
  const after = `;${eol}${indent}EXCEPTION WHEN ${conditions.join(' OR ')} THEN NULL;${eol}${indent}END${eol}${indent}${tag}`;
  return fix(title, [insert(s.start, before), insert(s.end, after)], preferred);
}

/** insertBeforeStatement puts whole lines of SQL on their own line(s) just before a statement, at its indentation. */
export function insertBeforeStatement(doc: LintDocument, s: LintStatement, sql: string): TextEdit {
  const eol = lineEnding(doc.text);
  const indent = indentBefore(doc.text, s.start);
  if (indent === '' && lineStart(doc.text, s.start) !== s.start) return insert(s.start, `${sql}${eol}`);
  return insert(lineStart(doc.text, s.start), `${indent}${sql}${eol}`);
}

/**
 * removeRange deletes [start, end); when that leaves its line blank, the whole line goes, line break
 * included, so removing a statement does not leave an empty line behind.
 */
export function removeRange(text: string, start: number, end: number): TextEdit {
  const from = lineStart(text, start);
  let to = end;
  while (to < text.length && (text.charCodeAt(to) === 32 || text.charCodeAt(to) === 9)) to++;
  const atLineEnd = to === text.length || text.charCodeAt(to) === 10 || text.charCodeAt(to) === 13;
  if (text.slice(from, start).trim() !== '' || !atLineEnd) return { start, end, newText: '' };
  if (text.charCodeAt(to) === 13) to++;
  if (text.charCodeAt(to) === 10) to++;
  return { start: from, end: to, newText: '' };
}

/** removeStatement deletes a statement with its ';'. */
export function removeStatement(doc: LintDocument, s: LintStatement): TextEdit {
  return removeRange(doc.text, s.start, s.terminatorEnd);
}

/** quoteIdent writes a name as PostgreSQL reads it back: bare when it is a lower-case plain word and no keyword, else double-quoted. */
export function quoteIdent(name: string): string {
  return isPlainWord(name) && !isKeyword(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** keywords remembers what the scanner said about plain words (bounded: names repeat within a project). */
const keywords = new Map<string, boolean>();

/**
 * isKeyword asks the scanner whether a plain word is a keyword. No keyword has a digit, so names
 * like t1_orders need no scanner call (which costs microseconds, and a finding's help text needs one).
 */
function isKeyword(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return false;
  }
  let known = keywords.get(word);
  if (known === undefined) {
    const tokens = tokenize(word);
    known = !(tokens.length === 1 && tokens[0]!.type === 'IDENT');
    if (keywords.size >= 4096) keywords.clear();
    keywords.set(word, known);
  }
  return known;
}

/** qualifiedName quotes and joins the parts of a name, skipping absent ones. */
export function qualifiedName(...parts: (string | undefined)[]): string {
  let name = '';
  for (const part of parts) {
    if (part === undefined || part === '') continue;
    name = name === '' ? quoteIdent(part) : `${name}.${quoteIdent(part)}`;
  }
  return name;
}

function isPlainWord(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || c === 95;
    const digit = (c >= 48 && c <= 57) || c === 36;
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}
