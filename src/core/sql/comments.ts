/**
 * A linear guard against one input that PostgreSQL's own scanner reads in quadratic time: a block
 * comment that never closes, made of many nested '/*'. The scanner's comment-start rule matches the
 * whole run of operator characters after '/*' and then gives back all but two of them, once per
 * nesting level, so 32,000 nested '/*' take seconds and a megabyte takes hours.
 *
 * unclosedCommentStart finds such a comment with one pass over the text; parser.ts confirms the
 * finding with the real scanner (the text before the comment must scan cleanly) before it acts on it,
 * so this pass only has to be right about where comments, quotes and dollar quotes begin and end, and
 * an input it reads differently from PostgreSQL only loses the shortcut, never changes a result.
 */

const SLASH = 47;
const STAR = 42;
const DASH = 45;
const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const DOLLAR = 36;
const BACKSLASH = 92;
const LF = 10;
const CR = 13;
const SEMICOLON = 59;

/**
 * unclosedCommentStart is the UTF-16 offset of the '/*' that opens a block comment running to the end
 * of the text without closing, as PostgreSQL's scanner nests them; null when there is none, or when a
 * quoted string, quoted identifier or dollar quote runs to the end first (that is the error then).
 */
export function unclosedCommentStart(text: string): number | null {
  return outline(text, Infinity).unclosedComment;
}

/** Outline is what one pass over a text finds: see outline. */
export interface Outline {
  /** unclosedComment: as unclosedCommentStart returns. */
  unclosedComment: number | null;
  /**
   * cut: the offset just past the first ';' at or after `cutFrom` that is outside comments, quotes
   * and dollar quotes; -1 when there is none (or a quote runs to the end). Only the parser can tell
   * whether such a ';' ends a statement (it may sit in a BEGIN ATOMIC body or a CREATE RULE).
   */
  cut: number;
}

/** outline reads the text once, in linear time, for unclosedCommentStart and for a ';' where the text may be cut in two. */
export function outline(text: string, cutFrom: number): Outline {
  let cut = -1;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    // Most characters are letters, digits, blanks and punctuation that start nothing here.
    if (c > SEMICOLON || c < DOUBLE_QUOTE) {
      i++;
      continue;
    }
    if (c === DASH && text.charCodeAt(i + 1) === DASH) {
      i = lineCommentEnd(text, i);
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = blockCommentEnd(text, i);
      if (end === null) return { unclosedComment: i, cut };
      i = end;
    } else if (c === QUOTE) {
      const end = quotedEnd(text, i, QUOTE, isEscapeStringStart(text, i));
      if (end === null) return { unclosedComment: null, cut: -1 };
      i = end;
    } else if (c === DOUBLE_QUOTE) {
      const end = quotedEnd(text, i, DOUBLE_QUOTE, false);
      if (end === null) return { unclosedComment: null, cut: -1 };
      i = end;
    } else if (c === DOLLAR && !isIdentifierPart(text.charCodeAt(i - 1))) {
      const end = dollarQuotedEnd(text, i);
      if (end === null) return { unclosedComment: null, cut: -1 };
      i = end;
    } else {
      if (c === SEMICOLON && cut < 0 && i >= cutFrom) cut = i + 1;
      i++;
    }
  }
  return { unclosedComment: null, cut };
}

/**
 * blockCommentEnd is the offset just past the '*' '/' that closes the comment opened at `start`, or
 * null when it never closes. It reads as the scanner's comment state does: a '/' followed by '*' opens
 * a nested level, other runs of '/' are text, and a run of '*' followed by '/' closes one level.
 */
export function blockCommentEnd(text: string, start: number): number | null {
  let depth = 0;
  let i = start + 2;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === SLASH) {
      if (text.charCodeAt(i + 1) === STAR) {
        depth++;
        i += 2;
      } else {
        while (text.charCodeAt(i) === SLASH) i++;
      }
    } else if (c === STAR) {
      while (text.charCodeAt(i) === STAR) i++;
      if (text.charCodeAt(i) === SLASH) {
        i++;
        if (depth === 0) return i;
        depth--;
      }
    } else {
      i++;
    }
  }
  return null;
}

function lineCommentEnd(text: string, start: number): number {
  let i = start + 2;
  while (i < text.length && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
  return i;
}

/** quotedEnd is the offset past the closing quote (a doubled quote is part of the text), or null. */
function quotedEnd(text: string, start: number, quote: number, backslashEscapes: boolean): number | null {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (backslashEscapes && c === BACKSLASH) {
      i += 2;
    } else if (c === quote) {
      if (text.charCodeAt(i + 1) !== quote) return i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  return null;
}

/** isEscapeStringStart: the quote at `quote` opens an E'...' string (E starting a token), where backslash escapes. */
function isEscapeStringStart(text: string, quote: number): boolean {
  const e = text.charCodeAt(quote - 1);
  return (e === 69 || e === 101) && !isIdentifierPart(text.charCodeAt(quote - 2));
}

/** dollarQuotedEnd is the offset past the closing tag of a $tag$ ... $tag$ literal at `start`; `start` itself when it is no dollar quote; null when unterminated. */
function dollarQuotedEnd(text: string, start: number): number | null {
  let i = start + 1;
  if (text.charCodeAt(i) !== DOLLAR) {
    if (!isIdentifierStart(text.charCodeAt(i))) return start + 1;
    while (isIdentifierPart(text.charCodeAt(i)) && text.charCodeAt(i) !== DOLLAR) i++;
    if (text.charCodeAt(i) !== DOLLAR) return start + 1;
  }
  const tag = text.slice(start, i + 1);
  const close = text.indexOf(tag, i + 1);
  return close < 0 ? null : close + tag.length;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= 48 && c <= 57) || c === DOLLAR;
}
