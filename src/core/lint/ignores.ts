/**
 * Ignore comments: `-- strata-ignore <rule-id>[, <rule-id>...]` silences those rules on the statement
 * the comment is in, or else on the next statement; `-- strata-ignore-file <rule-id>...` on the whole
 * file. A family name (idempotency, safety, structure) stands for its rules. Text after a second `--`
 * is a free-form reason. Only real comments count: the scanner confirms each candidate, so the words
 * inside a string literal are not a directive.
 */
import { tokenize } from '../sql/parser';
import type { LintDocument } from './document';
import type { LintStatement } from './statement';

/** IgnoreDirective is one rule id in an ignore comment. */
export interface IgnoreDirective {
  scope: 'statement' | 'file';
  rule: string;
  /** start/end: the rule id's range in the document. */
  start: number;
  end: number;
  /** comment: the whole comment's range; ids: how many rule ids it lists. */
  comment: { start: number; end: number; ids: number };
  /** target is the statement a statement-scope directive applies to (null: none follows it). */
  target: LintStatement | null;
  /** covers: the document range whose findings a statement-scope directive silences (see coverage). */
  covers: { start: number; end: number };
  used: boolean;
}

const MARK = 'strata-ignore';

/** hasIgnores is a quick test before anything else: most documents have no ignore comment. */
export function hasIgnores(text: string): boolean {
  return findText(text, MARK, 0) >= 0;
}

/**
 * findText is indexOf written as a loop. In Node 20, String#indexOf/includes over a large string
 * inside a function V8 has re-optimized was measured at ~300 ns per character (300 ms for 1 MB,
 * in splitSections), while a charCodeAt loop stays at ~1 ms. It compares the last character of each
 * window first and moves by as much as that character allows (Horspool), so it reads about one
 * character in ten of a text without the needle.
 */
function findText(text: string, needle: string, from: number): number {
  const last = needle.length - 1;
  const skips = skipsOf(needle);
  for (let i = from; i + last < text.length; ) {
    const c = text.charCodeAt(i + last);
    if (c === needle.charCodeAt(last) && text.startsWith(needle, i)) return i;
    i += c < 128 ? skips[c]! : needle.length;
  }
  return -1;
}

const skipTables = new Map<string, Uint8Array>();

/** skipsOf is Horspool's table for an ASCII needle (shorter than 256): how far a window may move given its last character. */
function skipsOf(needle: string): Uint8Array {
  let skips = skipTables.get(needle);
  if (!skips) {
    skips = new Uint8Array(128).fill(needle.length);
    for (let k = 0; k < needle.length - 1; k++) skips[needle.charCodeAt(k)] = needle.length - 1 - k;
    skipTables.set(needle, skips);
  }
  return skips;
}

/** findIgnores returns every ignore directive in the document, in text order. */
export function findIgnores(doc: LintDocument): IgnoreDirective[] {
  const directives: IgnoreDirective[] = [];
  const text = doc.text;
  let seenComment = -1;
  for (let i = findText(text, MARK, 0); i >= 0; i = findText(text, MARK, i + MARK.length)) {
    const comment = commentAt(doc, i);
    if (!comment || comment.start === seenComment) continue;
    seenComment = comment.start;
    directives.push(...parseComment(doc, comment));
  }
  return directives;
}

/** commentAt finds the `--` comment token holding offset i, using the tokens of the statement or gap around it. */
function commentAt(doc: LintDocument, i: number): { start: number; end: number } | null {
  const statements = doc.statements;
  const k = lastStartingAtOrBefore(statements, i);
  const holder = k >= 0 && i < statements[k]!.end ? statements[k]! : null;
  let tokens;
  if (holder) {
    tokens = holder.tokens();
  } else {
    const from = k >= 0 ? statements[k]!.end : 0;
    const to = statements[k + 1]?.start ?? doc.text.length;
    tokens = tokenize(doc.text.slice(from, to)).map((t) => ({ ...t, start: t.start + from, end: t.end + from }));
  }
  const token = tokens.find((t) => t.start <= i && i < t.end);
  return token?.type === 'SQL_COMMENT' ? { start: token.start, end: token.end } : null;
}

/** parseComment reads `-- strata-ignore[-file] ids [-- reason]` into directives. */
function parseComment(doc: LintDocument, comment: { start: number; end: number }): IgnoreDirective[] {
  const body = doc.text.slice(comment.start + 2, comment.end);
  const words = wordsOf(body, comment.start + 2);
  const head = words.shift();
  if (!head || (head.word !== MARK && head.word !== `${MARK}-file`)) return [];
  const scope = head.word === MARK ? 'statement' : 'file';
  const reason = words.findIndex((w) => w.word.startsWith('--'));
  const ids = reason >= 0 ? words.slice(0, reason) : words;
  const target = scope === 'statement' ? targetOf(doc, comment) : null;
  const range = { ...comment, ids: ids.length };
  const covers = coverage(comment, target);
  return ids.map((w) => ({ scope, rule: w.word, start: w.start, end: w.start + w.word.length, comment: range, target, covers, used: false }));
}

/** wordsOf splits text at blanks and commas, keeping each word's document offset. */
function wordsOf(text: string, base: number): { word: string; start: number }[] {
  const words: { word: string; start: number }[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    const separator = i === text.length || c === 32 || c === 9 || c === 44 || c === 13 || c === 10;
    if (!separator && start < 0) start = i;
    if (separator && start >= 0) {
      words.push({ word: text.slice(start, i), start: base + start });
      start = -1;
    }
  }
  return words;
}

/**
 * coverage runs from the comment (or the start of the statement holding it) to the end of its target
 * statement: so a comment also silences findings on its own line and on the lines before that statement,
 * which is where file-level findings (missing DOWN on line 1, a marker line) sit.
 */
function coverage(comment: { start: number; end: number }, target: LintStatement | null): { start: number; end: number } {
  if (!target) return comment;
  return { start: Math.min(comment.start, target.start), end: Math.max(comment.end, target.terminatorEnd) };
}

/** targetOf is the statement a comment sits in, else the first statement after it. */
function targetOf(doc: LintDocument, comment: { start: number; end: number }): LintStatement | null {
  const k = lastStartingAtOrBefore(doc.statements, comment.start);
  const holder = doc.statements[k];
  if (holder && comment.start < holder.end) return holder;
  return doc.statements[k + 1] ?? null;
}

/** lastStartingAtOrBefore is the index of the last statement starting at or before `offset` (-1 if none), by binary search. */
function lastStartingAtOrBefore(statements: readonly LintStatement[], offset: number): number {
  let lo = 0;
  let hi = statements.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid]!.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** directiveMatches is true when a directive covers a finding of `rule` (of `family`) starting at `start`. */
export function directiveMatches(d: IgnoreDirective, rule: string, family: string, start: number): boolean {
  if (d.rule !== rule && d.rule !== family) return false;
  if (d.scope === 'file') return true;
  return d.covers.start <= start && start <= d.covers.end;
}
