/**
 * Text that is not a well-formed migration: the linter reports what it can, never throws, and its work
 * stays proportional to the text (timings are the benchmark's business, not asserted here).
 */
import assert from 'node:assert/strict';
import { lint, useParser } from './helpers';

/** junk is deterministic pseudo-random bytes read as UTF-8, as a binary file opened as text would be. */
function junk(size: number, seed = 7): string {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes.toString('utf8');
}

describe('lint on bad input', () => {
  useParser();

  it('binary junk: bounded syntax errors, one summary for the rest, no throw', () => {
    const found = lint(junk(256 * 1024));
    const errors = found.filter((f) => f.rule === 'syntax-error');
    assert.ok(errors.length > 0 && errors.length <= 101, `${errors.length} syntax errors`);
    if (errors.length === 101) assert.match(errors[100]!.message, /^\d+ more syntax errors \(not shown\): this does not look like SQL$/);
    for (const f of found) assert.ok(f.start <= f.end && f.line >= 1 && f.column >= 1);
  });

  it('an unterminated dollar quote: reported where it starts, the statements before it still linted', () => {
    const found = lint('CREATE TABLE t (id int);\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  RETURN 1;\nEND;\n');
    assert.deepEqual(
      found.filter((f) => f.rule !== 'missing-down').map((f) => `${f.line}:${f.column} ${f.rule}`),
      ['1:1 create-if-not-exists', '2:53 syntax-error'],
    );
  });

  it('psql meta-commands anywhere: each reported, the SQL between them linted', () => {
    const found = lint('\\set ON_ERROR_STOP on\nCREATE TABLE t (id int);\n\\i other.sql\nDROP TABLE u;\n\\connect db');
    assert.deepEqual(
      found.filter((f) => f.rule !== 'missing-down').map((f) => `${f.line} ${f.rule}`),
      ['1 syntax-error', '2 create-if-not-exists', '3 syntax-error', '4 drop-if-exists', '4 drop-table', '5 syntax-error'],
    );
  });

  it('a 10 MB file of statements', function () {
    this.timeout(120_000);
    const statement = "INSERT INTO events (id, kind, payload) VALUES (1, 'signup', '{\"plan\": \"pro\"}');\n";
    const big = `-- UP\nCREATE TABLE IF NOT EXISTS events (id int, kind text, payload jsonb);\n${statement.repeat(Math.ceil(10_000_000 / statement.length))}`;
    const found = lint(big);
    assert.deepEqual(found.map((f) => f.rule), ['missing-down']);
  });

  it('a 10 MB unterminated dollar quote, and 10 MB of junk', function () {
    this.timeout(120_000);
    const quoted = lint(`SELECT 1;\nDO $$ BEGIN ${'PERFORM 1; '.repeat(1_000_000)}`);
    assert.deepEqual(quoted.filter((f) => f.rule === 'syntax-error').map((f) => `${f.line}:${f.column}`), ['2:4']);
    const noise = lint(junk(10_000_000, 11));
    assert.ok(noise.filter((f) => f.rule === 'syntax-error').length <= 101);
  });

  it('NUL characters and lone surrogates', () => {
    const found = lint('SELECT 1;\0\nCREATE TABLE t (id int);\n\uD800');
    assert.ok(found.some((f) => f.rule === 'syntax-error'));
    assert.ok(found.some((f) => f.rule === 'create-if-not-exists' && f.line === 2));
  });
});
