import assert from 'node:assert/strict';
import { blockCommentEnd, unclosedCommentStart } from '../../../../src/core/sql/comments';
import { loadParser, splitStatements, tokenize } from '../../../../src/core/sql/parser';

describe('unclosedCommentStart', () => {
  it('finds a block comment that never closes, nested as PostgreSQL nests them', () => {
    assert.equal(unclosedCommentStart('SELECT 1; /* a /* b */'), 10);
    assert.equal(unclosedCommentStart('SELECT 1; /* a /* b */ */'), null);
    assert.equal(unclosedCommentStart('/*'.repeat(5)), 0);
    // '//*' is a run of slashes then a star inside a comment, not a nested opening.
    assert.equal(unclosedCommentStart('/* x //* */'), null);
  });

  it('ignores /* inside quotes, quoted identifiers, dollar quotes and line comments', () => {
    assert.equal(unclosedCommentStart("SELECT '/*', \"/*\", $$/*$$, $f$ /* $f$; -- /*\nSELECT 1;"), null);
    assert.equal(unclosedCommentStart("SELECT E'\\' /*', 1;"), null);
    assert.equal(unclosedCommentStart("SELECT 'it''s' /* open"), 15);
  });

  it('gives up (null) when a quote runs to the end first', () => {
    assert.equal(unclosedCommentStart("SELECT ' /* "), null);
    assert.equal(unclosedCommentStart('SELECT $q$ /* '), null);
  });

  it('blockCommentEnd is the offset past the closing */', () => {
    assert.equal(blockCommentEnd('/* a */ b', 0), 7);
    assert.equal(blockCommentEnd('/* /* */ **/ b', 0), 12);
    assert.equal(blockCommentEnd('/* /* */', 0), null);
  });
});

describe('splitStatements and tokenize on an unclosed block comment', () => {
  before(async () => {
    await loadParser();
  });

  it('report it at its start and keep the statements before it', () => {
    const result = splitStatements('CREATE TABLE t (id int);\nSELECT 1;\n/* never /* closed');
    assert.deepEqual(result.statements.map((s) => [s.kind, s.text]), [
      ['CreateStmt', 'CREATE TABLE t (id int)'],
      ['SelectStmt', 'SELECT 1'],
      [null, '/* never /* closed'],
    ]);
    assert.deepEqual(result.errors.map((e) => e.offset), [35]);
    assert.match(result.errors[0]!.message, /^unterminated \/\* comment/);
  });

  it('join it to a statement that no ; ended, which is then unparsed', () => {
    const result = splitStatements('SELECT 1;\nSELECT 2 /* open');
    assert.deepEqual(result.statements.map((s) => [s.kind, s.text]), [['SelectStmt', 'SELECT 1'], [null, 'SELECT 2 /* open']]);
    assert.deepEqual(result.errors.map((e) => e.offset), [19]);
  });

  // PostgreSQL's scanner takes time quadratic in the nesting depth (32,000 levels: ~12 s); the
  // linear guard makes 10 MB of them a matter of milliseconds. The bound is generous on purpose.
  it('handle 10 MB of nested /* in bounded time', function () {
    this.timeout(60_000);
    const text = `SELECT 1;\n${'/*'.repeat(5_000_000)}`;
    const result = splitStatements(text);
    assert.deepEqual(result.errors.map((e) => e.offset), [10]);
    assert.deepEqual(tokenize(text).map((t) => t.text), ['SELECT', '1', ';']);
  });
});
