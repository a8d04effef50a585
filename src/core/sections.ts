import { lineColumnAt, stripBom, hasCarriageReturn } from './text';
import type { Section } from './types';

/** SectionsOk is a file split into its UP and DOWN sections, with what its header says. */
export interface SectionsOk {
  ok: true;
  up: Section;
  /** down is null when there is no DOWN marker, or when the DOWN section holds no SQL (see splitSections). */
  down: Section | null;
  /** downMarkerLine is the DOWN marker's line, even when `down` is null because the section is empty. */
  downMarkerLine: number | null;
  /** noTransaction is set by `strata:no-transaction` (marker line or header) or `transaction:false` on a marker. */
  noTransaction: boolean;
  /** description is the header's `-- Migration:` or `-- Description:` text. */
  description: string | null;
  /** created is the header's `-- Created:` text, as written. */
  created: string | null;
}

/** SectionsError is a file whose markers cannot be read unambiguously. */
export interface SectionsError {
  ok: false;
  message: string;
  /** line (1-based) of the marker or text the message is about. */
  line: number;
}

/** SectionsResult is the outcome of splitSections; errors are returned, never thrown. */
export type SectionsResult = SectionsOk | SectionsError;

/** MarkerKind is which section a marker line opens. */
export type MarkerKind = 'up' | 'down';

// A marker is a line comment whose first word is UP or DOWN (optionally with dbmate's `migrate:`
// prefix) followed by end of line, whitespace or ':'. So `-- UP`, `-- Up Migration`, `-- UP: Apply`,
// `-- migrate:down transaction:false` are markers; `-- update users`, `-- upgrade`, `-- download` are not.
const MARKER = /^\s*--\s*(?:migrate:)?(up|down)(?=$|[\s:])/i;
const NO_TRANSACTION = /\bstrata:no-transaction\b/i;
const DBMATE_NO_TRANSACTION = /\btransaction:false\b/i;
// The value is trimmed in code: `(.*?)\s*$` backtracks quadratically over a long run of whitespace.
const HEADER_FIELD = /^\s*--\s*(migration|description|created)\s*:([^]*)/i;

// Past the header only markers matter, and they start with u (up), d (down) or m (migrate:): other
// comments are skipped without a regular expression, which matters for folders of thousands of files.
const MARKER_INITIALS = new Set([...'udm'].map((c) => c.charCodeAt(0)));

/** markerKind tells whether one line (without its line break) is an UP or DOWN marker. */
export function markerKind(line: string): MarkerKind | null {
  const match = MARKER.exec(line);
  if (!match) return null;
  return match[1]!.toLowerCase() === 'up' ? 'up' : 'down';
}

/** Line is one line of the file: [start, end) is its text, next is where the following line starts. */
interface Line {
  number: number;
  start: number;
  end: number;
  next: number;
}

/** Scan is what one pass over the lines finds. */
interface Scan {
  up: Line | null;
  down: Line | null;
  /** firstCode and lastCode are the starts of the first and last lines that are not blank or `--` comments. */
  firstCode: number;
  lastCode: number;
  description: string | null;
  created: string | null;
  headerNoTransaction: boolean;
}

/** lineAt measures the line starting at start; line breaks are LF, CRLF and lone CR, as in lineColumnAt. */
function lineAt(text: string, start: number, number: number, hasCr: boolean): Line {
  if (!hasCr) {
    const lf = text.indexOf('\n', start);
    const end = lf < 0 ? text.length : lf;
    return { number, start, end, next: end + 1 };
  }
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  const crlf = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10;
  return { number, start, end, next: end + (crlf ? 2 : 1) };
}

/**
 * lineKind classifies a line by its first non-blank characters. For a comment it returns the offset
 * just after `--` and any blanks, so callers can skip regular expressions for ordinary comments.
 */
function lineKind(text: string, line: Line): 'blank' | 'code' | number {
  let i = line.start;
  while (i < line.end && isBlankChar(text.charCodeAt(i))) i++;
  if (i === line.end) return 'blank';
  if (i + 1 >= line.end || text.charCodeAt(i) !== 45 || text.charCodeAt(i + 1) !== 45) return 'code';
  i += 2;
  while (i < line.end && isBlankChar(text.charCodeAt(i))) i++;
  return i;
}

/** isBlankChar is true for space, tab, vertical tab and form feed. */
function isBlankChar(code: number): boolean {
  return code === 32 || code === 9 || code === 11 || code === 12;
}

/** scanLines makes one pass over the file: markers, header fields, and where SQL lines are. */
function scanLines(text: string): Scan | SectionsError {
  const scan: Scan = { up: null, down: null, firstCode: -1, lastCode: -1, description: null, created: null, headerNoTransaction: false };
  const hasCr = hasCarriageReturn(text);
  for (let start = 0, number = 1; start <= text.length; number++) {
    const line = lineAt(text, start, number, hasCr);
    start = line.next;
    const kind = lineKind(text, line);
    if (kind === 'code') {
      if (scan.firstCode < 0) scan.firstCode = line.start;
      scan.lastCode = line.start;
    }
    if (typeof kind !== 'number') continue;
    const inHeader = scan.firstCode < 0;
    if (!inHeader && !MARKER_INITIALS.has(text.charCodeAt(kind) | 0x20)) continue;
    const content = text.slice(line.start, line.end);
    if (inHeader) readHeaderLine(content, scan);
    const marker = markerKind(content);
    if (!marker) continue;
    const previous = scan[marker];
    if (previous) {
      return { ok: false, line: number, message: `two ${marker.toUpperCase()} markers, at lines ${previous.number} and ${number}; a file has at most one` };
    }
    scan[marker] = line;
  }
  return scan;
}

/** readHeaderLine records description, created and the directive from one header comment line. */
function readHeaderLine(content: string, scan: Scan): void {
  if (NO_TRANSACTION.test(content)) scan.headerNoTransaction = true;
  const field = HEADER_FIELD.exec(content);
  const value = field?.[2]?.trim() ?? '';
  if (!field || value === '') return;
  if (field[1]!.toLowerCase() === 'created') scan.created ??= value;
  else scan.description ??= value;
}

/** checkOrder rejects DOWN before UP, and SQL before the UP marker (it would belong to no section). */
function checkOrder(text: string, scan: Scan): SectionsError | null {
  const { up, down } = scan;
  if (!up) return null;
  if (down && down.number < up.number) {
    return { ok: false, line: up.number, message: `the DOWN marker (line ${down.number}) comes before the UP marker (line ${up.number}); UP must come first` };
  }
  if (scan.firstCode < 0 || scan.firstCode > up.start) return null;
  const code = firstCode(text, 0, up.start);
  if (code < 0) return null; // only block comments before the marker
  const line = lineColumnAt(text, code).line;
  return { ok: false, line, message: `line ${line} is before the UP marker (line ${up.number}), so it belongs to no section and would never run` };
}

/** firstCode is the offset of the first character in text[start, end) outside whitespace and comments, or -1. */
function firstCode(text: string, start: number, end: number): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    if (text.startsWith('/*', i)) { depth++; i++; continue; }
    if (depth > 0) {
      if (text.startsWith('*/', i)) { depth--; i++; }
      continue;
    }
    if (text.startsWith('--', i)) {
      while (i < end && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (text[i]!.trim() !== '') return i;
  }
  return -1;
}

/**
 * makeSection builds a Section for text[start, end). `after` is the marker the section follows: the
 * section then starts at column 1 of the next line, which saves rescanning the file with lineColumnAt.
 */
function makeSection(text: string, file: string, after: Line | null, end: number): Section {
  const start = after ? Math.min(after.next, text.length) : 0;
  const startsNextLine = after !== null && after.next <= text.length;
  const { line, column } = startsNextLine ? { line: after.number + 1, column: 1 } : lineColumnAt(text, start);
  return { file, text: text.slice(start, end), offset: start, line, column, markerLine: after?.number ?? null };
}

/** markerDirective is true when a marker line asks to run outside a transaction. */
function markerDirective(text: string, marker: Line | null): boolean {
  if (!marker) return false;
  const content = text.slice(marker.start, marker.end);
  return NO_TRANSACTION.test(content) || DBMATE_NO_TRANSACTION.test(content);
}

/** hasSql is false for text that is empty or holds only blank lines and `--` comment lines. */
export function hasSql(text: string): boolean {
  const hasCr = hasCarriageReturn(text);
  for (let start = 0; start <= text.length; ) {
    const line = lineAt(text, start, 0, hasCr);
    if (lineKind(text, line) === 'code') return true;
    start = line.next;
  }
  return false;
}

/**
 * splitSections splits one file's text into UP and DOWN. A leading BOM is removed first, so every
 * offset, line and column is relative to the BOM-stripped text; line endings are left as they are.
 */
export function splitSections(input: string, file: string): SectionsResult {
  const text = stripBom(input);
  const scan = scanLines(text);
  if ('ok' in scan) return scan;
  const error = checkOrder(text, scan);
  if (error) return error;
  const { up: upMarker, down: downMarker } = scan;
  const up = makeSection(text, file, upMarker, downMarker ? downMarker.start : text.length);
  // A DOWN marker followed only by blank lines and `--` comments means forward-only: running an empty
  // DOWN would record a rollback that undid nothing, so it is reported as no DOWN (down === null).
  const downHasSql = downMarker !== null && scan.lastCode > downMarker.start;
  const down = downHasSql ? makeSection(text, file, downMarker, text.length) : null;
  return {
    ok: true,
    up,
    down,
    downMarkerLine: downMarker?.number ?? null,
    noTransaction: scan.headerNoTransaction || markerDirective(text, upMarker) || markerDirective(text, downMarker),
    description: scan.description,
    created: scan.created,
  };
}
