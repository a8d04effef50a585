/**
 * Linting a large section on two threads gives exactly what one thread gives. A section of at least
 * PARALLEL_MIN_LENGTH units is cut in two at a ';' (the first one at or after 45 % of its text) and the
 * part after the cut goes to a worker. The rules look back at earlier statements of the same section
 * (tables, indexes and columns created earlier, a NOT NULL check added earlier, the file's own BEGIN, the
 * DROP ... IF EXISTS just before, SET lock_timeout, ignore comments), so every test here builds a file
 * where such a fact sits before the cut and the statement that depends on it after the cut, often the
 * very first statement after it. Each test compares the findings (fixes included) with and without the
 * worker, and checks on the one-thread result that the fact is used (the finding is absent) next to a
 * control that gets the finding, so that a worker that ignored the fact would fail the test.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { lintMigration, type LintFinding, type LintOptions } from '../../../../src/core/lint';
import { splitSections } from '../../../../src/core/sections';
import { outline } from '../../../../src/core/sql/comments';
import { parseWorker, parseWorkerRequests, startParseWorker, stopParseWorker } from '../../../../src/core/sql/parallel';
import { loadParser, PARALLEL_MIN_LENGTH } from '../../../../src/core/sql/parser';

/** The worker from source: tests run TypeScript through tsx, in the worker thread too. */
const SOURCE = { script: join(__dirname, '../../../../src/core/sql/parseWorker.ts'), execArgv: ['--require', 'tsx/cjs'] };

/** HEAD_SHARE is parser.ts's (not exported): the cut is the first ';' at or after floor(length * HEAD_SHARE) of a section's text. */
const HEAD_SHARE = 0.45;

const FILE = '/migrations/20240101000000_big.sql';
const FILE_UP = '/migrations/20240101000000_big.up.sql';

/** Filler is block i of the statements that fill a section around the statements a test is about. */
type Filler = (i: number) => string;

/** busy filler has findings of its own (each block depends only on itself), with multi-byte characters in comments, names and literals. */
const busy: Filler = (i) => `-- café ☕ ${i} 🎉 ünïcødé
CREATE TABLE "fē_${i}" (id bigint PRIMARY KEY, note text DEFAULT 'ünï 🎉 ${i}');
CREATE INDEX "fïx_${i}" ON "fē_${i}" (note);
ALTER TABLE "fē_${i}" ADD COLUMN "äd_${i}" int NOT NULL;
/* ö 🎉 */ ALTER TABLE "fö_${i}" ADD CONSTRAINT "fö_${i}_key" UNIQUE (email);
UPDATE "fē_${i}" SET note = '🎉 ü' WHERE id = ${i};
`;

/** quiet filler creates nothing, locks nothing and has no findings (for rules that look at the whole section). */
const quiet: Filler = (i) => `-- café ☕ ${i} 🎉 ünïcødé
INSERT INTO "fē_log" (id, note) VALUES (${i}, 'ünï 🎉 ${i}');
/* ö 🎉 */ UPDATE "fē_log" SET note = 'é ${i} 🎉' WHERE id = ${i};
SELECT count(*) FROM "fē_log" WHERE note <> '🎉 ${i}';
`;

/** Plan places a test's statements in a large section. */
interface Plan {
  /** head: statements near the start (at about 2 % of the section). */
  head?: string;
  /** edge: edge[0] ends with the ';' the section is cut at (the last statement before the cut); edge[1] is the first after it. */
  edge?: [string, string];
  /** tail: statements at about 72 % of the section. */
  tail?: string;
  /** end: statements at the very end of the section. */
  end?: string;
  /** size: about how long the section is (UTF-16 units). */
  size?: number;
  filler?: Filler;
  eol?: '\n' | '\r\n';
}

/**
 * section builds a section's text from a plan, sized so that the parser cuts it exactly after edge[0]:
 * the ';' that ends edge[0] is at floor(length * HEAD_SHARE), which makes it the first ';' at or after
 * that point. Returns the text and the cut (the offset just past that ';').
 */
function section(plan: Plan): { text: string; cut: number } {
  const size = plan.size ?? 180_000;
  const filler = plan.filler ?? busy;
  const eol = plan.eol ?? '\n';
  const conv = (s: string): string => (eol === '\n' ? s : s.replaceAll('\n', eol));
  const parts: string[] = [];
  let length = 0;
  let n = 0;
  const add = (raw: string): number => {
    const at = length;
    const s = conv(raw);
    parts.push(s);
    length += s.length;
    return at;
  };
  const fillTo = (to: number): void => {
    while (length < to) add(filler(n++));
  };
  fillTo(size * 0.02);
  add(plan.head ?? '');
  const headEnd = length;
  fillTo(size * 0.44);
  const [before, after] = plan.edge ?? [`SELECT 'édge ✂ 🎉';`, `SELECT 'áfter ✂ 🎉';`];
  add('-- ✂ the text is cut after the next statement 🎉\n');
  const semicolon = add(`${before}\n`) + conv(before).lastIndexOf(';');
  add(`${after}\n`);
  fillTo(size * 0.72);
  const tailStart = add(plan.tail ?? '');
  const end = `${plan.end ?? ''}-- ✓ ënd of the section 🎉\n`;
  const endLength = conv(end).length;
  // The smallest length whose head share ends exactly at that ';' (each unit of length moves it by 0.45).
  let total = Math.ceil(semicolon / HEAD_SHARE) - 3;
  while (Math.floor(total * HEAD_SHARE) < semicolon) total++;
  while (length + conv(filler(n)).length + endLength + 8 <= total) add(filler(n++));
  const rest = total - length - endLength;
  assert.ok(rest >= 0, 'the tail is too long for the size of the section');
  add(rest >= 8 ? `--${'é'.repeat(rest - 2 - eol.length)}\n` : ' '.repeat(rest));
  add(end);
  const text = parts.join('');
  assert.equal(text.length, total);
  assert.ok(text.length >= PARALLEL_MIN_LENGTH, 'the section is too small to be parsed on two threads');
  const cut = outline(text, Math.floor(text.length * HEAD_SHARE)).cut;
  assert.equal(cut, semicolon + 1, 'the section is not cut where the test expects (did HEAD_SHARE or the way the cut is found change?)');
  assert.ok(headEnd < cut && headEnd < text.length * 0.1, 'the head is not near the start');
  assert.ok(tailStart > text.length * 0.5, 'the tail is not well after the cut');
  return { text, cut };
}

const HEADER = '-- 🎉 Migration: a large migration, ünïcødé\n';

/** file joins a header, `-- UP` and `-- DOWN` markers and the sections' texts (which it takes as they are), and checks that the file splits into them. */
function file(parts: { up: string; down?: string; header?: string; eol?: '\n' | '\r\n'; bom?: boolean }): string {
  const eol = parts.eol ?? '\n';
  const header = (parts.header ?? HEADER).replaceAll('\n', eol);
  const down = parts.down ?? `DROP TABLE IF EXISTS "fē_0";${eol}`;
  const text = `${parts.bom ? '\ufeff' : ''}${header}-- UP${eol}${parts.up}-- DOWN${eol}${down}`;
  const split = splitSections(text, FILE);
  assert.ok(split.ok, 'the file does not split into sections');
  assert.equal(split.up.text, parts.up);
  assert.equal(split.down?.text, down);
  return text;
}

/** inThread runs f with no worker (none can start from source without SOURCE). */
function inThread<T>(f: () => T): T {
  stopParseWorker();
  return f();
}

const key = (f: LintFinding): string => `${f.line}:${f.column} ${f.rule} ${f.message}`;

/**
 * same lints the text without and with the worker, checks that the worker parsed `parts` texts (and did
 * not give up), and that the findings, fixes included, are identical. Returns the one-thread findings.
 */
async function same(text: string, options: LintOptions, parts = 1): Promise<LintFinding[]> {
  const lint = (): LintFinding[] => JSON.parse(JSON.stringify(lintMigration(text, options))) as LintFinding[];
  const alone = inThread(lint);
  stopParseWorker();
  assert.equal(await startParseWorker(SOURCE), true, 'the worker did not start');
  const before = parseWorkerRequests();
  const parallel = lint();
  assert.equal(parseWorkerRequests() - before, parts, 'the worker did not parse the large sections');
  assert.ok(parseWorker() !== null, 'the worker gave up (too slow?), so this thread parsed without it');
  if (parallel.length !== alone.length) {
    const a = new Set(alone.map(key));
    const p = new Set(parallel.map(key));
    const only = (x: Set<string>, y: Set<string>): string => [...x].filter((k) => !y.has(k)).slice(0, 10).join('\n  ');
    assert.fail(`${parallel.length} findings with the worker, ${alone.length} without\nonly without:\n  ${only(a, p)}\nonly with:\n  ${only(p, a)}`);
  }
  for (let i = 0; i < alone.length; i++) {
    if (!isDeepStrictEqual(parallel[i], alone[i])) assert.deepEqual(parallel[i], alone[i], `finding ${i} differs with the worker`);
  }
  assert.deepEqual(parallel, alone);
  return alone;
}

/** lineOf is the 1-based line of a snippet that occurs once in the text. */
function lineOf(text: string, snippet: string): number {
  const at = text.indexOf(snippet);
  assert.ok(at >= 0, `not in the text: ${snippet}`);
  assert.equal(text.indexOf(snippet, at + 1), -1, `more than once in the text: ${snippet}`);
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** on lists the findings of `rule` on the snippet's line. */
function on(findings: LintFinding[], text: string, rule: string, snippet: string): LintFinding[] {
  const line = lineOf(text, snippet);
  return findings.filter((f) => f.rule === rule && f.line === line);
}

/** reported asserts that `rule` reports once on each snippet's line, and returns those findings. */
function reported(findings: LintFinding[], text: string, rule: string, snippets: string[]): LintFinding[] {
  return snippets.map((snippet) => {
    const found = on(findings, text, rule, snippet);
    assert.equal(found.length, 1, `expected one ${rule} finding on line ${lineOf(text, snippet)}: ${snippet}`);
    return found[0]!;
  });
}

/** silent asserts that `rule` reports nothing on each snippet's line. */
function silent(findings: LintFinding[], text: string, rule: string, snippets: string[]): void {
  for (const snippet of snippets) {
    assert.deepEqual(on(findings, text, rule, snippet).map(key), [], `expected no ${rule} finding on line ${lineOf(text, snippet)}: ${snippet}`);
  }
}

/** linesOf lists the lines `rule` reports on (between lines `from` and `to`, when given). */
function linesOf(findings: LintFinding[], rule: string, from = 0, to = Infinity): number[] {
  return findings.filter((f) => f.rule === rule && f.line >= from && f.line <= to).map((f) => f.line);
}

/** insertsAfter checks that a fix inserts `newText` at an offset that follows `before` in the text. */
function insertsAfter(text: string, f: LintFinding, title: string, before: string, newText: string): void {
  const fix = f.fixes.find((x) => x.title === title);
  assert.ok(fix, `no fix "${title}" on line ${f.line}: ${JSON.stringify(f.fixes)}`);
  assert.equal(fix.edits.length, 1);
  const edit = fix.edits[0]!;
  assert.equal(edit.start, edit.end);
  assert.equal(edit.newText, newText);
  assert.ok(edit.start > f.start - 1 && edit.start <= f.end + 200, 'the fix is not at its statement');
  assert.equal(text.slice(edit.start - before.length, edit.start), before);
}

describe('linting a large migration on two threads', function () {
  this.timeout(120_000);

  before(async () => {
    await loadParser();
  });

  after(() => {
    stopParseWorker();
  });

  it('a table created before the cut silences the rules about existing tables after it (qualified and not)', async () => {
    const silenced = {
      'require-concurrent-index-creation': [
        'CREATE INDEX "édge_ix" ON "édge_tbl" (v);',
        'CREATE INDEX "accöunts_email_ïx" ON "accöunts" (email);',
        'CREATE INDEX orders_status_ix ON app.orders (status);',
        'CREATE INDEX orders_total_ix ON orders (total);',
      ],
      'not-null-without-default': ['ALTER TABLE "accöunts" ADD COLUMN "flag_ü" int NOT NULL;'],
      'change-column-type': ['ALTER TABLE app.orders ALTER COLUMN total TYPE bigint;'],
      'constraint-missing-not-valid': [
        'ALTER TABLE orders ADD CONSTRAINT orders_owner_fk FOREIGN KEY (id) REFERENCES "accöunts" (id);',
        'ALTER TABLE "accöunts" ADD CONSTRAINT score_chk CHECK (score > 0);',
      ],
      'unique-constraint-missing-index': ['ALTER TABLE public."accöunts" ADD CONSTRAINT email_uq UNIQUE (email);'],
      'volatile-default': ['ALTER TABLE app.orders ADD COLUMN token float8 DEFAULT random();'],
      'set-not-null': ['ALTER TABLE "accöunts" ALTER COLUMN email SET NOT NULL;'],
      'drop-column': ['ALTER TABLE "accöunts" DROP COLUMN score;'],
      'rename-table-or-column': ['ALTER TABLE app.orders RENAME COLUMN status TO state;', 'ALTER TABLE "accöunts" RENAME TO "accöunts_v2";'],
    };
    const controls = {
      'require-concurrent-index-creation': ['CREATE INDEX "lëg_ix" ON "legacy_ē" (a);', 'CREATE INDEX other_orders_ix ON other.orders (total);'],
      'not-null-without-default': ['ALTER TABLE "legacy_ē" ADD COLUMN "flag_ü" int NOT NULL;'],
      'change-column-type': ['ALTER TABLE other.orders ALTER COLUMN total TYPE bigint;'],
      'constraint-missing-not-valid': [
        'ALTER TABLE "legacy_ē" ADD CONSTRAINT legacy_fk FOREIGN KEY (a) REFERENCES "accöunts" (id);',
        'ALTER TABLE "legacy_ē" ADD CONSTRAINT legacy_chk CHECK (a > 0);',
      ],
      'unique-constraint-missing-index': ['ALTER TABLE "legacy_ē" ADD CONSTRAINT legacy_uq UNIQUE (a);'],
      'volatile-default': ['ALTER TABLE "legacy_ē" ADD COLUMN token float8 DEFAULT random();'],
      'set-not-null': ['ALTER TABLE "legacy_ē" ALTER COLUMN email SET NOT NULL;'],
      'drop-column': ['ALTER TABLE "legacy_ē" DROP COLUMN score;'],
      'rename-table-or-column': ['ALTER TABLE "legacy_ē" RENAME COLUMN status TO state;', 'ALTER TABLE "legacy_ē2" RENAME TO "legacy_ē3";'],
    };
    const tail = [...Object.values(silenced).flat().slice(1), ...Object.values(controls).flat()];
    // The renames go last: the rules track created names, not renames.
    tail.sort((a, b) => Number(a.includes('RENAME')) - Number(b.includes('RENAME')));
    const up = section({
      head: 'CREATE TABLE "accöunts" (id bigint PRIMARY KEY, email text, score int, owner bigint);\nCREATE TABLE app.orders (id bigint PRIMARY KEY, total numeric, status text);\nCREATE INDEX "early_ix" ON "läter_tbl" (a);\n',
      edge: ['CREATE TABLE "édge_tbl" (id bigint, v text);', 'CREATE INDEX "édge_ix" ON "édge_tbl" (v);'],
      tail: ['CREATE TABLE "läter_tbl" (a int);', ...tail].map((s) => `${s}\n`).join(''),
    });
    const text = file({ up: up.text });
    const findings = await same(text, { file: FILE });
    for (const [rule, snippets] of Object.entries(silenced)) silent(findings, text, rule, snippets);
    for (const [rule, snippets] of Object.entries(controls)) reported(findings, text, rule, snippets);
    // The other way round: a table created after the cut does not count before it.
    reported(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "early_ix" ON "läter_tbl" (a);']);
    // Fixes of findings after the cut, at exact offsets in a text with multi-byte characters.
    const [index] = reported(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "lëg_ix" ON "legacy_ē" (a);']);
    insertsAfter(text, index!, 'Add CONCURRENTLY', 'CREATE INDEX', ' CONCURRENTLY');
    const [fk, check] = reported(findings, text, 'constraint-missing-not-valid', controls['constraint-missing-not-valid']);
    insertsAfter(text, fk!, 'Add NOT VALID', 'REFERENCES "accöunts" (id)', ' NOT VALID');
    insertsAfter(text, check!, 'Add NOT VALID', 'CHECK (a > 0)', ' NOT VALID');
  });

  it('a column added before the cut may be dropped or renamed after it', async () => {
    const up = section({
      head: 'ALTER TABLE "legacy_ē" ADD COLUMN "tëmp" int;\nALTER TABLE shop.items ADD COLUMN scratch text;\nALTER TABLE shop.items ADD COLUMN scrätch2 text;\n',
      edge: ['ALTER TABLE "legacy_ē" ADD COLUMN "édge_c" int;', 'ALTER TABLE "legacy_ē" DROP COLUMN "édge_c";'],
      tail: [
        'ALTER TABLE "legacy_ē" DROP COLUMN "tëmp";',
        'ALTER TABLE items DROP COLUMN scrätch2;',
        'ALTER TABLE "legacy_ē" DROP COLUMN "öld";',
        'ALTER TABLE other.items DROP COLUMN scrätch2;',
        'ALTER TABLE shop.items RENAME COLUMN scratch TO scratch_v2;',
        'ALTER TABLE "legacy_ē" RENAME COLUMN "öld2" TO "new2";',
        'ALTER TABLE other.items RENAME COLUMN scratch TO scratch_v3;',
        '',
      ].join('\n'),
    });
    const text = file({ up: up.text });
    const findings = await same(text, { file: FILE });
    silent(findings, text, 'drop-column', ['ALTER TABLE "legacy_ē" DROP COLUMN "édge_c";', 'ALTER TABLE "legacy_ē" DROP COLUMN "tëmp";', 'ALTER TABLE items DROP COLUMN scrätch2;']);
    reported(findings, text, 'drop-column', ['ALTER TABLE "legacy_ē" DROP COLUMN "öld";', 'ALTER TABLE other.items DROP COLUMN scrätch2;']);
    silent(findings, text, 'rename-table-or-column', ['ALTER TABLE shop.items RENAME COLUMN scratch TO scratch_v2;']);
    reported(findings, text, 'rename-table-or-column', ['ALTER TABLE "legacy_ē" RENAME COLUMN "öld2" TO "new2";', 'ALTER TABLE other.items RENAME COLUMN scratch TO scratch_v3;']);
  });

  it('an index or table created before the cut may be dropped after it', async () => {
    const up = section({
      head: [
        'CREATE INDEX CONCURRENTLY "ïx_head" ON "legacy_ē" (a);',
        'CREATE INDEX CONCURRENTLY ix_q ON shop.items (b);',
        'CREATE TABLE "scrätch" (id int);',
        'CREATE TABLE app.scratch2 (id int);',
        '',
      ].join('\n'),
      edge: ['CREATE INDEX CONCURRENTLY "édge_ix" ON "legacy_ē" (e);', 'DROP INDEX "édge_ix";'],
      tail: [
        'DROP INDEX "ïx_head";',
        'DROP INDEX shop.ix_q;',
        'DROP INDEX "ïx_other";',
        'DROP INDEX other.ix_q;',
        'DROP INDEX ix_q, "ïx_other2";',
        'DROP TABLE "scrätch";',
        'DROP TABLE scratch2;',
        'DROP TABLE "legacy_ē2";',
        'DROP TABLE app.scratch2, "legacy_ē3";',
        '',
      ].join('\n'),
    });
    const text = file({ up: up.text });
    const findings = await same(text, { file: FILE });
    silent(findings, text, 'require-concurrent-index-deletion', ['DROP INDEX "édge_ix";', 'DROP INDEX "ïx_head";', 'DROP INDEX shop.ix_q;']);
    const [other] = reported(findings, text, 'require-concurrent-index-deletion', ['DROP INDEX "ïx_other";', 'DROP INDEX other.ix_q;', 'DROP INDEX ix_q, "ïx_other2";']);
    insertsAfter(text, other!, 'Add CONCURRENTLY', 'DROP INDEX', ' CONCURRENTLY');
    silent(findings, text, 'drop-table', ['DROP TABLE "scrätch";', 'DROP TABLE scratch2;']);
    reported(findings, text, 'drop-table', ['DROP TABLE "legacy_ē2";']);
    const [mixed] = reported(findings, text, 'drop-table', ['DROP TABLE app.scratch2, "legacy_ē3";']);
    assert.match(mixed!.message, /^DROP TABLE legacy_ē3 deletes/);
  });

  it('a CHECK (column IS NOT NULL) added before the cut silences SET NOT NULL after it', async () => {
    const up = section({
      head: 'ALTER TABLE "legacy_ē" ADD CONSTRAINT nn_chk CHECK ("nöte" IS NOT NULL) NOT VALID;\nALTER TABLE app.t2 ADD CONSTRAINT t2_chk CHECK (c IS NOT NULL) NOT VALID;\n',
      edge: ['ALTER TABLE "legacy_ē" ADD CONSTRAINT "édge_chk" CHECK ("édge_c" IS NOT NULL) NOT VALID;', 'ALTER TABLE "legacy_ē" ALTER COLUMN "édge_c" SET NOT NULL;'],
      tail: [
        'ALTER TABLE "legacy_ē" ALTER COLUMN "nöte" SET NOT NULL;',
        'ALTER TABLE t2 ALTER COLUMN c SET NOT NULL;',
        'ALTER TABLE "legacy_ē" ALTER COLUMN "öther" SET NOT NULL;',
        'ALTER TABLE t3 ALTER COLUMN c SET NOT NULL;',
        'ALTER TABLE t3 ADD CONSTRAINT t3_chk CHECK (c IS NOT NULL) NOT VALID;',
        '',
      ].join('\n'),
    });
    const text = file({ up: up.text });
    const findings = await same(text, { file: FILE });
    silent(findings, text, 'set-not-null', [
      'ALTER TABLE "legacy_ē" ALTER COLUMN "édge_c" SET NOT NULL;',
      'ALTER TABLE "legacy_ē" ALTER COLUMN "nöte" SET NOT NULL;',
      'ALTER TABLE t2 ALTER COLUMN c SET NOT NULL;',
    ]);
    // A check added after the SET NOT NULL does not count.
    reported(findings, text, 'set-not-null', ['ALTER TABLE "legacy_ē" ALTER COLUMN "öther" SET NOT NULL;', 'ALTER TABLE t3 ALTER COLUMN c SET NOT NULL;']);
    silent(findings, text, 'constraint-missing-not-valid', ['ALTER TABLE "legacy_ē" ADD CONSTRAINT nn_chk CHECK ("nöte" IS NOT NULL) NOT VALID;']);
  });

  describe('the file’s own BEGIN before the cut, CONCURRENTLY after it', () => {
    const cic = ['CREATE INDEX CONCURRENTLY "édge_cic" ON "legacy_ē" (e);', 'CREATE INDEX CONCURRENTLY "tail_cic" ON "legacy_ē" (t);', 'DROP INDEX CONCURRENTLY "tail_dic";', 'CREATE INDEX CONCURRENTLY "hëad_cic" ON "hëad_tbl" (id);'];
    const plan = (eol: '\n' | '\r\n'): Plan => ({
      eol,
      head: 'BEGIN; -- ôpen\nCREATE TABLE "hëad_tbl" (id int);\n',
      edge: [`SELECT 'édge ✂ 🎉';`, cic[0]!],
      tail: cic.slice(1).map((s) => `${s}\n`).join(''),
      end: 'COMMIT; -- clöse\nCREATE INDEX CONCURRENTLY "after_cic" ON "legacy_ē" (z);\n',
    });

    it('is reported as a warning naming the BEGIN’s line, with a fix that removes BEGIN and COMMIT (CRLF)', async () => {
      const text = file({ up: section(plan('\r\n')).text, eol: '\r\n' });
      const findings = await same(text, { file: FILE });
      const begin = lineOf(text, 'BEGIN; -- ôpen');
      for (const f of reported(findings, text, 'concurrently-in-transaction', cic)) {
        assert.equal(f.severity, 'warning');
        assert.match(f.message, new RegExp(`the BEGIN on line ${begin} opens one$`));
        assert.deepEqual(
          f.fixes.map((x) => x.edits.map((e) => text.slice(e.start, e.end))),
          [['BEGIN;', 'COMMIT;']],
        );
      }
      silent(findings, text, 'concurrently-in-transaction', ['CREATE INDEX CONCURRENTLY "after_cic" ON "legacy_ē" (z);']);
      reported(findings, text, 'transaction-control', ['BEGIN; -- ôpen', 'COMMIT; -- clöse']);
    });

    it('is an error under strata:no-transaction', async () => {
      const text = file({ up: section(plan('\n')).text, header: `${HEADER}-- strata:no-transaction\n` });
      const findings = await same(text, { file: FILE });
      const begin = lineOf(text, 'BEGIN; -- ôpen');
      for (const f of reported(findings, text, 'concurrently-in-transaction', cic)) {
        assert.equal(f.severity, 'error');
        assert.match(f.message, new RegExp(`the BEGIN on line ${begin} opens one$`));
      }
      silent(findings, text, 'concurrently-in-transaction', ['CREATE INDEX CONCURRENTLY "after_cic" ON "legacy_ē" (z);']);
      assert.deepEqual(linesOf(findings, 'transaction-control'), []);
    });

    it('is not reported when the COMMIT comes before the cut (here: right before it)', async () => {
      const up = section({ ...plan('\n'), edge: ['COMMIT; -- clöse', cic[0]!], end: 'CREATE INDEX CONCURRENTLY "after_cic" ON "legacy_ē" (z);\n' });
      const text = file({ up: up.text });
      const findings = await same(text, { file: FILE });
      assert.deepEqual(linesOf(findings, 'concurrently-in-transaction'), []);
      reported(findings, text, 'transaction-control', ['BEGIN; -- ôpen', 'COMMIT; -- clöse']);
    });

    it('is reported when the BEGIN is the last statement before the cut', async () => {
      const up = section({ ...plan('\n'), head: 'CREATE TABLE "hëad_tbl" (id int);\n', edge: ['BEGIN; -- édge', cic[0]!] });
      const text = file({ up: up.text });
      const findings = await same(text, { file: FILE });
      const begin = lineOf(text, 'BEGIN; -- édge');
      for (const f of reported(findings, text, 'concurrently-in-transaction', cic)) assert.match(f.message, new RegExp(`the BEGIN on line ${begin} opens one$`));
      silent(findings, text, 'concurrently-in-transaction', ['CREATE INDEX CONCURRENTLY "after_cic" ON "legacy_ē" (z);']);
    });
  });

  describe('guard-create: the DROP ... IF EXISTS just before a CREATE POLICY', () => {
    const tail = [
      'DROP POLICY IF EXISTS p_tail ON "legacy_ē";',
      'CREATE POLICY p_tail ON "legacy_ē" USING (true);',
      'CREATE POLICY p_ctl ON "legacy_ē" USING (true);',
      'DROP TRIGGER IF EXISTS trg_c ON "legacy_ē";',
      'CREATE CONSTRAINT TRIGGER trg_c AFTER INSERT ON "legacy_ē" FOR EACH ROW EXECUTE FUNCTION f();',
      '',
    ].join('\n');

    it('is the last statement before the cut: the CREATE POLICY first after it is not reported', async () => {
      const edge: [string, string] = ['DROP POLICY IF EXISTS "p_édge" ON "legacy_ē";', 'CREATE POLICY "p_édge" ON "legacy_ē" USING (true);'];
      const text = file({ up: section({ edge, tail }).text });
      const findings = await same(text, { file: FILE });
      silent(findings, text, 'guard-create', [edge[1], 'CREATE POLICY p_tail ON "legacy_ē" USING (true);', 'CREATE CONSTRAINT TRIGGER trg_c']);
      const [control] = reported(findings, text, 'guard-create', ['CREATE POLICY p_ctl ON "legacy_ē" USING (true);']);
      assert.deepEqual(
        control!.fixes.map((f) => [f.title, f.preferred]),
        [
          ['Drop the policy first if it exists', true],
          ['Guard with a DO block that ignores duplicate_object', false],
        ],
      );
      assert.equal(control!.fixes[0]!.edits[0]!.newText, 'DROP POLICY IF EXISTS p_ctl ON "legacy_ē";\n');
    });

    it('drops another policy: the CREATE POLICY first after the cut is reported', async () => {
      const edge: [string, string] = ['DROP POLICY IF EXISTS "p_öther" ON "legacy_ē";', 'CREATE POLICY "p_édge" ON "legacy_ē" USING (true);'];
      const text = file({ up: section({ edge, tail }).text });
      const findings = await same(text, { file: FILE });
      reported(findings, text, 'guard-create', [edge[1], 'CREATE POLICY p_ctl ON "legacy_ē" USING (true);']);
      silent(findings, text, 'guard-create', ['CREATE POLICY p_tail ON "legacy_ē" USING (true);']);
    });
  });

  it('incomplete-down: what UP creates on both sides of the cut, and drops or takes along after it', async () => {
    const up = section({
      filler: quiet,
      head: [
        'CREATE TABLE "kēep" (id bigint PRIMARY KEY, a int);',
        'CREATE TYPE "möod" AS ENUM (\'ok\', \'sad\');',
        'CREATE INDEX CONCURRENTLY "ïx_head" ON "legacy_ē" (a);',
        'CREATE TABLE "tëmp" (id int);',
        'ALTER TABLE "legacy_ē" ADD COLUMN "c_head" int;',
        '',
      ].join('\n'),
      edge: ['CREATE TABLE "édge_tbl" (id int);', 'CREATE INDEX CONCURRENTLY "édge_ix" ON "édge_tbl" (id);'],
      tail: [
        'CREATE INDEX CONCURRENTLY "ïx_on_kēep" ON "kēep" (a);',
        'CREATE TABLE "tail_ü" (id int);',
        'CREATE FUNCTION "fünc"() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
        'CREATE INDEX CONCURRENTLY "ïx_tail" ON "legacy_ē" (b);',
        'ALTER TABLE "legacy_ē" ADD COLUMN "c_tail" int;',
        'DROP TABLE "tëmp";',
        'ALTER TABLE "legacy_ē" DROP COLUMN "c_head";',
        '',
      ].join('\n'),
    });
    const text = file({ up: up.text, down: 'DROP INDEX IF EXISTS "ïx_tail";\nDROP TABLE IF EXISTS "kēep";\n' });
    const findings = await same(text, { file: FILE });
    const left = ['CREATE TYPE "möod"', 'CREATE INDEX CONCURRENTLY "ïx_head"', 'CREATE TABLE "édge_tbl"', 'CREATE TABLE "tail_ü"', 'CREATE FUNCTION "fünc"', 'ADD COLUMN "c_tail"'];
    assert.deepEqual(linesOf(findings, 'incomplete-down'), left.map((s) => lineOf(text, s)));
    for (const f of reported(findings, text, 'incomplete-down', left)) {
      assert.equal(f.fixes.length, 1);
      assert.equal(f.fixes[0]!.edits[0]!.start, text.length);
    }
    // Dropped in UP after the cut, so neither reported by drop-table / drop-column nor left behind.
    silent(findings, text, 'drop-table', ['DROP TABLE "tëmp";']);
    silent(findings, text, 'drop-column', ['ALTER TABLE "legacy_ē" DROP COLUMN "c_head";']);
  });

  it('ignore comments after the cut, whose use depends on facts before it, with severities set', async () => {
    const edgeIgnore = '-- strata-ignore require-concurrent-index-creation -- édge';
    const up = section({
      head: 'CREATE TABLE "hëad_tbl" (id bigint, v text);\nCREATE TABLE "hëad_tbl2" (id bigint);\n',
      edge: ['CREATE TABLE "édge_tbl" (id int, v text);', `${edgeIgnore}\nCREATE INDEX "édge_ix" ON "édge_tbl" (v);`],
      tail: [
        '-- strata-ignore require-concurrent-index-creation -- used',
        'CREATE INDEX "lëg_ix" ON "legacy_ē" (v);',
        '-- strata-ignore require-concurrent-index-creation -- unused',
        'CREATE INDEX "hëad_ix" ON "hëad_tbl" (v);',
        '-- strata-ignore drop-table -- unused',
        'DROP TABLE "hëad_tbl2";',
        '-- strata-ignore drop-table -- used',
        'DROP TABLE "legacy_x";',
        'DROP TABLE "legacy_y";',
        'CREATE INDEX "lëg_ix2" ON "legacy_ē" (w);',
        '-- strata-ignore safety -- unused',
        'ALTER TABLE "hëad_tbl" ADD CONSTRAINT h_uq UNIQUE (v);',
        'ALTER TABLE "legacy_ē" ADD COLUMN "nn_ü" int NOT NULL;',
        'ALTER TABLE "hëad_tbl" ADD COLUMN tok float8 DEFAULT random();',
        '',
      ].join('\n'),
    });
    const header = `${HEADER}-- strata-ignore-file not-null-without-default\n-- strata-ignore-file volatile-default\n`;
    const text = file({ up: up.text, header, bom: true });
    const severities = { 'drop-table': 'error', safety: 'info' } as const;
    const findings = await same(text, { file: FILE, severities });
    reported(findings, text, 'unused-ignore', [
      edgeIgnore,
      '-- strata-ignore require-concurrent-index-creation -- unused',
      '-- strata-ignore drop-table -- unused',
      '-- strata-ignore safety -- unused',
      '-- strata-ignore-file volatile-default',
    ]);
    silent(findings, text, 'unused-ignore', [
      '-- strata-ignore require-concurrent-index-creation -- used',
      '-- strata-ignore drop-table -- used',
      '-- strata-ignore-file not-null-without-default',
    ]);
    silent(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "édge_ix"', 'CREATE INDEX "lëg_ix" ON', 'CREATE INDEX "hëad_ix"']);
    silent(findings, text, 'drop-table', ['DROP TABLE "hëad_tbl2";', 'DROP TABLE "legacy_x";']);
    silent(findings, text, 'not-null-without-default', ['ADD COLUMN "nn_ü" int NOT NULL']);
    assert.equal(reported(findings, text, 'drop-table', ['DROP TABLE "legacy_y";'])[0]!.severity, 'error');
    assert.equal(reported(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "lëg_ix2"'])[0]!.severity, 'info');
    const [unused] = reported(findings, text, 'unused-ignore', ['-- strata-ignore drop-table -- unused']);
    assert.equal(unused!.severity, 'warning');
    const removal = unused!.fixes[0]!.edits[0]!;
    assert.equal(text.slice(removal.start, removal.end), '-- strata-ignore drop-table -- unused\n');
  });

  describe('require-lock-timeout (opt-in)', () => {
    const plan = (head: string, edge?: [string, string]): Plan => ({
      filler: quiet,
      head: `${head}CREATE TABLE "hëad_tbl" (id int, v text);\nCREATE INDEX "hëad_ix" ON "hëad_tbl" (v);\n`,
      edge: edge ?? ['CREATE TABLE "édge_tbl" (id int);', 'ALTER TABLE "édge_tbl" ADD COLUMN v int;'],
      tail: 'CREATE INDEX "hëad_ix2" ON "hëad_tbl" (v);\nALTER TABLE "hëad_tbl" ADD COLUMN w int;\nALTER TABLE "legacy_ē" ADD COLUMN w int;\nDROP TABLE "legacy_x";\n',
    });
    const down = 'ALTER TABLE "legacy_ē" DROP COLUMN w;\n';
    const options = { file: FILE, optIn: ['require-lock-timeout'] };

    it('SET lock_timeout before the cut covers the lock-heavy statements after it (in its section only)', async () => {
      const text = file({ up: section(plan("SET lock_timeout = '5s';\n")).text, down });
      const findings = await same(text, options);
      assert.deepEqual(linesOf(findings, 'require-lock-timeout'), [lineOf(text, down.trim())]);
    });

    it('SET lock_timeout as the last statement before the cut covers the first after it', async () => {
      const text = file({ up: section(plan('', ["SET lock_timeout = '5s';", 'ALTER TABLE "legacy_ē" ADD COLUMN e int;'])).text, down });
      const findings = await same(text, options);
      assert.deepEqual(linesOf(findings, 'require-lock-timeout'), [lineOf(text, down.trim())]);
    });

    it('without it, the first lock-heavy statement is reported, once per section: not those on tables created before the cut', async () => {
      const text = file({ up: section(plan('')).text, down });
      const findings = await same(text, options);
      const first = 'ALTER TABLE "legacy_ē" ADD COLUMN w int;';
      assert.deepEqual(linesOf(findings, 'require-lock-timeout'), [lineOf(text, first), lineOf(text, down.trim())]);
      const [f] = reported(findings, text, 'require-lock-timeout', [first]);
      assert.deepEqual(f!.fixes[0]!.edits, [{ start: text.indexOf(first), end: text.indexOf(first), newText: "SET lock_timeout = '5s';\n" }]);
    });
  });

  it('a large DOWN section: facts of DOWN before its cut count after it, UP’s do not', async () => {
    const up = 'CREATE TABLE "up_tbl" (id int, w2 int);\nALTER TABLE "legacy_ē" ADD CONSTRAINT up_chk CHECK (w2 IS NOT NULL) NOT VALID;\nBEGIN; -- ûp\n';
    const down = section({
      head: [
        'BEGIN; -- dōwn',
        'CREATE TABLE "down_tbl" (id int, v text);',
        'CREATE INDEX CONCURRENTLY "down_ix" ON "legacy_ē" (v);',
        'ALTER TABLE "legacy_ē" ADD CONSTRAINT dn_chk CHECK (w IS NOT NULL) NOT VALID;',
        '',
      ].join('\n'),
      edge: ['DROP POLICY IF EXISTS "p_dn" ON "legacy_ē";', 'CREATE POLICY "p_dn" ON "legacy_ē" USING (true);'],
      tail: [
        'CREATE INDEX "down_tbl_ix" ON "down_tbl" (v);',
        'CREATE INDEX "up_tbl_ix" ON "up_tbl" (id);',
        'DROP INDEX "down_ix";',
        'ALTER TABLE "legacy_ē" ALTER COLUMN w SET NOT NULL;',
        'ALTER TABLE "legacy_ē" ALTER COLUMN w2 SET NOT NULL;',
        'ALTER TABLE "down_tbl" ADD COLUMN n int NOT NULL;',
        'CREATE INDEX CONCURRENTLY "dn_cic" ON "legacy_ē" (z);',
        '',
      ].join('\n'),
      end: 'COMMIT;\n',
    });
    const text = file({ up, down: down.text });
    const findings = await same(text, { file: FILE });
    silent(findings, text, 'guard-create', ['CREATE POLICY "p_dn"']);
    silent(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "down_tbl_ix"']);
    reported(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "up_tbl_ix"']);
    silent(findings, text, 'require-concurrent-index-deletion', ['DROP INDEX "down_ix";']);
    silent(findings, text, 'set-not-null', ['ALTER COLUMN w SET NOT NULL']);
    reported(findings, text, 'set-not-null', ['ALTER COLUMN w2 SET NOT NULL']);
    silent(findings, text, 'not-null-without-default', ['ALTER TABLE "down_tbl" ADD COLUMN n int NOT NULL;']);
    const [cic] = reported(findings, text, 'concurrently-in-transaction', ['CREATE INDEX CONCURRENTLY "dn_cic"']);
    assert.match(cic!.message, new RegExp(`the BEGIN on line ${lineOf(text, 'BEGIN; -- dōwn')} opens one$`));
    assert.deepEqual(
      cic!.fixes[0]!.edits.map((e) => text.slice(e.start, e.end)),
      ['BEGIN;', 'COMMIT;\n'],
    );
  });

  it('an .up.sql file and its .down.sql, both large, with downFile', async () => {
    const up = section({
      filler: quiet,
      head: 'CREATE TABLE "pair_a" (id int);\nCREATE TYPE "pair_möod" AS ENUM (\'x\');\n',
      edge: ['CREATE TABLE "pair_édge" (id int);', 'CREATE INDEX "pair_édge_ix" ON "pair_édge" (id);'],
      tail: 'CREATE INDEX "pair_a_ix" ON "pair_a" (id);\nCREATE TABLE "pair_b" (id int);\nCREATE INDEX CONCURRENTLY "pair_ix" ON "legacy_ē" (x);\nCREATE INDEX "pair_lëg_ix" ON "legacy_ē" (y);\n',
    });
    const downFile = section({
      head: 'DROP INDEX CONCURRENTLY IF EXISTS "pair_ix";\n',
      edge: ['DROP TABLE IF EXISTS "pair_b";', 'DROP TYPE IF EXISTS "pair_möod";'],
      tail: 'DROP INDEX IF EXISTS "pair_lëg_ix";\n',
    });
    const text = up.text;
    const split = splitSections(text, FILE_UP);
    assert.ok(split.ok && split.up.text === text && split.down === null);
    const findings = await same(text, { file: FILE_UP, downFile: { text: downFile.text } }, 2);
    silent(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "pair_édge_ix"', 'CREATE INDEX "pair_a_ix"']);
    reported(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "pair_lëg_ix"']);
    const left = ['CREATE TABLE "pair_a"', 'CREATE TABLE "pair_édge"'];
    assert.deepEqual(linesOf(findings, 'incomplete-down'), left.map((s) => lineOf(text, s)));
    for (const f of reported(findings, text, 'incomplete-down', left)) {
      assert.match(f.help, /\(in the \.down\.sql file\)$/);
      assert.deepEqual(f.fixes, []);
    }
  });

  describe('syntax errors', () => {
    it('in the part after the cut, with statements after them that depend on facts before the cut', async () => {
      const up = section({
        head: 'CREATE TABLE "hëad_tbl" (id int, v text);\n',
        edge: ['CREATE TABLE "édge_tbl" (id int);', 'CREATE TABLE "bröken_édge" (id int,);'],
        tail: [
          'CREATE INDEX "édge_ix" ON "édge_tbl" (id);',
          'CREATE TABLE "bröken" (id int,);',
          'CREATE INDEX "hëad_ix" ON "hëad_tbl" (v);',
          'ALTER TABLE x ADD COLUMN;',
          'ALTER TABLE "hëad_tbl" ADD COLUMN n int NOT NULL;',
          'CREATE INDEX "lëg_ix" ON "legacy_ē" (v);',
          '',
        ].join('\n'),
      });
      const text = file({ up: up.text });
      const findings = await same(text, { file: FILE });
      reported(findings, text, 'syntax-error', ['CREATE TABLE "bröken_édge" (id int,);', 'CREATE TABLE "bröken" (id int,);', 'ALTER TABLE x ADD COLUMN;']);
      assert.equal(linesOf(findings, 'syntax-error').length, 3);
      silent(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "édge_ix"', 'CREATE INDEX "hëad_ix"']);
      silent(findings, text, 'not-null-without-default', ['ALTER TABLE "hëad_tbl" ADD COLUMN n int NOT NULL;']);
      reported(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "lëg_ix"']);
    });

    it('in the part before the cut (the whole section is then parsed on this thread)', async () => {
      const up = section({
        head: 'CREATE TABLE "hëad_tbl" (id int, v text);\nCREATE TABLE "bröken" (id int,);\n',
        edge: ['CREATE TABLE "édge_tbl" (id int);', 'CREATE INDEX "édge_ix" ON "édge_tbl" (id);'],
        tail: 'CREATE INDEX "hëad_ix" ON "hëad_tbl" (v);\nCREATE INDEX "lëg_ix" ON "legacy_ē" (v);\n',
      });
      const text = file({ up: up.text });
      const findings = await same(text, { file: FILE });
      reported(findings, text, 'syntax-error', ['CREATE TABLE "bröken" (id int,);']);
      silent(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "édge_ix"', 'CREATE INDEX "hëad_ix"']);
      reported(findings, text, 'require-concurrent-index-creation', ['CREATE INDEX "lëg_ix"']);
    });
  });
});
