/**
 * Line and column of many offsets in one pass over the text: lineColumnAt rescans from the start for
 * every offset, which is quadratic for a large file with many findings.
 */

/** LineColumn is a 1-based line and a 1-based column counted in characters (code points). */
export interface LineColumn {
  line: number;
  column: number;
}

/**
 * positionsOf maps each offset to its line and column, counting line breaks (LF, CRLF, lone CR) and
 * characters exactly as lineColumnAt does.
 */
export function positionsOf(text: string, offsets: readonly number[]): Map<number, LineColumn> {
  const targets = Float64Array.from(offsets).sort(); // typed arrays sort numerically, and fast
  const positions = new Map<number, LineColumn>();
  let line = 1;
  let column = 1;
  let t = 0;
  for (let i = 0; t < targets.length; i++) {
    if (targets[t]! <= i) {
      const here = { line, column };
      while (t < targets.length && targets[t]! <= i) positions.set(targets[t++]!, here);
    }
    if (i >= text.length) {
      const here = { line, column };
      while (t < targets.length) positions.set(targets[t++]!, here);
      break;
    }
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      column = 1;
    } else if (!(c >= 0xdc00 && c <= 0xdfff && isHighSurrogate(text.charCodeAt(i - 1)))) {
      column++; // the second half of a surrogate pair is the same character
    }
  }
  return positions;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
