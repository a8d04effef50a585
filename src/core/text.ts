/**
 * Text positions. The parser reports UTF-8 byte offsets and PostgreSQL reports character
 * (code point) positions; files are JavaScript strings (UTF-16). These helpers convert between
 * them, with a fast path for ASCII text.
 */

/** isAscii is true when every UTF-16 unit of text is below 0x80, so bytes, code points and units coincide. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** byteToUtf16Offset converts a UTF-8 byte offset into text to a UTF-16 index. */
export function byteToUtf16Offset(text: string, byteOffset: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    if (bytes >= byteOffset) return i;
    const code = text.codePointAt(i)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (code >= 0x10000) i++;
  }
  return text.length;
}

/** ByteOffsetMap converts many byte offsets into one text without rescanning from the start each time. */
export class ByteOffsetMap {
  private readonly ascii: boolean;
  private lastByte = 0;
  private lastIndex = 0;
  /** ascii may be given when known (the text is ASCII), which saves a pass over it. */
  constructor(
    private readonly text: string,
    ascii?: boolean,
  ) {
    this.ascii = ascii ?? isAscii(text);
  }
  /** toUtf16 converts a UTF-8 byte offset; cheapest when called with non-decreasing offsets. */
  toUtf16(byteOffset: number): number {
    if (this.ascii) return Math.min(byteOffset, this.text.length);
    if (byteOffset < this.lastByte) {
      this.lastByte = 0;
      this.lastIndex = 0;
    }
    let bytes = this.lastByte;
    let i = this.lastIndex;
    while (i < this.text.length && bytes < byteOffset) {
      const code = this.text.codePointAt(i)!;
      bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      i += code >= 0x10000 ? 2 : 1;
    }
    this.lastByte = bytes;
    this.lastIndex = i;
    return i;
  }
}

/** codePointToUtf16Offset converts a 0-based code point index into text to a UTF-16 index. */
export function codePointToUtf16Offset(text: string, codePoints: number): number {
  let i = 0;
  for (let n = 0; n < codePoints && i < text.length; n++) {
    i += text.codePointAt(i)! >= 0x10000 ? 2 : 1;
  }
  return i;
}

/** codePointLength counts the code points of a text (a surrogate pair is one). */
export function codePointLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/**
 * lineColumnAt gives the 1-based line and 1-based column (counted in characters, i.e. code points)
 * of a UTF-16 offset. Line breaks are LF, CRLF and lone CR, as editors count them.
 */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) continue; // the LF that follows ends the line
      line++;
      lineStart = i + 1;
    }
  }
  let column = 1;
  for (let i = lineStart; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
    column++;
  }
  return { line, column };
}

/** stripBom removes a leading UTF-8 byte order mark, which editors do not show and checksums ignore. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** normalizeLineEndings turns CRLF and lone CR into LF. */
export function normalizeLineEndings(text: string): string {
  return hasCarriageReturn(text) ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * hasCarriageReturn tells whether text contains a CR. A plain loop on purpose: on large strings V8
 * sometimes re-optimizes String#includes('\r') into a path hundreds of times slower (seen with
 * --trace-opt on 1 MB migrations linted repeatedly).
 */
export function hasCarriageReturn(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 13) return true;
  return false;
}
