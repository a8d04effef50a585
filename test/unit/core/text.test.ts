import assert from 'node:assert/strict';
import {
  ByteOffsetMap,
  byteToUtf16Offset,
  codePointToUtf16Offset,
  isAscii,
  lineColumnAt,
  normalizeLineEndings,
  stripBom,
} from '../../../src/core/text';

// 'a' is 1 UTF-8 byte, 'é' 2, '€' 3 and '😀' 4 (a surrogate pair: 2 UTF-16 units), then 'b'.
const MIXED = 'aé€😀b';
/** Each character's start as [UTF-8 byte offset, UTF-16 index], plus the end of the text. */
const BOUNDARIES: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 1],
  [3, 2],
  [6, 3],
  [10, 5],
  [11, 6],
];

describe('isAscii', () => {
  it('is true only when every unit is below 0x80', () => {
    assert.equal(isAscii(''), true);
    assert.equal(isAscii('SELECT 1;\n\t\x7f'), true);
    assert.equal(isAscii('SELECT \u0080'), false);
    assert.equal(isAscii('SELECT 😀'), false);
  });
});

describe('byteToUtf16Offset', () => {
  it('maps the start of 1-, 2-, 3- and 4-byte characters to their UTF-16 index', () => {
    for (const [bytes, index] of BOUNDARIES) assert.equal(byteToUtf16Offset(MIXED, bytes), index, `byte ${bytes}`);
  });

  it('counts a 4-byte character as two UTF-16 units (a surrogate pair)', () => {
    assert.equal(byteToUtf16Offset('😀😀x', 8), 4);
    assert.equal('😀😀x'.slice(byteToUtf16Offset('😀😀x', 4)), '😀x');
  });

  it('clamps offsets past the end to the text length', () => {
    assert.equal(byteToUtf16Offset(MIXED, 1000), MIXED.length);
    assert.equal(byteToUtf16Offset('', 3), 0);
  });
});

describe('ByteOffsetMap', () => {
  it('converts increasing offsets through multi-byte characters', () => {
    const map = new ByteOffsetMap(MIXED);
    for (const [bytes, index] of BOUNDARIES) assert.equal(map.toUtf16(bytes), index, `byte ${bytes}`);
  });

  it('converts decreasing offsets (it restarts instead of going wrong)', () => {
    const map = new ByteOffsetMap(MIXED);
    for (const [bytes, index] of [...BOUNDARIES].reverse()) assert.equal(map.toUtf16(bytes), index, `byte ${bytes}`);
  });

  it('gives the same answers as byteToUtf16Offset in any order, repeats included', () => {
    const text = 'x😀é\n€€ 😀😀 end';
    const total = Buffer.byteLength(text);
    const starts: number[] = [];
    for (let i = 0, bytes = 0; i < text.length; ) {
      starts.push(bytes);
      const code = text.codePointAt(i)!;
      bytes += Buffer.byteLength(String.fromCodePoint(code));
      i += code >= 0x10000 ? 2 : 1;
    }
    starts.push(total);
    const order = [...starts, ...[...starts].reverse(), 6, 6, 1, 20, 3, total, 0];
    const map = new ByteOffsetMap(text);
    for (const bytes of order) assert.equal(map.toUtf16(bytes), byteToUtf16Offset(text, bytes), `byte ${bytes}`);
  });

  it('clamps offsets past the end, for ASCII and non-ASCII text', () => {
    assert.equal(new ByteOffsetMap('abc').toUtf16(10), 3);
    assert.equal(new ByteOffsetMap('aé').toUtf16(10), 2);
  });
});

describe('codePointToUtf16Offset', () => {
  it('steps over surrogate pairs as one code point', () => {
    const text = 'a😀b😀';
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((n) => codePointToUtf16Offset(text, n)),
      [0, 1, 3, 4, 6],
    );
  });

  it('treats BMP characters, multi-byte or not, as one unit', () => {
    assert.equal(codePointToUtf16Offset('é€x', 2), 2);
  });

  it('clamps past the end', () => {
    assert.equal(codePointToUtf16Offset('a😀', 10), 3);
  });
});

describe('lineColumnAt', () => {
  it('gives 1-based line and column with LF line breaks', () => {
    const text = 'ab\ncd\n\nef';
    assert.deepEqual(lineColumnAt(text, 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumnAt(text, 2), { line: 1, column: 3 });
    assert.deepEqual(lineColumnAt(text, 4), { line: 2, column: 2 });
    assert.deepEqual(lineColumnAt(text, 7), { line: 4, column: 1 });
  });

  it('counts CRLF as one line break', () => {
    const text = 'ab\r\ncd\r\nef';
    assert.deepEqual(lineColumnAt(text, 4), { line: 2, column: 1 });
    assert.deepEqual(lineColumnAt(text, 9), { line: 3, column: 2 });
  });

  it('counts a lone CR as a line break, also at the end of the text', () => {
    assert.deepEqual(lineColumnAt('ab\rcd', 4), { line: 2, column: 2 });
    assert.deepEqual(lineColumnAt('ab\r', 3), { line: 2, column: 1 });
  });

  it('counts mixed LF, CRLF and CR as editors do', () => {
    const text = 'a\nb\r\nc\rd';
    assert.deepEqual(lineColumnAt(text, text.indexOf('d')), { line: 4, column: 1 });
  });

  it('counts columns in characters: an emoji is one column, not two', () => {
    const text = 'x\n😀é😀z';
    assert.deepEqual(lineColumnAt(text, text.indexOf('z')), { line: 2, column: 4 });
    assert.deepEqual(lineColumnAt(text, text.indexOf('é')), { line: 2, column: 2 });
  });

  it('clamps offsets past the end to the end of the text', () => {
    assert.deepEqual(lineColumnAt('ab\nc', 100), { line: 2, column: 2 });
  });
});

describe('stripBom', () => {
  it('removes one leading byte order mark and nothing else', () => {
    assert.equal(stripBom('\uFEFFSELECT 1;'), 'SELECT 1;');
    assert.equal(stripBom('\uFEFF\uFEFFx'), '\uFEFFx');
    assert.equal(stripBom('SELECT \uFEFF1;'), 'SELECT \uFEFF1;');
    assert.equal(stripBom(''), '');
  });
});

describe('normalizeLineEndings', () => {
  it('turns CRLF and lone CR into LF, keeping the number of lines', () => {
    assert.equal(normalizeLineEndings('a\r\nb\rc\nd\r'), 'a\nb\nc\nd\n');
    assert.equal(normalizeLineEndings('\r\r\n\n'), '\n\n\n');
  });

  it('leaves LF-only text unchanged', () => {
    assert.equal(normalizeLineEndings('a\nb\n'), 'a\nb\n');
  });
});
