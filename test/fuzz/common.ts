/**
 * Shared pieces of the fuzz suite: run settings (fixed seeds for CI, scaled runs and a printed random
 * seed for `npm run test:stress`), the per-input time cap, a count of inputs fuzzed per target, and
 * the generators of migration-like text (markers, dollar quotes, line-ending and BOM mixes, mutations).
 */
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';

/** STRESS is set by `npm run test:stress`: FUZZ_RUNS multiplies every property's number of runs. */
const SCALE = process.env.FUZZ_RUNS === undefined ? null : Math.max(1, Number(process.env.FUZZ_RUNS) || 1);
export const STRESS = SCALE !== null;

/** SEED is constant in CI (deterministic); in a stress run it is FUZZ_SEED or random, and printed. */
export const SEED = STRESS
  ? process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 0x7fffffff)
  : 20260121;

/** TIME_CAP_MS is the longest one input may take; generous so a loaded CI machine never flakes. */
export const TIME_CAP_MS = 2000;

const counts = new Map<string, number>();
const started = performance.now();

/** params is fast-check's settings for a property that runs `base` times in CI. */
export function params(base: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: base * (SCALE ?? 1), endOnFailure: true };
}

/** timed runs one input, counts it for target, and fails when it exceeds the time cap. */
export function timed<T>(target: string, run: () => T): T {
  counts.set(target, (counts.get(target) ?? 0) + 1);
  const t0 = performance.now();
  const result = run();
  const elapsed = performance.now() - t0;
  if (elapsed > TIME_CAP_MS) throw new Error(`${target}: one input took ${elapsed.toFixed(0)} ms (cap ${TIME_CAP_MS} ms)`);
  return result;
}

/** timedAsync is timed for async targets (the config loader). */
export async function timedAsync<T>(target: string, run: () => Promise<T>): Promise<T> {
  counts.set(target, (counts.get(target) ?? 0) + 1);
  const t0 = performance.now();
  const result = await run();
  const elapsed = performance.now() - t0;
  if (elapsed > TIME_CAP_MS) throw new Error(`${target}: one input took ${elapsed.toFixed(0)} ms (cap ${TIME_CAP_MS} ms)`);
  return result;
}

if (STRESS) console.log(`fuzz: stress run, FUZZ_RUNS=${SCALE}, seed ${SEED} (replay with FUZZ_SEED=${SEED})`);

after(() => {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = [...counts].map(([k, v]) => `${k} ${v}`).join(', ');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`fuzz: ${total} inputs fuzzed in ${seconds} s (${parts}); seed ${SEED}`);
  const file = process.env.STRATA_TALLY_FILE;
  if (file) appendFileSync(file, `${JSON.stringify({ name: 'inputs fuzzed', detail: parts, n: total })}\n`);
});

// ---- generators -------------------------------------------------------------------------------

/** loneSurrogates and other single UTF-16 units, NUL included. */
export const anyUnit = fc.nat(0xffff).map((n) => String.fromCharCode(n));

/** randomText: random UTF-16 units (lone surrogates, NUL), random bytes decoded, or full code points. */
export const randomText = fc.oneof(
  fc.array(anyUnit, { maxLength: 200 }).map((a) => a.join('')),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const MARKER_WORDS = ['UP', 'DOWN', 'up', 'down', 'Up', 'Down', 'uP', 'dOwN', 'migrate:up', 'migrate:down', 'MIGRATE:UP', 'Migrate:Down', 'Up Migration', 'Down Migration', 'update', 'download', 'upgrade'];
const MARKER_TAILS = ['', ' ', ':', ': Apply', ' transaction:false', ' strata:no-transaction', '\t', ' trailing text', ':up', '--'];

/** marker: every spelling of an UP/DOWN marker line (and near misses), with or without trailing text. */
export const marker = fc
  .tuple(fc.constantFrom('--', '-- ', '--  ', ' -- ', '\t--', '---'), fc.constantFrom(...MARKER_WORDS), fc.constantFrom(...MARKER_TAILS))
  .map(([dash, word, tail]) => `${dash}${word}${tail}`);

const tag = fc.constantFrom('', 'a', 'b', 'body', 'x_1', 'A');

/** dollarQuoted: nested and mismatched dollar quotes, e.g. $a$ ... $b$ ... $b$ ... $a$, sometimes unterminated. */
export const dollarQuoted = fc
  .tuple(tag, tag, fc.constantFrom('', ';', "'", '-- UP', '/*', '$$', 'select 1;'), fc.boolean(), fc.boolean())
  .map(([outer, inner, body, closeInner, closeOuter]) =>
    `DO $${outer}$ BEGIN $${inner}$ ${body} ${closeInner ? `$${inner}$` : ''} ${body} ${closeOuter ? `$${outer}$` : ''};`);

const SQL_SNIPPETS = [
  'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);',
  'DROP TABLE users;',
  'ALTER TABLE users ADD COLUMN name text NOT NULL;',
  'CREATE INDEX CONCURRENTLY idx ON users (email);',
  'CREATE UNIQUE INDEX idx2 ON users (lower(email));',
  'ALTER TABLE users ALTER COLUMN email TYPE varchar(10);',
  'UPDATE users SET name = \'x\';',
  'DELETE FROM users;',
  'BEGIN;', 'COMMIT;', 'ROLLBACK;',
  "SELECT 'it''s', E'\\n', $$ dollar $$, \"Quoted\"\"Ident\";",
  '/* block /* nested */ comment */',
  '-- strata:ignore-next-statement',
  '-- strata:no-transaction',
  '-- Migration: fuzz',
  '-- Created: 2024-01-15',
  'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $f$ SELECT 1 $f$;',
  'COPY users FROM stdin;',
  '\\.',
  'ALTER TABLE users RENAME COLUMN a TO b;',
  'VACUUM users;',
  'SET lock_timeout = 0;',
  ';', ';;', '', '(', ')', "'", '"', '$', '$1', '/*', '*/',
];

/** sqlLine: one line of migration-like SQL. */
export const sqlLine = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SQL_SNIPPETS) },
  { weight: 2, arbitrary: marker },
  { weight: 1, arbitrary: dollarQuoted },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

const EOL = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\r\n');

/** migrationText: lines joined by mixed line endings, sometimes with a BOM (or two), sometimes one huge line. */
export const migrationText = fc
  .tuple(fc.array(fc.tuple(sqlLine, EOL), { maxLength: 25 }), fc.constantFrom('', '', '', '\uFEFF', '\uFEFF\uFEFF'), fc.boolean())
  .map(([lines, bom, last]) => bom + lines.map(([l, e]) => l + e).join('') + (last ? '' : 'SELECT 1'));

/** VALID_MIGRATIONS are well-formed files that the mutations start from. */
export const VALID_MIGRATIONS = [
  '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY);\n\n-- DOWN\nDROP TABLE users;\n',
  '-- Migration: Add users\n-- Created: 2024-01-15\n\n-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n',
  '\uFEFF-- Up Migration\r\nCREATE INDEX CONCURRENTLY i ON t (c);\r\n-- Down Migration\r\nDROP INDEX CONCURRENTLY i;\r\n',
  '-- UP strata:no-transaction\nCREATE FUNCTION f() RETURNS int AS $a$ BEGIN RETURN $b$ x $b$; END $a$ LANGUAGE plpgsql;\n-- DOWN\n-- forward only\n',
  'CREATE TABLE only_up (x int);\n',
  '-- migrate:up transaction:false\rALTER TABLE t ADD COLUMN c int NOT NULL;\r-- migrate:down\rALTER TABLE t DROP COLUMN c;\r',
];

/** Mutation is one edit applied to a text. */
type Mutation = { kind: 'truncate' | 'delete' | 'insert' | 'eol' | 'huge'; at: number; len: number; insert: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('truncate', 'delete', 'insert', 'insert', 'eol', 'huge'),
  at: fc.nat(),
  len: fc.nat(64),
  insert: fc.oneof(sqlLine, marker, dollarQuoted, anyUnit, EOL, fc.constantFrom('\uFEFF', '\0', '\uD800', '\uDC00', '$', '--')),
});

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case 'truncate': return text.slice(0, at);
    case 'delete': return text.slice(0, at) + text.slice(at + m.len);
    case 'insert': return text.slice(0, at) + m.insert + text.slice(at);
    case 'eol': return text.replace(/\r\n|\r|\n/g, ['\n', '\r\n', '\r'][m.len % 3]!);
    case 'huge': {
      // One long line: the unit without its line breaks, repeated to 10–100 K characters.
      const unit = m.insert.replace(/[\r\n]/g, '') || 'x';
      return text.slice(0, at) + unit.repeat(Math.ceil((10_000 + m.len * 1_400) / unit.length)) + text.slice(at);
    }
  }
}

/** mutatedMigration: a valid migration after a few truncations, deletions, insertions and line-ending rewrites. */
export const mutatedMigration = fc
  .tuple(fc.constantFrom(...VALID_MIGRATIONS), fc.array(mutation, { maxLength: 6 }))
  .map(([text, ms]) => ms.reduce(mutate, text));

/** hugeLine: one very long line (200 KB), bare or inside a section, for quadratic-time regressions. */
export const hugeLine = fc
  .tuple(fc.constantFrom('x', 'a ', '-- ', '$$', "'", '(', ';', '\uD800', '\0', 'é'), fc.constantFrom('', '-- UP\n', '-- UP\nSELECT '), fc.integer({ min: 1_000, max: 100_000 }))
  .map(([unit, prefix, n]) => prefix + unit.repeat(Math.ceil(n / unit.length)));

/** anyMigrationInput: every kind of text the targets are fuzzed with. */
export const anyMigrationInput = fc.oneof(
  { weight: 3, arbitrary: randomText },
  { weight: 4, arbitrary: migrationText },
  { weight: 4, arbitrary: mutatedMigration },
  { weight: 1, arbitrary: hugeLine },
);

/** lineBreaks is the number of line breaks (CRLF, CR or LF) in text, as lineColumnAt counts lines. */
export function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/** lines are the lines of text without their breaks. */
export function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** codePoints is a string's length in characters (a lone surrogate counts as one). */
export function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
