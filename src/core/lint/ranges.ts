/**
 * Ranges inside a statement. A name the parser located (a RangeVar, a ColumnDef) is measured by
 * checking that the text at its location spells the name the parser read, which costs nothing; when
 * it does not (a comment inside a qualified name, a truncated identifier, U&"..."), the scanner's tokens
 * decide. Keywords without locations are found among the statement's tokens.
 */
import type { Constraint, RangeVar } from 'libpg-query';
import type { LintStatement, LintToken } from './statement';

/** Range is a document range [start, end). */
export interface Range {
  start: number;
  end: number;
}

/** statementRange is the whole statement without its ';'. */
export function statementRange(s: LintStatement): Range {
  return { start: s.start, end: s.end };
}

/** headline is the statement's first line (the whole statement when it fits on one), a cheap range for statements without a better anchor. */
export function headline(s: LintStatement): Range {
  const text = s.text;
  let end = 0;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  return { start: s.start, end: s.start + end };
}

/** nameRange is the range of a name the parser read as `parts` (e.g. ['public', 'users']) at document offset `start`. */
export function nameRange(s: LintStatement, start: number, parts: readonly string[]): Range {
  const text = s.text; // offsets below are relative to the statement
  let at = start - s.start;
  for (let i = 0; i < parts.length && at >= 0; i++) {
    if (i > 0) at = skipDot(text, at);
    if (at >= 0) at = matchIdentifier(text, at, parts[i]!);
  }
  if (at >= 0) return { start, end: s.start + at };
  return { start, end: nameEndFromTokens(s.tokens(), start) };
}

/** relationRange is the range of a RangeVar's (possibly qualified) name. */
export function relationRange(s: LintStatement, rv: RangeVar): Range {
  const parts: string[] = [];
  if (typeof rv.catalogname === 'string') parts.push(rv.catalogname);
  if (typeof rv.schemaname === 'string') parts.push(rv.schemaname);
  if (typeof rv.relname === 'string') parts.push(rv.relname);
  return nameRange(s, s.at(rv.location), parts);
}

/** throughRelation is [statement start, end of the relation's name]: e.g. `CREATE INDEX users_email ON users`. */
export function throughRelation(s: LintStatement, rv: RangeVar | undefined): Range {
  if (!rv) return headline(s);
  return { start: s.start, end: relationRange(s, rv).end };
}

/**
 * wordsRange is the range of the words (keywords or names, as the parser reads them) that start at
 * `start`, separated by blanks: e.g. ['constraint', 'orders_user_fk'] or ['foreign', 'key'].
 */
export function wordsRange(s: LintStatement, start: number, words: readonly string[]): Range {
  const text = s.text;
  let at = start - s.start;
  for (let i = 0; i < words.length && at >= 0; i++) {
    if (i > 0) at = skipSpaces(text, at);
    if (at >= 0) at = matchIdentifier(text, at, words[i]!);
  }
  if (at >= 0) return { start, end: s.start + at };
  const tokens = codeTokens(s.tokens()).filter((t) => t.start >= start).slice(0, words.length);
  return { start, end: tokens[tokens.length - 1]?.end ?? start };
}

/** CONSTRAINT_WORDS are the words that open an unnamed constraint of each type. */
const CONSTRAINT_WORDS: Partial<Record<NonNullable<Constraint['contype']>, string[]>> = {
  CONSTR_CHECK: ['check'],
  CONSTR_FOREIGN: ['foreign', 'key'],
  CONSTR_UNIQUE: ['unique'],
  CONSTR_PRIMARY: ['primary', 'key'],
  CONSTR_EXCLUSION: ['exclude'],
  CONSTR_NOTNULL: ['not', 'null'],
};

/** constraintRange is `CONSTRAINT name` for a named table constraint, else its opening words (`FOREIGN KEY`, `CHECK`, ...). */
export function constraintRange(s: LintStatement, c: Constraint): Range {
  const start = s.at(c.location);
  if (c.conname !== undefined) return wordsRange(s, start, ['constraint', c.conname]);
  return wordsRange(s, start, CONSTRAINT_WORDS[c.contype ?? 'CONSTR_CHECK'] ?? ['check']);
}

/** findKeyword finds the first token that is `keyword` (lower case) at or after `from`. */
export function findKeyword(tokens: readonly LintToken[], keyword: string, from = 0): number {
  for (let i = from; i < tokens.length; i++) if (tokens[i]!.keyword === keyword) return i;
  return -1;
}

/** codeTokens drops comments, which may sit anywhere between tokens. */
export function codeTokens(tokens: readonly LintToken[]): LintToken[] {
  return tokens.filter((t) => t.type !== 'SQL_COMMENT' && t.type !== 'C_COMMENT');
}

/**
 * commandRanges splits an ALTER statement's tokens after the altered object's name at top-level commas:
 * range i belongs to command i. Null when the count does not match the parser's commands.
 */
export function commandRanges(s: LintStatement, nameStart: number, count: number): Range[] | null {
  const tokens = codeTokens(s.tokens());
  let i = tokens.findIndex((t) => t.start >= nameStart);
  if (i < 0) return null;
  const nameEnd = nameEndFromTokens(tokens, tokens[i]!.start);
  while (i < tokens.length && tokens[i]!.start < nameEnd) i++;
  const ranges: Range[] = [];
  let depth = 0;
  let first: LintToken | null = null;
  let last: LintToken | null = null;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'ASCII_44' && depth === 0) {
      if (first && last) ranges.push({ start: first.start, end: last.end });
      first = last = null;
      continue;
    }
    if (t.type === 'ASCII_40' || t.type === 'ASCII_91') depth++;
    else if (t.type === 'ASCII_41' || t.type === 'ASCII_93') depth = Math.max(0, depth - 1);
    first ??= t;
    last = t;
  }
  if (first && last) ranges.push({ start: first.start, end: last.end });
  return ranges.length === count ? ranges : null;
}

/** commandRange is command i's range of an ALTER TABLE-like statement, or the statement's first line. */
export function commandRange(s: LintStatement, nameStart: number, count: number, index: number): Range {
  return commandRanges(s, nameStart, count)?.[index] ?? headline(s);
}

/** nameEndFromTokens is the end of the (possibly qualified) name whose first token starts at `start`. */
function nameEndFromTokens(all: readonly LintToken[], start: number): number {
  const tokens = codeTokens(all);
  let i = tokens.findIndex((t) => t.start >= start);
  if (i < 0) return start;
  let end = tokens[i]!.end;
  while (tokens[i + 1]?.type === 'ASCII_46' && tokens[i + 2] && isNameToken(tokens[i + 2]!)) {
    end = tokens[i + 2]!.end;
    i += 2;
  }
  return end;
}

function isNameToken(t: LintToken): boolean {
  return t.type === 'IDENT' || t.type === 'UIDENT' || t.type === 'KEYWORD';
}

/**
 * matchIdentifier returns the end of the identifier at `at` when it spells `name` (the parser's
 * reading: unquoted identifiers are folded to lower case, quoted ones kept with "" undoubled), else -1.
 */
function matchIdentifier(text: string, at: number, name: string): number {
  if (text.charCodeAt(at) === QUOTE) {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    return text.startsWith(quoted, at) ? at + quoted.length : -1;
  }
  const end = at + name.length;
  if (end > text.length || isIdentifierChar(text.charCodeAt(end))) return -1;
  for (let i = 0; i < name.length; i++) {
    if (foldAscii(text.charCodeAt(at + i)) !== name.charCodeAt(i)) return -1;
  }
  return end;
}

/** skipDot passes blanks, one '.', blanks; -1 when there is something else (a comment: leave it to the scanner). */
function skipDot(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== DOT) return -1;
  i++;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** skipSpaces passes at least one blank; -1 when there is none or a comment follows (left to the scanner). */
function skipSpaces(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === at || text.startsWith('--', i) || text.startsWith('/*', i)) return -1;
  return i;
}

const QUOTE = 34;
const DOT = 46;

function foldAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function isIdentifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c >= 0x80;
}

/** isSpace is PostgreSQL's scanner whitespace: space, tab, newline, carriage return, form feed, vertical tab. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** lineRange is the text of a 1-based line of the document, without its line break (line 1 after a BOM). */
export function lineRange(text: string, line: number): Range {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let n = 1; n < line && start < text.length; n++) {
    while (start < text.length && text.charCodeAt(start) !== 10 && text.charCodeAt(start) !== 13) start++;
    if (text.charCodeAt(start) === 13 && text.charCodeAt(start + 1) === 10) start++;
    start++;
  }
  start = Math.min(start, text.length);
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}
