import assert from 'node:assert/strict';
import { hasSql, markerKind, splitSections, type SectionsOk } from '../../../src/core/sections';

const FILE = '/m/001_x.sql';

/** ok splits text and fails the test when it is an error. */
function ok(text: string): SectionsOk {
  const result = splitSections(text, FILE);
  if (!result.ok) assert.fail(`unexpected error: ${result.message}`);
  return result;
}

/** failure splits text and returns the error. */
function failure(text: string): { message: string; line: number } {
  const result = splitSections(text, FILE);
  if (result.ok) assert.fail('expected an error');
  return result;
}

describe('markerKind', () => {
  it('recognises every accepted spelling', () => {
    const ups = ['-- UP', '-- up', '--UP', '   -- UP', '\t--  Up', '-- UP: Apply this migration', '-- migrate:up',
      '-- migrate:up transaction:false', '-- Up Migration', '-- UP strata:no-transaction', '-- UP   '];
    for (const line of ups) assert.equal(markerKind(line), 'up', line);
    const downs = ['-- DOWN', '-- down', '-- DOWN: Revert', '-- migrate:down', '-- Down Migration', '  --DOWN'];
    for (const line of downs) assert.equal(markerKind(line), 'down', line);
  });

  it('does not take words that merely start with up or down for markers', () => {
    const others = ['-- update users', '-- upgrade', '-- UPDATE', '-- up-to-date', '-- download', '-- downgrade',
      '-- DOWNTIME', '-- migrate:upgrade', '-- migrate: up', 'SELECT 1; -- UP', '- UP', '-- the UP part', '/* UP */'];
    for (const line of others) assert.equal(markerKind(line), null, line);
  });
});

describe('splitSections', () => {
  it('treats a file without markers as all UP and forward-only', () => {
    const text = 'CREATE TABLE a (id int);\n-- update users later\n';
    const result = ok(text);
    assert.deepEqual(result.up, { file: FILE, text, offset: 0, line: 1, column: 1, markerLine: null });
    assert.equal(result.down, null);
    assert.equal(result.downMarkerLine, null);
  });

  it('starts UP after the marker line break and ends it before the DOWN marker line', () => {
    const text = '-- Migration: Add a\n-- UP\nCREATE TABLE a (id int);\n\n-- DOWN\nDROP TABLE a;\n';
    const { up, down } = ok(text);
    assert.deepEqual(up, { file: FILE, text: 'CREATE TABLE a (id int);\n\n', offset: 26, line: 3, column: 1, markerLine: 2 });
    assert.deepEqual(down, { file: FILE, text: 'DROP TABLE a;\n', offset: 60, line: 6, column: 1, markerLine: 5 });
    assert.equal(text.slice(up.offset, up.offset + up.text.length), up.text);
  });

  it('splits on dbmate and node-pg-migrate style markers', () => {
    for (const [upMarker, downMarker] of [['-- migrate:up', '-- migrate:down'], ['-- Up Migration', '-- Down Migration'], ['-- UP: Apply this migration', '-- DOWN: Revert it']]) {
      const result = ok(`${upMarker}\nSELECT 1;\n${downMarker}\nSELECT 2;\n`);
      assert.equal(result.up.text, 'SELECT 1;\n', upMarker);
      assert.equal(result.down?.text, 'SELECT 2;\n', downMarker);
    }
  });

  it('does not split on comments such as -- update, -- upgrade or -- download', () => {
    const text = '-- UP\n-- update users\nUPDATE users SET a = 1;\n-- upgrade\n-- download\nSELECT 1;\n';
    const result = ok(text);
    assert.equal(result.up.text, text.slice('-- UP\n'.length));
    assert.equal(result.down, null);
  });

  it('takes the text before a DOWN marker as UP when there is no UP marker', () => {
    const result = ok('CREATE TABLE a (id int);\n-- DOWN\nDROP TABLE a;\n');
    assert.equal(result.up.text, 'CREATE TABLE a (id int);\n');
    assert.equal(result.up.offset, 0);
    assert.equal(result.up.markerLine, null);
    assert.equal(result.down?.text, 'DROP TABLE a;\n');
    assert.equal(result.down?.markerLine, 2);
  });

  it('reports two UP markers with both line numbers', () => {
    const error = failure('-- UP\nSELECT 1;\n-- up\nSELECT 2;\n');
    assert.equal(error.line, 3);
    assert.match(error.message, /two UP markers, at lines 1 and 3/);
  });

  it('reports two DOWN markers with both line numbers', () => {
    const error = failure('-- UP\nSELECT 1;\n-- DOWN\nSELECT 2;\n-- migrate:down\n');
    assert.equal(error.line, 5);
    assert.match(error.message, /two DOWN markers, at lines 3 and 5/);
  });

  it('reports DOWN before UP', () => {
    const error = failure('-- DOWN\nDROP TABLE a;\n-- UP\nCREATE TABLE a (id int);\n');
    assert.equal(error.line, 3);
    assert.match(error.message, /DOWN marker \(line 1\) comes before the UP marker \(line 3\)/);
  });

  it('reports SQL before the UP marker, which would never run', () => {
    const error = failure('-- header\n\nCREATE TABLE a (id int);\n-- UP\nSELECT 1;\n');
    assert.equal(error.line, 3);
    assert.match(error.message, /line 3 is before the UP marker \(line 4\)/);
  });

  it('allows comments, block comments and blank lines before the UP marker', () => {
    const result = ok('-- Migration: x\n/* licence\n   text */\n\n-- UP\nSELECT 1;\n');
    assert.equal(result.up.text, 'SELECT 1;\n');
    assert.equal(result.up.line, 6);
  });

  it('treats a DOWN holding only blank lines and comments as no DOWN, keeping its marker line', () => {
    const result = ok('-- UP\nSELECT 1;\n-- DOWN\n\n-- nothing to undo\n   \n');
    assert.equal(result.down, null);
    assert.equal(result.downMarkerLine, 3);
    assert.equal(result.up.text, 'SELECT 1;\n');
    assert.equal(ok('-- UP\nSELECT 1;\n-- DOWN').down, null);
  });

  it('keeps a DOWN whose only content is a block comment (treated as SQL)', () => {
    assert.equal(ok('-- UP\nSELECT 1;\n-- DOWN\n/* manual */\n').down?.text, '/* manual */\n');
  });

  it('gives an empty UP at end of file when the marker is the last line without a line break', () => {
    const result = ok('-- header\n-- UP');
    assert.deepEqual(result.up, { file: FILE, text: '', offset: 15, line: 2, column: 6, markerLine: 2 });
  });

  it('keeps positions right with CRLF line endings', () => {
    const text = '-- UP\r\nSELECT 1;\r\n-- DOWN\r\nSELECT 2;\r\n';
    const { up, down } = ok(text);
    assert.deepEqual(up, { file: FILE, text: 'SELECT 1;\r\n', offset: 7, line: 2, column: 1, markerLine: 1 });
    assert.deepEqual(down, { file: FILE, text: 'SELECT 2;\r\n', offset: 27, line: 4, column: 1, markerLine: 3 });
  });

  it('keeps positions right with lone CR line endings', () => {
    const { up, down } = ok('-- UP\rSELECT 1;\r-- DOWN\rSELECT 2;\r');
    assert.deepEqual(up, { file: FILE, text: 'SELECT 1;\r', offset: 6, line: 2, column: 1, markerLine: 1 });
    assert.deepEqual(down, { file: FILE, text: 'SELECT 2;\r', offset: 24, line: 4, column: 1, markerLine: 3 });
  });

  it('removes a BOM and measures positions in the BOM-stripped text', () => {
    const withBom = ok('\uFEFF-- UP\nSELECT 1;\n-- DOWN\nSELECT 2;\n');
    const without = ok('-- UP\nSELECT 1;\n-- DOWN\nSELECT 2;\n');
    assert.deepEqual(withBom, without);
    assert.equal(withBom.up.offset, 6);
    assert.equal(ok('\uFEFFSELECT 1;').up.text, 'SELECT 1;');
  });

  it('reads strata:no-transaction on a marker line', () => {
    assert.equal(ok('-- UP strata:no-transaction\nCREATE INDEX CONCURRENTLY i ON a (b);\n').noTransaction, true);
    assert.equal(ok('-- UP\nSELECT 1;\n-- DOWN strata:no-transaction\nSELECT 2;\n').noTransaction, true);
  });

  it('reads strata:no-transaction anywhere in the header comments', () => {
    assert.equal(ok('-- Migration: x\n-- run outside a transaction (strata:no-transaction)\n\n-- UP\nSELECT 1;\n').noTransaction, true);
    assert.equal(ok('-- STRATA:NO-TRANSACTION\nSELECT 1;\n').noTransaction, true);
  });

  it('ignores strata:no-transaction after the first SQL line', () => {
    assert.equal(ok('-- UP\nSELECT 1;\n-- strata:no-transaction\nSELECT 2;\n').noTransaction, false);
    assert.equal(ok('-- UP\nSELECT 1;\n').noTransaction, false);
  });

  it("reads dbmate's transaction:false on a marker line only", () => {
    assert.equal(ok('-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\nSELECT 2;\n').noTransaction, true);
    assert.equal(ok('-- transaction:false\n-- migrate:up\nSELECT 1;\n').noTransaction, false);
  });

  it('reads the description and creation time from the header', () => {
    const result = ok('-- Migration: Add user indexes\n-- Created: 2024-01-15T12:00:00.000Z\n\n-- UP\nSELECT 1;\n');
    assert.equal(result.description, 'Add user indexes');
    assert.equal(result.created, '2024-01-15T12:00:00.000Z');
    assert.equal(ok('--description:  Fix things  \nSELECT 1;\n').description, 'Fix things');
  });

  // Found by `npm run test:stress` (FUZZ_SEED=2128889025): a header value with a long run of BOMs inside
  // took 2.5 s for 48 KB (the old pattern backtracked quadratically); 300 KB would have taken minutes.
  it('reads a header value with a long run of whitespace inside in linear time', () => {
    const result = ok(`-- Migration: Add${'\uFEFF'.repeat(150_000)}${' '.repeat(150_000)}users  \r-- Created: today\rSELECT 1;`);
    assert.equal(result.description?.length, 'Add users'.length + 300_000 - 1);
    assert.equal(result.created, 'today');
  });

  it('does not read header fields after the first SQL line', () => {
    const result = ok('SELECT 1;\n-- Migration: too late\n-- Created: 2024\n');
    assert.equal(result.description, null);
    assert.equal(result.created, null);
  });
});

describe('hasSql', () => {
  it('is false for blank lines and line comments only, true otherwise', () => {
    assert.equal(hasSql(''), false);
    assert.equal(hasSql('\n  \n-- a\r\n   -- b'), false);
    assert.equal(hasSql('-- a\nSELECT 1;'), true);
    assert.equal(hasSql('/* c */'), true);
  });
});
