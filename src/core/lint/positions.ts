/**
 * Line and column of many offsets with one pass over the text: lineColumnAt rescans from the start for
 * every offset, which is quadratic for a large file with many findings.
 */

/**
 * Positions gives the 1-based line and 1-based column (in characters: code points) of offsets into a text, counting line breaks (LF, CRLF, lone CR)
 * and characters exactly as lineColumnAt does. It finds where the lines start once; then each offset
 * costs a lookup, which is constant time for offsets on or next to the line of the previous one.
 */
export class Positions {
  /** starts[k] is the offset where line k + 1 starts. */
  private readonly starts: number[] = [0];
  /** pairs: the text has surrogate pairs, so columns cannot simply count UTF-16 units. */
  private readonly pairs: boolean = false;
  private current = 0;
  /** line and column of the offset given to the last `at` call. */
  line = 1;
  column = 1;

  constructor(private readonly text: string) {
    const starts = this.starts;
    let surrogates = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 13) {
        if (c >= 0xd800 && c <= 0xdfff) surrogates = true;
      } else if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        starts.push(i + 1);
      }
    }
    this.pairs = surrogates;
  }

  /** at sets `line` and `column` to the position of `offset` (clamped to the text). */
  at(offset: number): void {
    const target = offset < 0 ? 0 : offset > this.text.length ? this.text.length : offset;
    const starts = this.starts;
    let k = this.current;
    if (!(starts[k]! <= target && (k + 1 === starts.length || target < starts[k + 1]!))) {
      if (k + 2 < starts.length && starts[k + 1]! <= target && target < starts[k + 2]!) k++;
      else k = lastAtOrBefore(starts, target);
      this.current = k;
    }
    const start = starts[k]!;
    this.line = k + 1;
    this.column = 1 + target - start - (this.pairs ? pairsBetween(this.text, start, target) : 0);
  }
}

/** lastAtOrBefore is the index of the last element <= value in an increasing array that starts with 0. */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** pairsBetween counts the low surrogates in [from, to) that follow a high one: each pair is one character. */
function pairsBetween(text: string, from: number, to: number): number {
  let pairs = 0;
  for (let i = from + 1; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && isHighSurrogate(text.charCodeAt(i - 1))) pairs++;
  }
  return pairs;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
