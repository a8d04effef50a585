/**
 * Statements of a SQL text, found by PostgreSQL's own parser (libpg-query, compiled to WebAssembly).
 *
 * The parser speaks UTF-8 byte offsets (statement and node locations, scanner tokens) and code-point
 * indexes (syntax error cursors). Everything exported here is a UTF-16 offset into the caller's string,
 * as String#slice and VS Code count, except `byteStart` and the locations inside `node`, which stay
 * UTF-8 byte offsets into the input so that callers can convert them in one place.
 */
import type { ParseResult, RawStmt, ScanResult, ScanToken } from 'libpg-query';
import { ByteOffsetMap, codePointLength, codePointToUtf16Offset, isAscii } from '../text';
import { outline } from './comments';
import { giveUp, parseWorker } from './parallel';
import { loadWasm, parseJson, scanJson, SqlParseError } from './wasm';

let loaded = false;
let loading: Promise<void> | undefined;

/**
 * loadParser loads the WebAssembly parser once; every other function here needs it loaded first.
 * Loading compiles 1.7 MB of WebAssembly, which commands that never parse (status, create) and the
 * extension's activation should not pay for.
 */
export function loadParser(): Promise<void> {
  loading ??= loadWasm().then(
    () => {
      loaded = true;
    },
    (error: unknown) => {
      loading = undefined; // let a later call try again
      throw error;
    },
  );
  return loading;
}

/**
 * warmParser parses one statement, so that WebAssembly compiles the parser's code (lazily, on its first
 * call: ~11 ms) now rather than when the first real migration or file is parsed. Callers run it while
 * they wait anyway, e.g. for the server. Never throws.
 */
export function warmParser(): void {
  try {
    parseJson('SELECT 1');
  } catch {
    // Nothing is lost: the first real parse compiles the code instead.
  }
}

function parseSync(text: string): ParseResult {
  return JSON.parse(parseJson(text)) as ParseResult;
}

function scanSync(text: string): ScanResult {
  return JSON.parse(scanJson(text)) as ScanResult;
}

/** SqlStatement is one top-level statement of a SQL text with its exact place in that text. */
export interface SqlStatement {
  /** start/end: UTF-16 offsets of the first and past the last token, without leading comments or the terminating ';'. */
  start: number;
  end: number;
  /** terminatorEnd: UTF-16 offset just past the terminating ';' (== end when there is none). */
  terminatorEnd: number;
  /** text is input.slice(start, end). */
  text: string;
  /** node: the parsed statement node, e.g. { IndexStmt: {...} }; null when this statement has an error. */
  node: Record<string, unknown> | null;
  /** kind: the node's type name, e.g. 'IndexStmt', 'TransactionStmt'; null when unparsed. */
  kind: string | null;
  /** byteStart: UTF-8 byte offset of `start` in the input; locations inside `node` are byte offsets in the input too. */
  byteStart: number;
}

/** SqlSyntaxError is text PostgreSQL would refuse, with the UTF-16 offset in the input where it goes wrong. */
export interface SqlSyntaxError {
  message: string;
  offset: number;
}

/** SplitResult is every statement found in a text plus every error, both in text order. */
export interface SplitResult {
  statements: SqlStatement[];
  errors: SqlSyntaxError[];
  /** ascii: the text (less a byte order mark) is ASCII, so UTF-8 and UTF-16 offsets within it coincide; absent when not known. */
  ascii?: boolean;
}

/** SqlToken is one token of PostgreSQL's scanner, with UTF-16 offsets into the text given to tokenize. */
export interface SqlToken {
  start: number;
  end: number;
  text: string;
  /** type: the scanner's token name ('IDENT', 'SCONST', 'ICONST', 'Op', 'C_COMMENT', 'SQL_COMMENT', 'ASCII_59' for ';' ...) or 'KEYWORD'. */
  type: string;
  /** keyword: the keyword in lower case (e.g. 'concurrently') when the token is one, else null. */
  keyword: string | null;
}

/**
 * splitStatements parses the text. When it all parses, that one parse is the answer. When it does not,
 * the scanner splits it at top-level ';' (as psql does, keeping `BEGIN ATOMIC ... END` bodies whole) and
 * each piece is parsed on its own, so good statements still come back parsed and each bad one yields an
 * error at its exact offset. Text the scanner cannot read (an unterminated quote, dollar quote or comment)
 * becomes one last unparsed statement running to the end. Never throws for any input string, but throws
 * when loadParser has not finished, which is a programming error.
 */
export function splitStatements(sql: string): SplitResult {
  assertLoaded();
  try {
    return analyze(sql);
  } catch (error) {
    // Not expected (every parser call is guarded); still, a linter must not crash on odd text.
    return { statements: [], errors: [{ message: `could not parse the SQL: ${describe(error)}`, offset: 0 }] };
  }
}

/** parseStatements is splitStatements under the name the runner uses: one parse of the whole text, with recovery only when it has an error. */
export function parseStatements(sql: string): SplitResult {
  return splitStatements(sql);
}

/** tokenize returns the scanner's tokens (comments included) up to the end, or up to the first place it cannot read. Never throws. */
export function tokenize(sql: string): SqlToken[] {
  assertLoaded();
  try {
    const bom = hasBom(sql) ? 1 : 0;
    const body = scannable(sanitize(bom ? sql.slice(1) : sql));
    const open = unclosedComment(body, Infinity).open;
    const { tokens } = lex(open === null ? body : body.slice(0, open));
    return tokens.map((t) => ({
      start: t.start + bom,
      end: t.end + bom,
      text: sql.slice(t.start + bom, t.end + bom),
      type: t.type,
      keyword: t.keyword,
    }));
  } catch {
    return [];
  }
}

function assertLoaded(): void {
  if (!loaded) throw new Error('The SQL parser is not loaded: await loadParser() first.');
}

/** Draft is a statement found in the parsed text, before it is placed back into the caller's input. */
interface Draft {
  start: number;
  end: number;
  terminatorEnd: number;
  node: Record<string, unknown> | null;
  byteStart: number;
}

/** Tok is a scanner token with UTF-16 offsets. */
interface Tok {
  start: number;
  end: number;
  type: string;
  keyword: string | null;
}

const BOM = 0xfeff;
const SEMICOLON = 59;
const BACKSLASH = 92;
const NUL = '\0';

function hasBom(sql: string): boolean {
  return sql.charCodeAt(0) === BOM;
}

function analyze(sql: string): SplitResult {
  // Editors hide a byte order mark and PostgreSQL would choke on it: treat it as whitespace (3 bytes).
  const bom = hasBom(sql) ? 1 : 0;
  const body = sanitize(bom ? sql.slice(1) : sql);
  // A large text is cut in two at a ';' (found in the same pass that looks for an unclosed comment) when a worker can parse one part.
  const parallel = body.length >= PARALLEL_MIN_LENGTH ? parseWorker() : null;
  const { open, cut } = unclosedComment(body, parallel ? Math.floor(body.length * HEAD_SHARE) : Infinity);
  const ascii = isAscii(body);
  const { drafts, errors } = open === null ? splitBody(body, bom ? 3 : 0, parallel && cut > 0 && cut < body.length ? cut : -1, ascii) : splitBeforeComment(body, open, bom ? 3 : 0);
  const statements = drafts.map((d): SqlStatement => {
    const start = d.start + bom;
    const end = d.end + bom;
    const kind = d.node ? firstKey(d.node) : null;
    return { start, end, terminatorEnd: d.terminatorEnd + bom, text: sql.slice(start, end), node: d.node, kind, byteStart: d.byteStart };
  });
  const all = errors.map((e) => ({ message: e.message, offset: e.offset + bom }));
  if (sql.includes(NUL)) all.push(...nulErrors(sql, statements));
  all.sort((a, b) => a.offset - b.offset);
  return { statements, errors: all, ascii };
}

/** firstKey is an object's first own key (a node's type name), without listing them all. */
function firstKey(node: Record<string, unknown>): string | null {
  for (const key in node) if (Object.hasOwn(node, key)) return key;
  return null;
}

/**
 * sanitize makes the text safe to hand to the C parser without moving any offset: a NUL would end the
 * C string early (silently dropping the rest), and a lone surrogate would be encoded together with the
 * next character. A space (1 byte) and U+FFFD (3 bytes, as a lone surrogate counts in ByteOffsetMap) keep
 * UTF-16 and UTF-8 offsets identical to the input's.
 */
function sanitize(text: string): string {
  const s = text as unknown as { isWellFormed(): boolean; toWellFormed(): string };
  let out = s.isWellFormed() ? text : s.toWellFormed();
  if (out.includes(NUL)) out = out.replaceAll(NUL, ' ');
  return out;
}

/**
 * nulErrors reports NUL characters: one error per statement (from its start to past its ';') or gap
 * between statements that holds any. A statement with a NUL inside its text loses its node.
 */
function nulErrors(sql: string, statements: SqlStatement[]): SqlSyntaxError[] {
  const message = 'NUL character (U+0000): PostgreSQL receives the text only up to it';
  const errors: SqlSyntaxError[] = [];
  let k = 0;
  let reported = -1;
  for (let i = sql.indexOf(NUL); i >= 0; i = sql.indexOf(NUL, i + 1)) {
    while (k < statements.length && statements[k]!.terminatorEnd <= i) k++;
    const stmt = statements[k];
    const inside = stmt !== undefined && stmt.start <= i;
    const region = inside ? 2 * k + 1 : 2 * k; // odd: statement k, even: the gap before it
    if (region !== reported) errors.push({ message, offset: i });
    reported = region;
    if (inside && i < stmt.end) {
      stmt.node = null;
      stmt.kind = null;
    }
  }
  return errors;
}

/** splitBody is the fast path (one parse, or two in parallel from `cut` on) with the scanner-based recovery behind it. */
function splitBody(body: string, byteBase: number, cut = -1, ascii?: boolean): { drafts: Draft[]; errors: SqlSyntaxError[] } {
  const drafts: Draft[] = [];
  if (body.length === 0) return { drafts, errors: [] }; // parseSync refuses empty input
  if (cut > 0) {
    const parallel = splitInParallel(body, byteBase, cut, drafts, ascii);
    if (parallel) return parallel;
    drafts.length = 0;
  }
  try {
    collect(body, parseSync(body).stmts ?? [], 0, byteBase, drafts, ascii);
    return { drafts, errors: [] };
  } catch (failure) {
    return recover(body, byteBase, failure);
  }
}

/** Texts of at least this many UTF-16 units are parsed on two threads (below it, the round trip to the worker costs more than it saves). */
export const PARALLEL_MIN_LENGTH = 1 << 16;
/** HEAD_SHARE is the part of a text the main thread parses itself: it also turns both parts' JSON into objects. */
const HEAD_SHARE = 0.45;

/**
 * splitInParallel parses body[cut..] in the worker while this thread parses body[..cut], giving what
 * one parse of the whole body gives: when both parts parse, the ';' before `cut` ends a statement (a
 * ';' inside a BEGIN ATOMIC body or a CREATE RULE leaves the first part unfinished), and the worker
 * parses its part as if the first part's bytes were there, as spaces, so its locations are byte
 * offsets in the body. When only the second part has an error, that is the whole body's first error
 * (the parser reads its tokens from the same state), and recovery goes on from it as after one parse.
 * null when the first part does not parse or the worker fails: the caller then parses the whole body.
 */
function splitInParallel(body: string, byteBase: number, cut: number, drafts: Draft[], ascii?: boolean): { drafts: Draft[]; errors: SqlSyntaxError[] } | null {
  const worker = parseWorker();
  if (!worker) return null;
  const head = body.slice(0, cut);
  const tail = body.slice(cut);
  const pad = Buffer.byteLength(head);
  const id = worker.send(tail, pad);
  try {
    collect(head, parseSync(head).stmts ?? [], 0, byteBase, drafts, ascii);
  } catch {
    return null; // the worker's answer is skipped when the next request waits
  }
  const reply = worker.wait(id, WORKER_TIMEOUT_MS + tail.length / 1000);
  if (!reply) {
    giveUp();
    return null;
  }
  if (reply.json !== null) {
    collect(body, (JSON.parse(reply.json) as ParseResult).stmts ?? [], 0, byteBase, drafts, ascii);
    return { drafts, errors: [] };
  }
  if (!reply.syntax) return null;
  // The worker's cursor counts the padding (one code point per byte of the first part).
  const { message, cursorPosition } = reply.syntax;
  const cursor = cursorPosition > 0 ? cursorPosition - pad + codePointLength(head) : 0;
  return recover(body, byteBase, new SqlParseError(message, { message, cursorPosition: cursor }));
}

/** WORKER_TIMEOUT_MS (plus 1 ms per thousand units parsed) is how long the worker may take before this thread parses without it. */
const WORKER_TIMEOUT_MS = 1000;

/**
 * unclosedComment is the offset of a block comment that runs to the end of the text without closing,
 * found in linear time (comments.ts) and confirmed by the scanner: the text before it must scan
 * cleanly, and not end inside a line comment. null when there is none. The scanner alone takes time
 * quadratic in such a comment's nesting depth. The same pass finds `cut`, the end of the first ';'
 * outside comments and literals at or after `cutFrom` (-1 when none).
 */
function unclosedComment(body: string, cutFrom: number): { open: number | null; cut: number } {
  const { unclosedComment: open, cut } = outline(body, cutFrom);
  if (open === null || open === 0) return { open, cut };
  const head = scannable(body.slice(0, open));
  const raw = scanRaw(head);
  if (!raw) return { open: null, cut };
  const last = raw.length > 0 ? toTokens(head, raw.slice(-1), 0)[0] : undefined;
  if (last && last.type === 'SQL_COMMENT' && last.end === head.length) return { open: null, cut };
  return { open, cut };
}

/**
 * splitBeforeComment splits the text before an unclosed block comment, then adds the comment as one
 * unparsed statement (joined to the statement before it when no ';' ended that one) and its error.
 */
function splitBeforeComment(body: string, open: number, byteBase: number): { drafts: Draft[]; errors: SqlSyntaxError[] } {
  const { drafts, errors } = splitBody(body.slice(0, open), byteBase);
  let end = body.length;
  while (end > open && isSpace(body.charCodeAt(end - 1))) end--;
  const last = drafts[drafts.length - 1];
  // The statement before the comment, when no ';' ended it, takes the comment in; if it already had an
  // error, that error is the statement's one (as when the scanner reads it all).
  const joined = last !== undefined && last.terminatorEnd === last.end;
  if (!joined || last.node !== null) errors.push({ message: describe(new Error(`unterminated /* comment at or near "${body.slice(open, Math.min(end, open + MAX_MESSAGE + 1))}"`)), offset: open });
  if (joined) Object.assign(last, { end, terminatorEnd: end, node: null });
  else drafts.push({ start: open, end, terminatorEnd: end, node: null, byteStart: byteBase + Buffer.byteLength(body.slice(0, open)) });
  return { drafts, errors };
}

/**
 * Recovery stops trying to parse the rest of a text in one go, and parses piece by piece, after this
 * many failed attempts or once failed attempts have read this many times the text: each attempt copies
 * the rest into the parser, which costs more than it saves when nearly every statement is bad.
 */
const MAX_GROUP_ATTEMPTS = 32;
const MAX_GROUP_READS = 3;
/** After this many errors the rest of a text is one unchecked statement: each bad piece costs a parse call. */
const MAX_ERRORS = 100;

/**
 * recover handles a text that does not parse. A parse stops at its first error, so everything before
 * the statement holding that error is good: one parse up to the last ';' before the error usually
 * yields those statements (only those a real ';' token ended are kept: that ';' may sit in a comment),
 * and the scanner, four times slower than the parser, only has to read from there on.
 */
function recover(body: string, byteBase: number, failure: unknown): { drafts: Draft[]; errors: SqlSyntaxError[] } {
  const drafts: Draft[] = [];
  const firstError = errorOffset(body, failure);
  const cut = body.lastIndexOf(';', firstError - 1);
  if (cut > 0) {
    const prefix = body.slice(0, cut + 1);
    try {
      const stmts = parseSync(prefix).stmts ?? [];
      collect(prefix, stmts.filter((s) => (s.stmt_len ?? 0) > 0), 0, byteBase, drafts);
    } catch {
      drafts.length = 0; // the ';' was inside a literal or a BEGIN ATOMIC body: read it all with the scanner
    }
  }
  const base = drafts[drafts.length - 1]?.terminatorEnd ?? 0;
  const errors = recoverPieces(body, base, byteBase, drafts, { error: failure, offset: firstError });
  // The pieces should reproduce the failure; if they somehow all parse, the text is still not valid.
  if (errors.length === 0) errors.push({ message: describe(failure), offset: firstError });
  return { drafts, errors };
}

/**
 * recoverPieces splits body[base..] into pieces with the scanner and parses them, appending to
 * `drafts`. Runs of pieces are parsed together when the parser has shown they parse, which keeps a
 * large file with one error close to two parses instead of one parse per statement.
 */
function recoverPieces(
  body: string,
  base: number,
  byteBase: number,
  drafts: Draft[],
  known: { error: unknown; offset: number },
): SqlSyntaxError[] {
  const errors: SqlSyntaxError[] = [];
  const bytes = new Utf16ToBytes(body);
  const lexed = lexKnowingGood(scannable(body.slice(base)), known.offset - base);
  const tokens = base === 0 ? lexed.tokens : lexed.tokens.map((t) => ({ ...t, start: t.start + base, end: t.end + base }));
  const pieces = splitTokens(body, tokens, lexed.stoppedAt === null ? null : lexed.stoppedAt + base);
  /** parseRange parses pieces[from..to] as one text and returns its error (null when it parsed); a lone bad piece is recorded. */
  const parseRange = (from: number, to: number, reuse?: { error: unknown }): unknown => {
    const first = pieces[from]!;
    const last = pieces[to]!;
    const text = body.slice(first.start, last.end);
    const byteStart = byteBase + bytes.at(first.start);
    let error = reuse?.error;
    if (!reuse) {
      const count = drafts.length;
      try {
        collect(text, parseSync(text).stmts ?? [], first.start, byteStart, drafts);
        const final = drafts[drafts.length - 1];
        if (final && drafts.length > count) final.terminatorEnd = last.terminatorEnd; // the text stopped before it
        return null;
      } catch (caught) {
        drafts.length = count;
        error = caught;
      }
    }
    if (from === to) {
      errors.push({ message: describe(error), offset: first.start + errorOffset(text, error) });
      drafts.push({ start: first.start, end: last.end, terminatorEnd: last.terminatorEnd, node: null, byteStart });
    }
    return error ?? new Error('syntax error');
  };
  const lastPiece = pieces.length - 1;
  let next = 0;
  let read = 0;
  for (let attempt = 0; next <= lastPiece; attempt++) {
    if (errors.length >= MAX_ERRORS) {
      const first = pieces[next]!;
      const last = pieces[lastPiece]!;
      errors.push({ message: `more than ${MAX_ERRORS} errors: the rest was not checked`, offset: first.start });
      drafts.push({ start: first.start, end: last.end, terminatorEnd: last.terminatorEnd, node: null, byteStart: byteBase + bytes.at(first.start) });
      break;
    }
    if (next === lastPiece || attempt >= MAX_GROUP_ATTEMPTS || read > MAX_GROUP_READS * body.length) {
      for (; next <= lastPiece && errors.length < MAX_ERRORS; next++) parseRange(next, next);
      continue;
    }
    const start = pieces[next]!.start;
    // The first run is known to fail where the whole text did (the text after the error is unchanged): skip that parse.
    const reuse = attempt === 0 && known.offset >= start;
    if (!reuse) read += pieces[lastPiece]!.end - start;
    const error = parseRange(next, lastPiece, reuse ? known : undefined);
    if (error === null) break;
    const at = reuse ? known.offset : start + errorOffset(body.slice(start, pieces[lastPiece]!.end), error);
    let bad = next;
    while (bad < lastPiece && pieces[bad + 1]!.start <= at) bad++;
    // The pieces before the bad one should parse as a run; if not, the parser disagrees with the pieces: go one by one.
    if (bad > next && (bad - 1 === next || parseRange(next, bad - 1) !== null)) {
      for (let i = next; i < bad; i++) parseRange(i, i);
    }
    parseRange(bad, bad);
    next = bad + 1;
  }
  return errors;
}

/**
 * collect turns the parser's raw statements of `text` into drafts. `base16`/`baseByte` place `text` in
 * the parsed body; node locations are shifted by `baseByte` so that they are byte offsets in the input.
 * `ascii` may say that the text is ASCII (when known, it saves a pass).
 */
function collect(text: string, stmts: RawStmt[], base16: number, baseByte: number, out: Draft[], ascii?: boolean): void {
  const map = new ByteOffsetMap(text, ascii);
  for (const raw of stmts) {
    // The parser leaves stmt_location out when it is 0 and stmt_len out when the statement runs to the end.
    const location = raw.stmt_location ?? 0;
    const length = raw.stmt_len ?? 0;
    const from = map.toUtf16(location);
    const to = length > 0 ? map.toUtf16(location + length) : text.length;
    const [start, end] = tokenRange(text, from, to);
    const node = (raw.stmt ?? null) as Record<string, unknown> | null;
    if (node && baseByte !== 0) shiftLocations(node, baseByte);
    const skipped = start > from ? Buffer.byteLength(text.slice(from, start)) : 0;
    out.push({
      start: base16 + start,
      end: base16 + end,
      terminatorEnd: base16 + (text.charCodeAt(to) === SEMICOLON ? to + 1 : end),
      node,
      byteStart: baseByte + location + skipped,
    });
  }
}

/**
 * tokenRange narrows [from, to) to its first and last token. The parser's statement range already
 * starts at the first token but ends at the ';', so it carries trailing whitespace and comments; the
 * scanner is used only when a comment may be at either edge, which keeps the fast path fast.
 */
function tokenRange(text: string, from: number, to: number): [number, number] {
  let start = from;
  let end = to;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (!startsWithComment(text, start) && !mayEndWithComment(text, start, end)) return [start, end];
  const slice = text.slice(start, end);
  const raw = scanRaw(scannable(slice));
  if (!raw) return [start, end];
  const code = toTokens(slice, raw, start).filter((t) => !isComment(t));
  const first = code[0];
  const last = code[code.length - 1];
  return first && last ? [first.start, last.end] : [start, end];
}

function startsWithComment(text: string, i: number): boolean {
  return text.startsWith('--', i) || text.startsWith('/*', i);
}

/** mayEndWithComment: the range ends in '*' '/' or its last line holds '--' (bounded scan, no regex). */
function mayEndWithComment(text: string, start: number, end: number): boolean {
  if (end - start >= 2 && text.charCodeAt(end - 1) === 47 && text.charCodeAt(end - 2) === 42) return true;
  for (let i = end - 1; i > start; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return false;
    if (c === 45 && text.charCodeAt(i - 1) === 45) return true;
  }
  return false;
}

/** isSpace is PostgreSQL's whitespace: space, tab, newline, carriage return, form feed, vertical tab. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isComment(t: Tok): boolean {
  return t.type === 'SQL_COMMENT' || t.type === 'C_COMMENT';
}

/** The byte-offset fields of raw parse trees (A_Expr and A_ArrayExpr carry list bounds besides `location`). */
const LOCATION_KEYS = new Set(['location', 'list_start', 'list_end', 'rexpr_list_start', 'rexpr_list_end']);

/** shiftLocations adds `delta` to every known byte location (-1 means unknown); iterative, as trees can be deep. */
function shiftLocations(root: unknown, delta: number): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push(item);
    } else if (typeof value === 'object' && value !== null) {
      const obj = value as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        const v = obj[key];
        if (typeof v === 'number') {
          if (v >= 0 && LOCATION_KEYS.has(key)) obj[key] = v + delta;
        } else if (typeof v === 'object' && v !== null) stack.push(v);
      }
    }
  }
}

/** Utf16ToBytes gives the UTF-8 byte offset of increasing UTF-16 offsets without rescanning. */
class Utf16ToBytes {
  private index = 0;
  private bytes = 0;
  constructor(private readonly text: string) {}
  at(index: number): number {
    if (index < this.index) {
      this.index = 0;
      this.bytes = 0;
    }
    this.bytes += Buffer.byteLength(this.text.slice(this.index, index));
    this.index = index;
    return this.bytes;
  }
}

/** errorOffset is the UTF-16 offset in `text` of a parse error's cursor (a 0-based code-point index), or 0. */
function errorOffset(text: string, error: unknown): number {
  const cursor = (error as { sqlDetails?: { cursorPosition?: unknown } } | null)?.sqlDetails?.cursorPosition;
  if (typeof cursor !== 'number' || cursor <= 0) return 0;
  return Math.min(codePointToUtf16Offset(text, cursor), text.length);
}

function describe(error: unknown): string {
  if (error instanceof RangeError) return 'the statement is nested too deeply to parse';
  const details = (error as { sqlDetails?: { message?: unknown } } | null)?.sqlDetails;
  const message = typeof details?.message === 'string' ? details.message : error instanceof Error ? error.message : String(error);
  // "unterminated ... at or near" quotes everything up to the end of the text, which can be megabytes.
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE)}…${message.endsWith('"') ? '"' : ''}`;
}

const MAX_MESSAGE = 160;

// ---------------------------------------------------------------------------------------------------
// Scanner

/**
 * scannable replaces C0 control characters other than tab, LF and CR by spaces: the scanner's JSON
 * output does not escape them, so JSON.parse would fail. Offsets do not move; inside literals and
 * comments token boundaries do not change, and outside them such a character is junk either way.
 * Callers sanitize a text once and then scan slices of it.
 */
function scannable(text: string): string {
  let i = 0;
  while (i < text.length && !isControl(text.charCodeAt(i))) i++;
  if (i === text.length) return text;
  const units = new Uint16Array(text.length);
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    units[j] = isControl(c) ? 32 : c;
  }
  const parts: string[] = [];
  for (let k = 0; k < units.length; k += 8192) parts.push(String.fromCharCode(...units.subarray(k, k + 8192)));
  return parts.join('');
}

function isControl(c: number): boolean {
  return c < 32 && c !== 9 && c !== 10 && c !== 13;
}

/** scanRaw runs the scanner on text already made scannable, or returns null when it cannot read it all. */
function scanRaw(text: string): ScanToken[] | null {
  try {
    return scanSync(text).tokens ?? [];
  } catch {
    return null;
  }
}

function toTokens(chunk: string, raw: ScanToken[], base: number): Tok[] {
  const map = new ByteOffsetMap(chunk);
  return raw.map((t) => {
    const start = map.toUtf16(t.start);
    const end = map.toUtf16(t.end);
    const keyword = t.keywordKind > 0 ? chunk.slice(start, end).toLowerCase() : null;
    return { start: base + start, end: base + end, type: keyword === null ? t.tokenName : 'KEYWORD', keyword };
  });
}

/** Lexed is the tokens of a text; `stoppedAt` is where the scanner could read no further (null: it read everything). */
interface Lexed {
  tokens: Tok[];
  stoppedAt: number | null;
}

/** lex tokenizes a text already made scannable. */
function lex(text: string): Lexed {
  const raw = scanRaw(text);
  if (raw) return { tokens: toTokens(text, raw, 0), stoppedAt: null };
  return lexUntilError(text);
}

/**
 * lexKnowingGood lexes a text whose first `good` UTF-16 units a failed parse has already read: the
 * parser's error cursor sits on a token start, so that prefix scans cleanly and only the rest can
 * hold the scanner's own error (found without rescanning the prefix).
 */
function lexKnowingGood(text: string, good: number): Lexed {
  if (good > 0 && good < text.length) {
    const head = text.slice(0, good);
    const raw = scanRaw(head);
    if (raw) {
      const rest = lex(text.slice(good));
      const tokens = toTokens(head, raw, 0);
      for (const t of rest.tokens) tokens.push({ ...t, start: t.start + good, end: t.end + good });
      return { tokens, stoppedAt: rest.stoppedAt === null ? null : rest.stoppedAt + good };
    }
  }
  return lex(text);
}

const MIN_WINDOW = 32;
const MAX_WINDOW = 1 << 16;
/** A token longer than this next to unreadable text is left to the parser probe, which reads the real text. */
const MAX_TOKEN_WINDOW = 1 << 14;
/** Text that keeps the windows failing (garbage) ends lexing once this many times its length has been read. */
const READ_BUDGET = 8;

/**
 * lexUntilError tokenizes a text the scanner rejects as a whole (it reports no position). It reads
 * windows: a window that scans gives its settled tokens and the next window is larger; one that fails
 * holds a literal or comment cut by its end, or the error, and the next one is smaller. A token that
 * cannot be read even with the whole rest of the text behind it is where lexing stops; so is garbage
 * that keeps every window failing, once a multiple of the text's length has been read.
 */
function lexUntilError(text: string): Lexed {
  const tokens: Tok[] = [];
  const meter = { read: 0 };
  const budget = READ_BUDGET * text.length + MAX_WINDOW;
  let from = 0;
  let window = 4096;
  let stalled = false; // the last window scanned but settled nothing: shrinking again would loop
  while (from < text.length) {
    if (meter.read > budget) return { tokens, stoppedAt: from };
    const end = Math.min(text.length, from + window);
    const chunk = text.slice(from, end);
    const raw = scanRaw(chunk);
    meter.read += chunk.length;
    if (raw) {
      const got = toTokens(chunk, raw, from);
      if (end === text.length) return { tokens: tokens.concat(got), stoppedAt: null };
      const sure = settled(got, end);
      stalled = sure.length === 0;
      for (const t of sure) tokens.push(t);
      if (sure.length > 0) from = sure[sure.length - 1]!.end;
      if (!stalled || window < MAX_WINDOW) {
        window = Math.min(window * 2, MAX_WINDOW);
        continue;
      }
      // Even the largest window settles nothing (no whitespace, no ';'): read one token instead.
    } else if (window > MIN_WINDOW && !stalled) {
      window >>= 1;
      continue;
    }
    stalled = false;
    while (from < text.length && isSpace(text.charCodeAt(from))) from++;
    const next = firstToken(text, from, meter);
    if (next === 'none') break;
    if (next !== 'unreadable') {
      tokens.push(next);
      from = next.end;
      continue;
    }
    // The token may be fine but glued to what cannot be read (';' before an unterminated comment).
    // The parser says how far it read, as it stops at its first error, grammatical or lexical; it is
    // asked from the last ';' so that it starts at a statement's beginning, not in its middle, and it
    // reads the real text, so what it read is cut at a real token start.
    const boundary = lastSemicolonEnd(tokens);
    const rest = text.slice(boundary);
    meter.read += rest.length;
    const good = boundary + errorOffset(rest, probe(rest));
    const before = good > from ? scanRaw(text.slice(from, good)) : null;
    if (!before || before.length === 0) return { tokens, stoppedAt: from };
    for (const t of toTokens(text.slice(from, good), before, from)) tokens.push(t);
    from = good;
  }
  return { tokens, stoppedAt: null };
}

/**
 * settled keeps the tokens of a window that the text after the window cannot change. A token cut by
 * the window's end may scan as other tokens (the '$q' of a '$q$' dollar quote scans as '$' and 'q'),
 * but a construct that still scans when cut holds no whitespace and no ';' (never part of an operator),
 * except a line comment (then the last token) and a string constant whose continuation ('a' <newline>
 * 'b') may come after the window. So the tokens up to the last whitespace between tokens or the last
 * ';' are settled, less a trailing string constant.
 */
function settled(tokens: Tok[], end: number): Tok[] {
  const last = tokens[tokens.length - 1];
  if (!last) return [];
  let keep = -1;
  if (last.end < end) keep = tokens.length - 1;
  for (let i = tokens.length - 1; i > keep; i--) {
    if (tokens[i]!.type === 'ASCII_59' || (i < tokens.length - 1 && tokens[i]!.end < tokens[i + 1]!.start)) keep = i;
  }
  let code = keep;
  while (code >= 0 && isComment(tokens[code]!)) code--;
  if (code >= 0 && STRING_TOKENS.has(tokens[code]!.type)) keep = code - 1;
  return tokens.slice(0, keep + 1);
}

const STRING_TOKENS = new Set(['SCONST', 'USCONST', 'BCONST', 'XCONST']);

function lastSemicolonEnd(tokens: Tok[]): number {
  for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i]!.type === 'ASCII_59') return tokens[i]!.end;
  return 0;
}

/** probe parses a text only to learn where it fails; returns the error, or null. */
function probe(text: string): unknown {
  try {
    parseSync(text);
    return null;
  } catch (error) {
    return error;
  }
}

/**
 * firstToken reads the token at `from` with growing windows until it is settled or the text ends.
 * When a larger window fails, the window ending just past the next whitespace is tried too: a token
 * glued to what cannot be read ("NUL;" before an unterminated comment) settles only there.
 */
function firstToken(text: string, from: number, meter: { read: number }): Tok | 'none' | 'unreadable' {
  let tried = from;
  for (let size = 1; ; size *= 2) {
    const end = Math.min(text.length, from + size);
    meter.read += size;
    const found = settledFirst(text, from, end);
    if (found !== 'unreadable') return found;
    if (end === text.length || size >= MAX_TOKEN_WINDOW) return 'unreadable';
    if (end > tried) {
      let space = tried;
      while (space < end && !isSpace(text.charCodeAt(space))) space++;
      if (space < end) {
        meter.read += space + 1 - from;
        const near = settledFirst(text, from, space + 1);
        if (near !== 'unreadable' && near !== 'none') return near;
      }
    }
    tried = end;
  }
}

/** settledFirst scans text[from, end): its first settled token, 'none' when the text ends with no token, else 'unreadable'. */
function settledFirst(text: string, from: number, end: number): Tok | 'none' | 'unreadable' {
  const chunk = text.slice(from, end);
  const raw = scanRaw(chunk);
  if (!raw) return 'unreadable';
  const read = toTokens(chunk, raw, from);
  const first = end === text.length ? read[0] : settled(read, end)[0];
  if (first) return first;
  return end === text.length ? 'none' : 'unreadable';
}

/** Piece is the source range of one statement found by the scanner. */
interface Piece {
  start: number;
  end: number;
  terminatorEnd: number;
}

/**
 * splitTokens cuts at top-level ';' like psql does: inside the body of CREATE [OR REPLACE]
 * FUNCTION/PROCEDURE ... BEGIN ATOMIC ... END (tracked by counting BEGIN/CASE/END outside parentheses)
 * a ';' does not end the statement. psql also ignores ';' inside parentheses; that is only legal SQL in
 * CREATE RULE ... DO (a; b), so only there, so that one unclosed '(' does not swallow the rest of a file
 * that is being recovered from an error. Text the scanner could not read joins the statement it is in.
 */
function splitTokens(body: string, tokens: Tok[], stoppedAt: number | null): Piece[] {
  const pieces: Piece[] = [];
  let first = -1;
  let last = -1;
  let words: string[] = [];
  let parens = 0;
  let begins = 0;
  let metaEnd = -1;
  for (const t of tokens) {
    if (isComment(t) || t.start < metaEnd) continue;
    if (t.end - t.start === 1 && body.charCodeAt(t.start) === BACKSLASH) {
      // A psql meta-command (\set, \i, \connect ...) runs to the end of its line and ends the statement before it.
      if (first >= 0) pieces.push({ start: first, end: last, terminatorEnd: last });
      metaEnd = lineEnd(body, t.start);
      pieces.push({ start: t.start, end: metaEnd, terminatorEnd: metaEnd });
      first = -1;
      words = [];
      parens = 0;
      begins = 0;
      continue;
    }
    if (t.type === 'ASCII_59' && begins === 0 && (parens === 0 || !isCreate(words, 'rule'))) {
      if (first >= 0) pieces.push({ start: first, end: last, terminatorEnd: t.end });
      first = -1;
      words = [];
      parens = 0;
      continue;
    }
    if (first < 0) first = t.start;
    last = t.end;
    if (t.type === 'ASCII_40') parens++;
    else if (t.type === 'ASCII_41') parens = Math.max(0, parens - 1);
    else if (t.keyword !== null || t.type === 'IDENT') {
      if (words.length < 4) words.push(t.keyword ?? '');
      if (parens === 0 && (isCreate(words, 'function') || isCreate(words, 'procedure'))) {
        if (t.keyword === 'begin') begins++;
        else if (t.keyword === 'case' && begins > 0) begins++; // CASE also ends with END
        else if (t.keyword === 'end' && begins > 0) begins--;
      }
    }
  }
  if (stoppedAt !== null) {
    let end = body.length;
    while (end > stoppedAt && isSpace(body.charCodeAt(end - 1))) end--;
    const start = first >= 0 ? first : Math.max(stoppedAt, metaEnd);
    if (start < end) pieces.push({ start, end, terminatorEnd: end });
  } else if (first >= 0) {
    pieces.push({ start: first, end: last, terminatorEnd: last });
  }
  return pieces;
}

/** lineEnd is the offset of the line break after `from` (or of the text's end), before trailing whitespace. */
function lineEnd(body: string, from: number): number {
  let end = from;
  while (end < body.length && body.charCodeAt(end) !== 10 && body.charCodeAt(end) !== 13) end++;
  while (end > from && isSpace(body.charCodeAt(end - 1))) end--;
  return end;
}

/** isCreate: the statement's first words are CREATE [OR REPLACE] <what>. */
function isCreate(words: string[], what: string): boolean {
  if (words[0] !== 'create') return false;
  return words[1] === what || (words[1] === 'or' && words[2] === 'replace' && words[3] === what);
}
