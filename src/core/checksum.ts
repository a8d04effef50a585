import { hash } from 'node:crypto';
import { normalizeLineEndings, stripBom } from './text';

/** checksumOf is the SHA-256 (hex) of an UP section with its BOM removed and CRLF/CR turned into LF. */
export function checksumOf(upText: string): string {
  return hash('sha256', normalizeLineEndings(stripBom(upText)), 'hex');
}

/**
 * isCosmeticChange is true when two scripts differ only in whitespace and comments, so drift can be
 * shown as harmless. It is a heuristic over characters, not SQL: it knows '...' and "..." quotes but
 * not dollar quotes. A later issue moves it onto the SQL tokenizer.
 */
export function isCosmeticChange(appliedScript: string, currentUp: string): boolean {
  return essence(appliedScript) === essence(currentUp);
}

const WORD = /[\p{L}\p{N}_$]/u;

/**
 * essence drops comments outside quotes and reduces whitespace to a single space, kept only between
 * two word characters (`a b` differs from `ab`, but `x (a)` equals `x(a)`). Quoted text is kept verbatim.
 */
function essence(script: string): string {
  const text = normalizeLineEndings(stripBom(script));
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < text.length; ) {
    const skipped = skipCommentOrSpace(text, i);
    if (skipped > i) {
      pendingSpace = true;
      i = skipped;
      continue;
    }
    const end = tokenEnd(text, i);
    const token = text.slice(i, end);
    if (pendingSpace && out !== '' && WORD.test(out[out.length - 1]!) && WORD.test(token[0]!)) out += ' ';
    out += token;
    pendingSpace = false;
    i = end;
  }
  return out;
}

/** skipCommentOrSpace returns where whitespace or a comment starting at i ends (i when there is none). */
function skipCommentOrSpace(text: string, i: number): number {
  if (/\s/.test(text[i]!)) return i + 1;
  if (text.startsWith('--', i)) {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (!text.startsWith('/*', i)) return i;
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text.startsWith('/*', j)) { depth++; j++; } else if (text.startsWith('*/', j)) { depth--; j++; }
    if (depth === 0) return j + 1;
  }
  return text.length;
}

/** tokenEnd returns the end of a quoted string starting at i, or i + 1 for any other character. */
function tokenEnd(text: string, i: number): number {
  const quote = text[i];
  if (quote !== "'" && quote !== '"') return i + 1;
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] !== quote) continue;
    if (text[j + 1] === quote) { j++; continue; } // doubled quote is an escaped quote
    return j + 1;
  }
  return text.length;
}
