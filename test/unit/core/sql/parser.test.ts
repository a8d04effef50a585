import assert from 'node:assert/strict';
import { loadModule, parseSync } from 'libpg-query';
import { ByteOffsetMap } from '../../../../src/core/text';
import {
  loadParser,
  parseStatements,
  splitStatements,
  tokenize,
  type SplitResult,
  type SqlStatement,
} from '../../../../src/core/sql/parser';

before(async () => {
  // libpg-query's own wrapper is the reference the tests compare with.
  await Promise.all([loadParser(), loadModule()]);
});

/** ok splits text that must parse and returns its statements. */
function ok(sql: string): SqlStatement[] {
  const result = splitStatements(sql);
  assert.deepEqual(result.errors, [], `unexpected errors in ${JSON.stringify(sql)}`);
  return result.statements;
}

/** texts lists the statement texts of a result. */
function texts(result: SplitResult | SqlStatement[]): string[] {
  return (Array.isArray(result) ? result : result.statements).map((s) => s.text);
}

/** The byte-offset fields of raw parse trees. */
const LOCATION_KEYS = ['location', 'list_start', 'list_end', 'rexpr_list_start', 'rexpr_list_end'];

/** visit calls `f` on every object of a parse tree, depth first, parents first. */
function visit(tree: unknown, f: (obj: Record<string, unknown>) => void): void {
  if (Array.isArray(tree)) for (const item of tree) visit(item, f);
  else if (typeof tree === 'object' && tree !== null) {
    f(tree as Record<string, unknown>);
    for (const value of Object.values(tree)) visit(value, f);
  }
}

/** constLocation is the byte location of the first constant in a statement's tree. */
function constLocation(node: unknown): number {
  const found: number[] = [];
  visit(node, (obj) => {
    const constant = obj.A_Const as { location?: number } | undefined;
    if (constant?.location !== undefined) found.push(constant.location);
  });
  assert.ok(found.length > 0, 'no constant in the tree');
  return found[0]!;
}

/** alone parses a statement's text on its own and moves its locations by `delta` bytes. */
function alone(text: string, delta: number): unknown {
  const node = parseSync(text).stmts?.[0]?.stmt;
  visit(node, (obj) => {
    for (const key of LOCATION_KEYS) {
      const value = obj[key];
      if (typeof value === 'number' && value >= 0) obj[key] = value + delta;
    }
  });
  return node;
}

/**
 * assertWellFormed checks what every result keeps, whatever the input: ordered ranges inside the
 * text, `text` and `byteStart` matching them, and each tree equal to its text parsed on its own with
 * locations that are byte offsets in the whole input.
 */
function assertWellFormed(sql: string, result: SplitResult): void {
  let previous = 0;
  let bytes = 0;
  for (const s of result.statements) {
    assert.ok(s.start >= previous && s.start <= s.end && s.end <= s.terminatorEnd && s.terminatorEnd <= sql.length, 'ranges are ordered and inside the text');
    assert.equal(s.text, sql.slice(s.start, s.end));
    bytes += Buffer.byteLength(sql.slice(previous, s.start));
    assert.equal(s.byteStart, bytes);
    bytes += Buffer.byteLength(sql.slice(s.start, s.terminatorEnd));
    assert.equal(s.kind === null, s.node === null);
    if (s.node) assert.deepEqual(s.node, alone(s.text, s.byteStart), `tree of ${JSON.stringify(s.text)}`);
    previous = s.terminatorEnd;
  }
  for (const e of result.errors) assert.ok(e.offset >= 0 && e.offset <= sql.length, 'error offsets are inside the text');
  assert.deepEqual(result.errors.map((e) => e.offset), result.errors.map((e) => e.offset).sort((a, b) => a - b));
}

describe('splitStatements', () => {
  it('finds each statement from its first to its last token, without comments or the semicolon', () => {
    const sql = '-- header\n/* block */ CREATE TABLE a (id int) /* trailing */ ; -- after\n\nSELECT 1 -- end\n;\nSELECT 2';
    const statements = ok(sql);
    assert.deepEqual(texts(statements), ['CREATE TABLE a (id int)', 'SELECT 1', 'SELECT 2']);
    const [create, one, two] = statements;
    assert.equal(create!.start, sql.indexOf('CREATE'));
    assert.equal(create!.terminatorEnd, sql.indexOf(';') + 1);
    assert.equal(one!.terminatorEnd, sql.indexOf(';\nSELECT 2') + 1);
    assert.equal(two!.terminatorEnd, two!.end, 'no terminator: terminatorEnd is end');
    assert.equal(two!.end, sql.length);
    assert.deepEqual(statements.map((s) => s.kind), ['CreateStmt', 'SelectStmt', 'SelectStmt']);
  });

  it('counts offsets in UTF-16 units and byteStart in UTF-8 bytes when é and an emoji come first', () => {
    const sql = "SELECT 'é😀';\n-- ça va 😀\nCREATE INDEX i ON t (a);  SELECT 42";
    const statements = ok(sql);
    assert.deepEqual(texts(statements), ["SELECT 'é😀'", 'CREATE INDEX i ON t (a)', 'SELECT 42']);
    const last = statements[2]!;
    assert.equal(last.start, sql.indexOf('SELECT 42'));
    assert.equal(last.byteStart, Buffer.byteLength(sql.slice(0, last.start)));
    assert.notEqual(last.byteStart, last.start);
    // Node locations are byte offsets in the input: they land on the literal once converted.
    assert.equal(new ByteOffsetMap(sql).toUtf16(constLocation(last.node)), sql.indexOf('42'));
    assertWellFormed(sql, { statements, errors: [] });
  });

  it('keeps dollar-quoted bodies that contain semicolons whole', () => {
    const body = "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  NEW.x := 1; -- ;\n  RETURN NEW;\nEND\n$fn$";
    const statements = ok(`${body};\nDO $$ BEGIN PERFORM 1; END $$;\nSELECT 1;`);
    assert.deepEqual(texts(statements), [body, 'DO $$ BEGIN PERFORM 1; END $$', 'SELECT 1']);
  });

  it('keeps BEGIN ATOMIC function bodies whole, also when another statement has an error', () => {
    const fn = 'CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN a > 0 THEN a END;\nEND';
    const proc = 'CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END';
    assert.deepEqual(texts(ok(`${fn};\n${proc};\nSELECT 2;`)), [fn, proc, 'SELECT 2']);

    const broken = `${fn};\nSELEC 1;\n${proc};\nSELECT 2;`;
    const result = splitStatements(broken);
    assert.deepEqual(texts(result), [fn, 'SELEC 1', proc, 'SELECT 2']);
    assert.deepEqual(result.statements.map((s) => s.kind), ['CreateFunctionStmt', null, 'CreateFunctionStmt', 'SelectStmt']);
    assert.deepEqual(result.errors, [{ message: 'syntax error at or near "SELEC"', offset: broken.indexOf('SELEC ') }]);
  });

  it('reports a syntax error in the middle at its exact offset and still parses the statements around it', () => {
    const sql = "CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN é😀 int NOT NUL;\n-- next\nCREATE INDEX CONCURRENTLY i ON a (id);";
    const result = splitStatements(sql);
    assert.deepEqual(result.errors, [{ message: 'syntax error at or near "NUL"', offset: sql.indexOf('NUL;') }]);
    assert.deepEqual(texts(result), ['CREATE TABLE a (id int)', 'ALTER TABLE a ADD COLUMN é😀 int NOT NUL', 'CREATE INDEX CONCURRENTLY i ON a (id)']);
    assert.deepEqual(result.statements.map((s) => s.kind), ['CreateStmt', null, 'IndexStmt']);
    assert.equal(result.statements[1]!.terminatorEnd, sql.indexOf('NUL;') + 4);
    assertWellFormed(sql, result);
  });

  it('reports every bad statement, each at its own offset', () => {
    const sql = 'SELEC 1;\nSELECT 2;\nSELECT FROM WHERE;\nSELECT 3';
    const result = splitStatements(sql);
    assert.deepEqual(result.errors.map((e) => e.offset), [0, sql.indexOf('WHERE')]);
    assert.deepEqual(result.statements.map((s) => s.kind), [null, 'SelectStmt', null, 'SelectStmt']);
  });

  it('reports an error at end of input at the end of the statement', () => {
    const sql = 'SELECT 1;\nSELECT (2;\nSELECT 3;';
    const result = splitStatements(sql);
    assert.deepEqual(result.errors, [{ message: 'syntax error at end of input', offset: sql.indexOf(';\nSELECT 3') }]);
    assert.deepEqual(texts(result), ['SELECT 1', 'SELECT (2', 'SELECT 3']);
  });

  it('gives the same statements, offsets and trees when recovering from an error elsewhere', () => {
    const good = "-- é\nCREATE TABLE \"😀\" (id int, v text DEFAULT 'a;b');\nCREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n" +
      "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (ARRAY[1]); INSERT INTO b VALUES (2 IN (1, 2)));\nSELECT $$x;y$$, 'é' /* c */;\n";
    const clean = ok(good);
    const moved = (by: string) => clean.map((s) => ({
      ...s,
      start: s.start + by.length,
      end: s.end + by.length,
      terminatorEnd: s.terminatorEnd + by.length,
      byteStart: s.byteStart + Buffer.byteLength(by),
      node: alone(s.text, s.byteStart + Buffer.byteLength(by)),
    }));
    for (const bad of ['SELEC 1;\n', "SELECT 'é😀' FRM t;\n", 'SELECT $q$ unterminated;\n']) {
      const broken = good + bad + good;
      const result = splitStatements(broken);
      assert.equal(result.errors.length, 1, broken);
      const parsed = result.statements.filter((s) => s.node !== null);
      const expected = bad.includes('$q$') ? clean : [...clean, ...moved(good + bad)];
      assert.deepEqual(parsed, expected, JSON.stringify(bad));
      assertWellFormed(broken, result);
    }
  });

  it('recovers from an unterminated dollar quote: statements before it parse, the rest is one bad statement', () => {
    const sql = "SELECT 'é';\nCREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\nSELECT 2;";
    const result = splitStatements(sql);
    assert.deepEqual(texts(result), ["SELECT 'é'", sql.slice(sql.indexOf('CREATE'))]);
    assert.equal(result.statements[0]!.kind, 'SelectStmt');
    assert.equal(result.statements[1]!.node, null);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]!.offset, sql.indexOf('$$'));
    assert.match(result.errors[0]!.message, /^unterminated dollar-quoted string/);
    assert.ok(result.errors[0]!.message.length < 200, 'the quoted rest of the text is cut short');
  });

  it('recovers from an unterminated quote or comment, also after another error', () => {
    for (const [tail, message] of [["SELECT 'abc;", /^unterminated quoted string/], ['/* note;', /^unterminated \/\* comment/], ['SELECT "x;', /^unterminated quoted identifier/]] as const) {
      const sql = `SELECT 1;\nSELEC 2;\nSELECT 3;\n${tail}`;
      const result = splitStatements(sql);
      assert.deepEqual(texts(result), ['SELECT 1', 'SELEC 2', 'SELECT 3', tail]);
      assert.deepEqual(result.statements.map((s) => s.kind), ['SelectStmt', null, 'SelectStmt', null]);
      assert.equal(result.errors.length, 2);
      assert.equal(result.errors[0]!.offset, sql.indexOf('SELEC '));
      assert.match(result.errors[1]!.message, message);
      assert.equal(result.errors[1]!.offset, sql.indexOf(tail) + (tail.startsWith('/*') ? 0 : 7));
    }
  });

  it('stops checking after 100 errors and says so, keeping one statement for the rest', () => {
    const sql = `SELECT 1;\n${'SELEC 1;\n'.repeat(150)}SELECT 2;`;
    const result = splitStatements(sql);
    assert.equal(result.errors.length, 101);
    assert.deepEqual(result.errors[100], { message: 'more than 100 errors: the rest was not checked', offset: 10 + 9 * 100 });
    assert.equal(result.statements.length, 102);
    assert.equal(result.statements[101]!.text, sql.slice(10 + 9 * 100, -1));
    assertWellFormed(sql, result);
  });

  it('returns nothing for empty, blank and comment-only text', () => {
    for (const sql of ['', '   \n\t', '-- only a comment', '/* block */\n-- line\n', ';;\n;']) {
      assert.deepEqual(splitStatements(sql), { statements: [], errors: [], ascii: true }, JSON.stringify(sql));
    }
  });

  it('reports a psql meta-command as its own bad statement and parses the next line', () => {
    const sql = '\\set x 1\nSELECT 1;\n\\i other.sql\nSELECT 2;';
    const result = splitStatements(sql);
    assert.deepEqual(texts(result), ['\\set x 1', 'SELECT 1', '\\i other.sql', 'SELECT 2']);
    assert.deepEqual(result.statements.map((s) => s.kind), [null, 'SelectStmt', null, 'SelectStmt']);
    assert.deepEqual(result.errors.map((e) => e.offset), [0, sql.indexOf('\\i')]);
  });

  it('treats a leading byte order mark as whitespace', () => {
    const sql = '\uFEFFSELECT 1; SELECT 2';
    const result = splitStatements(sql);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.statements.map((s) => [s.start, s.byteStart]), [[1, 3], [11, 13]]);
    assert.equal(new ByteOffsetMap(sql).toUtf16(constLocation(result.statements[1]!.node)), sql.length - 1);
  });

  it('finds statements after a NUL character and reports it, as PostgreSQL would cut the text there', () => {
    const sql = "SELECT 1;\u0000\nSELECT 2;\nSELECT 'a\u0000b';\u0000\u0000";
    const result = splitStatements(sql);
    assert.deepEqual(texts(result), ['SELECT 1', 'SELECT 2', "SELECT 'a\u0000b'"]);
    assert.deepEqual(result.errors.map((e) => e.offset), [9, sql.indexOf('\u0000b'), sql.length - 2]);
    assert.deepEqual(result.statements.map((s) => s.kind), ['SelectStmt', 'SelectStmt', null]);
  });

  it('never throws on random bytes, lone surrogates or deep nesting, and keeps its invariants', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const inputs = ['\uD800SELECT 1;\uDC00 SELECT 2', `SELECT ${'('.repeat(20000)}1`, `SELECT ${'a+'.repeat(20000)}1; SELECT 1`];
    for (let n = 0; n < 30; n++) {
      const bytes = Buffer.alloc(2000, 0);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      inputs.push(bytes.toString('latin1'), bytes.toString('utf8'));
    }
    const pieces = ['SELECT 1', ';', "'", '$$', '$a$', '"', '/*', '*/', '--', '\n', 'BEGIN ATOMIC', 'END', 'CREATE FUNCTION f() RETURNS int', '(', ')', 'é', '😀', '\\set', 'selec'];
    for (let n = 0; n < 200; n++) {
      let sql = '';
      for (let i = 0; i < 20; i++) sql += pieces[Math.floor(random() * pieces.length)]! + (random() < 0.5 ? ' ' : '');
      inputs.push(sql);
    }
    for (const sql of inputs) assertWellFormed(sql, splitStatements(sql));
  });

  it('never throws on 10 MB of random bytes', function () {
    this.timeout(60_000);
    const bytes = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + (i >> 7) * 31) & 0xff;
    const sql = bytes.toString('latin1');
    assertWellFormed(sql, splitStatements(sql));
  });

  // Speed is measured by `npm run bench` (lint2k, lint1m), never by timed unit tests.
  it('splits a 1 MB file into every statement with exact offsets', function () {
    this.timeout(60_000);
    const unit = "-- Migration\nCREATE TABLE IF NOT EXISTS users (id bigserial PRIMARY KEY, email text NOT NULL, name text DEFAULT 'é😀');\n" +
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email); -- trailing\n' +
      'CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;\n';
    const copies = Math.ceil(1_000_000 / unit.length);
    const large = unit.repeat(copies);
    const { statements, errors } = splitStatements(large);
    assert.deepEqual(errors, []);
    assert.equal(statements.length, copies * 3);
    const last = statements[statements.length - 1]!;
    assert.equal(large.slice(last.start, last.end), last.text);
    assert.ok(last.text.startsWith('CREATE OR REPLACE FUNCTION touch()'));
    assert.equal(large.slice(last.end, last.terminatorEnd), ';');
    assert.equal(parseSync(large).stmts?.length, statements.length);
  });
});

describe('parseStatements', () => {
  it('gives the same result as splitStatements', () => {
    const sql = 'SELECT 1; SELEC 2; SELECT 3';
    assert.deepEqual(parseStatements(sql), splitStatements(sql));
  });
});

describe('tokenize', () => {
  it('returns every token with UTF-16 offsets, comments included, keywords in lower case', () => {
    const sql = "SELECT 'é😀' /* c */, x FROM t; -- end";
    const tokens = tokenize(sql);
    assert.deepEqual(tokens.map((t) => t.text), ['SELECT', "'é😀'", '/* c */', ',', 'x', 'FROM', 't', ';', '-- end']);
    for (const t of tokens) assert.equal(sql.slice(t.start, t.end), t.text);
    assert.deepEqual(tokens.filter((t) => t.keyword).map((t) => t.keyword), ['select', 'from']);
    assert.deepEqual(tokens.map((t) => t.type).slice(1, 3), ['SCONST', 'C_COMMENT']);
  });

  it('stops at text it cannot read instead of throwing', () => {
    assert.deepEqual(tokenize("SELECT 1; SELECT 'abc").map((t) => t.text), ['SELECT', '1', ';', 'SELECT']);
    assert.deepEqual(tokenize('SELECT \u0001 1').map((t) => t.text), ['SELECT', '1']);
    assert.deepEqual(tokenize(''), []);
  });
});
