import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lintMigration } from '../../../../src/core/lint';
import { parseWorkerRequests, startParseWorker, stopParseWorker } from '../../../../src/core/sql/parallel';
import { loadParser, splitStatements } from '../../../../src/core/sql/parser';

/** The worker from source: tests run TypeScript through tsx, in the worker thread too. */
const SOURCE = { script: join(__dirname, '../../../../src/core/sql/parseWorker.ts'), execArgv: ['--require', 'tsx/cjs'] };

before(async () => {
  await loadParser();
});

after(() => {
  stopParseWorker();
});

/** block is a few statements with multi-byte characters (é, ü, emoji) in comments, names and literals. */
function block(i: number): string {
  return `-- café ☕ ${i} 🎉
CREATE TABLE "tē_${i}" (id bigint PRIMARY KEY, note text DEFAULT 'ünï 🎉 ${i}');
CREATE INDEX ix_${i} ON "tē_${i}" (note);
ALTER TABLE "tē_${i}" ADD COLUMN added_${i} int NOT NULL;
/* ö */ ALTER TABLE owners_${i} ADD CONSTRAINT owners_${i}_key UNIQUE (email);
UPDATE "tē_${i}" SET note = '🎉' WHERE id = ${i};
`;
}

/** big is a migration of at least `length` characters (above the size parsed on two threads), with `at(i)` replacing block i when given. */
function big(length: number, at: (i: number) => string | undefined = () => undefined): string {
  const parts = ['-- 🎉 header\n-- UP\n'];
  let size = parts[0]!.length;
  for (let i = 0; size < length; i++) {
    const text = at(i) ?? block(i);
    parts.push(text);
    size += text.length;
  }
  parts.push('-- DOWN\nDROP TABLE IF EXISTS "tē_0";\n');
  return parts.join('');
}

const BLOCK = block(100).length;
const FILE = '/migrations/20240101000000_big.sql';

/** inThread runs f with no worker (none can start from source without SOURCE). */
function inThread<T>(f: () => T): T {
  stopParseWorker();
  return f();
}

/** withWorker runs f with the worker ready, and checks that it was asked to parse. */
async function withWorker<T>(f: () => T): Promise<T> {
  stopParseWorker();
  assert.equal(await startParseWorker(SOURCE), true, 'the worker did not start');
  const before = parseWorkerRequests();
  const result = f();
  assert.ok(parseWorkerRequests() > before, 'the worker was not used');
  return result;
}

/** same checks that the statements, errors and findings (fixes included) of a text do not depend on the worker. */
async function same(text: string): Promise<void> {
  const lint = (): unknown => JSON.parse(JSON.stringify(lintMigration(text, { file: FILE })));
  const split = (): unknown => splitStatements(text);
  const alone = inThread(() => ({ split: split(), lint: lint() }));
  const parallel = await withWorker(() => ({ split: split(), lint: lint() }));
  assert.deepEqual(parallel.split, alone.split);
  assert.deepEqual(parallel.lint, alone.lint);
}

describe('parsing a large text on two threads', function () {
  this.timeout(60_000);

  it('gives the same statements, locations and findings as one thread, with multi-byte characters in both parts', async () => {
    const text = big(200_000);
    await same(text);
    const findings = inThread(() => lintMigration(text, { file: FILE }));
    assert.ok(findings.length > 1000);
  });

  it('keeps a byte order mark and CRLF line breaks exact', async () => {
    await same('\ufeff' + big(150_000).replaceAll('\n', '\r\n'));
  });

  it('gives the same errors when the worker’s part has a syntax error', async () => {
    const bad = Math.floor((200_000 * 0.8) / BLOCK);
    const text = big(200_000, (i) => (i === bad ? 'CREATE TABLE "é" (id int,);\nSELECT 🎉;\n' : i === bad + 3 ? 'ALTER TABLE x ADD COLUMN;\n' : undefined));
    const errors = inThread(() => splitStatements(text).errors);
    assert.equal(errors.length, 2);
    await same(text);
  });

  it('gives the same errors when the main thread’s part has a syntax error', async () => {
    const bad = Math.floor((200_000 * 0.1) / BLOCK);
    await same(big(200_000, (i) => (i === bad ? 'CREATE TABLE t (id int,);\n' : undefined)));
  });

  it('gives the same result when the cut falls inside a BEGIN ATOMIC body', async () => {
    const body = 'SELECT 1;\n'.repeat(4_000);
    const first = Math.floor((200_000 * 0.3) / BLOCK);
    const text = big(200_000, (i) => (i === first ? `CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC\n${body}END;\n` : undefined));
    const statements = inThread(() => splitStatements(text).statements);
    assert.ok(statements.some((s) => s.kind === 'CreateFunctionStmt' && s.text.length > body.length));
    await same(text);
  });

  it('parses on one thread, with the same findings, when the worker cannot start', async () => {
    const text = big(100_000);
    const alone = inThread(() => JSON.stringify(lintMigration(text, { file: FILE })));
    stopParseWorker();
    assert.equal(await startParseWorker({ script: join(__dirname, 'no-such-worker.js') }), false);
    const before = parseWorkerRequests();
    assert.equal(JSON.stringify(lintMigration(text, { file: FILE })), alone);
    assert.equal(parseWorkerRequests(), before);
  });
});
