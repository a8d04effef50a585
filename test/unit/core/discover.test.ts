import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checksumOf } from '../../../src/core/checksum';
import { discoverMigrations, forgetReads } from '../../../src/core/discover';
import { StrataError } from '../../../src/core/errors';
import type { FileProblem, MigrationSet } from '../../../src/core/types';

describe('discoverMigrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'strata-discover-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** write creates files in the temp folder. */
  function write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  }

  /** problemsOf lists problems as "basename kind" for compact assertions. */
  function problemsOf(set: MigrationSet): string[] {
    return set.problems.map((p) => `${path.basename(p.file)} ${p.kind}`);
  }

  /** problemFor finds the problem about one file. */
  function problemFor(set: MigrationSet, name: string): FileProblem {
    const found = set.problems.find((p) => path.basename(p.file) === name);
    assert.ok(found, `no problem for ${name}`);
    return found;
  }

  it('builds migrations from single files, in numeric version order', async () => {
    write({
      '10_third.sql': 'SELECT 10;',
      '2_second.sql': 'SELECT 2;',
      '001_first-one.sql': '-- UP\nCREATE TABLE a (id int);\n-- DOWN\nDROP TABLE a;\n',
    });
    const set = await discoverMigrations(dir);
    assert.equal(set.dir, dir);
    assert.deepEqual(set.migrations.map((m) => m.version), ['001', '2', '10']);
    assert.deepEqual(set.problems, []);
    const first = set.migrations[0]!;
    assert.equal(first.name, 'first-one');
    assert.equal(first.description, 'first one');
    assert.equal(first.scheme, 'sequence');
    assert.equal(first.file, path.join(dir, '001_first-one.sql'));
    assert.equal(first.downFile, null);
    assert.equal(first.up.text, 'CREATE TABLE a (id int);\n');
    assert.equal(first.up.file, first.file);
    assert.equal(first.down?.text, 'DROP TABLE a;\n');
    assert.equal(first.checksum, checksumOf('CREATE TABLE a (id int);\n'));
    assert.equal(set.migrations[1]!.down, null);
  });

  it('takes the description from the header, and the scheme from the version length', async () => {
    write({ '20240115120000_add_user_indexes.sql': '-- Migration: Add user indexes\n-- UP strata:no-transaction\nSELECT 1;\n' });
    const [migration] = (await discoverMigrations(dir)).migrations;
    assert.equal(migration?.description, 'Add user indexes');
    assert.equal(migration?.scheme, 'timestamp');
    assert.equal(migration?.noTransaction, true);
  });

  it('pairs .up.sql with .down.sql of the same version and name', async () => {
    write({
      '004_add_usage_tracking.up.sql': 'CREATE TABLE usage (id int);\n',
      '004_add_usage_tracking.down.sql': '-- undo\nDROP TABLE usage;\n',
      '005_forward_only.up.sql': 'SELECT 5;\n',
    });
    const set = await discoverMigrations(dir);
    assert.deepEqual(set.problems, []);
    const [pair, forward] = set.migrations;
    assert.equal(pair?.file, path.join(dir, '004_add_usage_tracking.up.sql'));
    assert.equal(pair?.downFile, path.join(dir, '004_add_usage_tracking.down.sql'));
    assert.equal(pair?.up.text, 'CREATE TABLE usage (id int);\n');
    assert.deepEqual(pair?.down, { file: pair?.downFile, text: '-- undo\nDROP TABLE usage;\n', offset: 0, line: 1, column: 1, markerLine: null });
    assert.equal(pair?.description, 'add usage tracking');
    assert.equal(forward?.downFile, null);
    assert.equal(forward?.down, null);
  });

  it('reads a DOWN marker in a .down.sql file, and treats a comments-only down file as no DOWN', async () => {
    write({
      '001_a.up.sql': 'SELECT 1;',
      '001_a.down.sql': '-- migrate:down\nSELECT 2;\n',
      '002_b.up.sql': 'SELECT 1;',
      '002_b.down.sql': '-- nothing to undo\n\n',
    });
    const [a, b] = (await discoverMigrations(dir)).migrations;
    assert.equal(a?.down?.text, 'SELECT 2;\n');
    assert.equal(a?.down?.line, 2);
    assert.equal(b?.downFile, path.join(dir, '002_b.down.sql'));
    assert.equal(b?.down, null);
  });

  it('reports a DOWN marker in an .up.sql file and an UP marker in a .down.sql file', async () => {
    write({
      '001_a.up.sql': 'SELECT 1;\n-- DOWN\nSELECT 2;\n',
      '001_a.down.sql': 'SELECT 2;\n',
      '002_b.up.sql': 'SELECT 1;\n',
      '002_b.down.sql': '-- UP\nSELECT 2;\n',
    });
    const set = await discoverMigrations(dir);
    assert.deepEqual(set.migrations, []);
    assert.equal(problemFor(set, '001_a.up.sql').kind, 'bad-sections');
    assert.equal(problemFor(set, '001_a.up.sql').line, 2);
    assert.equal(problemFor(set, '002_b.down.sql').kind, 'bad-sections');
    assert.equal(problemFor(set, '002_b.down.sql').line, 1);
  });

  it('reports a .down.sql without its .up.sql as an orphan', async () => {
    write({ '003_gone.down.sql': 'DROP TABLE x;', '004_x.up.sql': 'SELECT 1;', '004_y.down.sql': 'SELECT 2;' });
    const set = await discoverMigrations(dir);
    assert.deepEqual(problemsOf(set), ['003_gone.down.sql orphan-down', '004_y.down.sql orphan-down']);
    assert.match(problemFor(set, '003_gone.down.sql').message, /003_gone\.up\.sql/);
    assert.deepEqual(set.migrations.map((m) => m.version), ['004']);
    assert.equal(set.migrations[0]!.down, null);
  });

  it('reports files with other names, saying which names are accepted', async () => {
    write({ 'init.sql': 'SELECT 1;', 'V2_flyway.sql': 'SELECT 2;', '001_ok.sql': 'SELECT 1;', 'README.md': '# notes', 'seed.json': '{}' });
    const set = await discoverMigrations(dir);
    assert.deepEqual(problemsOf(set), ['V2_flyway.sql bad-name', 'init.sql bad-name']);
    const problem = problemFor(set, 'init.sql');
    assert.match(problem.message, /init\.sql is not a migration file name/);
    assert.match(problem.message, /20240115120000/);
    assert.match(problem.message, /\.up\.sql/);
    assert.equal(problem.version, null);
    assert.deepEqual(set.migrations.map((m) => m.version), ['001']);
  });

  it('ignores subfolders, even ones named like migrations', async () => {
    mkdirSync(path.join(dir, 'archive'));
    mkdirSync(path.join(dir, '002_folder.sql'));
    write({ 'archive/001_old.sql': 'SELECT 1;', '003_real.sql': 'SELECT 3;' });
    const set = await discoverMigrations(dir);
    assert.deepEqual(set.problems, []);
    assert.deepEqual(set.migrations.map((m) => m.version), ['003']);
  });

  it('reports numerically equal versions on every file, and makes none of them a migration', async () => {
    write({ '001_a.sql': 'SELECT 1;', '1_b.sql': 'SELECT 1;', '002_c.sql': 'SELECT 2;', '002_d.up.sql': 'SELECT 2;', '002_d.down.sql': 'SELECT 2;', '003_e.sql': 'SELECT 3;' });
    const set = await discoverMigrations(dir);
    assert.deepEqual(problemsOf(set), [
      '001_a.sql duplicate-version', '002_c.sql duplicate-version', '002_d.down.sql duplicate-version',
      '002_d.up.sql duplicate-version', '1_b.sql duplicate-version',
    ]);
    assert.match(problemFor(set, '001_a.sql').message, /1_b\.sql/);
    assert.match(problemFor(set, '1_b.sql').message, /001_a\.sql/);
    assert.equal(problemFor(set, '002_d.up.sql').message, 'version 002 is also used by 002_c.sql; each version must belong to one migration');
    assert.equal(problemFor(set, '1_b.sql').version, '1');
    assert.deepEqual(set.migrations.map((m) => m.version), ['003']);
  });

  it('reports same-version files with the same digits', async () => {
    write({ '001_a.sql': 'SELECT 1;', '001_b.sql': 'SELECT 1;' });
    const set = await discoverMigrations(dir);
    assert.deepEqual(problemsOf(set), ['001_a.sql duplicate-version', '001_b.sql duplicate-version']);
    assert.deepEqual(set.migrations, []);
  });

  it('reports unreadable section markers with their line', async () => {
    write({ '001_a.sql': '-- UP\nSELECT 1;\n-- UP\nSELECT 2;\n' });
    const set = await discoverMigrations(dir);
    const problem = problemFor(set, '001_a.sql');
    assert.equal(problem.kind, 'bad-sections');
    assert.equal(problem.line, 3);
    assert.equal(problem.version, '001');
    assert.match(problem.message, /001_a\.sql: two UP markers/);
  });

  it('reports a file it cannot read', async () => {
    symlinkSync(path.join(dir, 'nowhere.sql'), path.join(dir, '001_broken.sql'));
    const set = await discoverMigrations(dir);
    assert.deepEqual(problemsOf(set), ['001_broken.sql unreadable']);
    assert.match(set.problems[0]!.message, /ENOENT/);
  });

  it('gives CRLF, CR and BOM files the checksum of their LF version, with positions in the file as written', async () => {
    const lf = '-- UP\nCREATE TABLE a (id int);\n-- DOWN\nDROP TABLE a;\n';
    write({ '001_lf.sql': lf, '002_crlf.sql': lf.replace(/\n/g, '\r\n'), '003_cr.sql': lf.replace(/\n/g, '\r'), '004_bom.sql': `\uFEFF${lf}` });
    const set = await discoverMigrations(dir);
    assert.equal(new Set(set.migrations.map((m) => m.checksum)).size, 1);
    const crlf = set.migrations[1]!;
    assert.equal(crlf.up.text, 'CREATE TABLE a (id int);\r\n');
    assert.deepEqual([crlf.down?.offset, crlf.down?.line, crlf.down?.markerLine], [42, 4, 3]);
    assert.deepEqual([set.migrations[3]!.up.offset, set.migrations[3]!.up.line], [6, 2]);
  });

  it('reads large files whole', async () => {
    const big = `-- UP\n${'SELECT 1;\n'.repeat(20_000)}-- DOWN\nSELECT 2;\n`;
    write({ '001_big.sql': big });
    const [migration] = (await discoverMigrations(dir)).migrations;
    assert.equal(migration?.up.text.length, 200_000);
    assert.equal(migration?.down?.text, 'SELECT 2;\n');
  });

  it('throws migrations-dir-missing naming a folder that does not exist', async () => {
    const missing = path.join(dir, 'nope');
    await assert.rejects(discoverMigrations(missing), (error: unknown) => {
      assert.ok(error instanceof StrataError);
      assert.equal(error.code, 'migrations-dir-missing');
      assert.ok(error.message.includes(missing));
      return true;
    });
  });

  it('reads 10,000 files (how fast is measured by npm run bench, status10k)', async function () {
    this.timeout(60_000);
    for (let i = 0; i < 10_000; i++) {
      writeFileSync(path.join(dir, `${20240101000000 + i}_m${i}.sql`), `-- Migration: m${i}\n-- UP\nCREATE TABLE t${i} (id int);\n-- DOWN\nDROP TABLE t${i};\n`);
    }
    const set = await discoverMigrations(dir);
    assert.equal(set.migrations.length, 10_000);
    assert.equal(set.migrations[9_999]?.up.text, 'CREATE TABLE t9999 (id int);\n');
  });

  describe('refreshing a folder', () => {
    const old = new Date(Date.now() - 60_000);
    function writeOld(name: string, text: string): void {
      writeFileSync(path.join(dir, name), text);
      utimesSync(path.join(dir, name), old, old);
    }

    it('reuses the read of a file that has not changed since the last discovery', async () => {
      writeOld('001_a.sql', '-- UP\nSELECT 1;\n');
      const first = await discoverMigrations(dir);
      const second = await discoverMigrations(dir);
      assert.equal(second.migrations[0]?.up, first.migrations[0]?.up, 'the same parsed section, not a new read');
      assert.equal(second.migrations[0]?.checksum, checksumOf('SELECT 1;\n'));
    });

    it('reads again a file edited to the same size with its mtime put back (the ctime changed)', async () => {
      writeOld('001_a.sql', '-- UP\nSELECT 1;\n');
      await discoverMigrations(dir);
      writeOld('001_a.sql', '-- UP\nSELECT 2;\n');
      const set = await discoverMigrations(dir);
      assert.equal(set.migrations[0]?.up.text, 'SELECT 2;\n');
      assert.equal(set.migrations[0]?.checksum, checksumOf('SELECT 2;\n'));
    });

    it('never trusts the stat of a file written in the last moments (same size, same mtime tick)', async () => {
      const file = path.join(dir, '001_a.sql');
      writeFileSync(file, '-- UP\nSELECT 1;\n');
      const first = await discoverMigrations(dir);
      const second = await discoverMigrations(dir);
      assert.notEqual(second.migrations[0]?.up, first.migrations[0]?.up, 'a fresh file is read every time');
    });

    it('reads a file that was replaced by another one (new inode), and forgets removed files', async () => {
      writeOld('001_a.sql', '-- UP\nSELECT 1;\n');
      writeOld('002_b.sql', '-- UP\nSELECT 2;\n');
      await discoverMigrations(dir);
      rmSync(path.join(dir, '001_a.sql'));
      writeOld('001_a.tmp', '-- UP\nSELECT 3;\n');
      renameSync(path.join(dir, '001_a.tmp'), path.join(dir, '001_a.sql'));
      rmSync(path.join(dir, '002_b.sql'));
      const set = await discoverMigrations(dir);
      assert.deepEqual(set.migrations.map((m) => m.up.text), ['SELECT 3;\n']);
    });

    it('with trustRemembered, reuses reads without a stat until the caller forgets the changed file', async () => {
      writeOld('001_a.sql', '-- UP\nSELECT 1;\n');
      await discoverMigrations(dir);
      writeOld('001_a.sql', '-- UP\nSELECT 22;\n');
      const trusted = await discoverMigrations(dir, { trustRemembered: true });
      assert.equal(trusted.migrations[0]?.up.text, 'SELECT 1;\n', 'trusted: the watcher has not said the file changed');
      forgetReads(path.join(dir, '001_a.sql'));
      const told = await discoverMigrations(dir, { trustRemembered: true });
      assert.equal(told.migrations[0]?.up.text, 'SELECT 22;\n');
      writeOld('001_a.sql', '-- UP\nSELECT 333;\n');
      forgetReads();
      const all = await discoverMigrations(dir, { trustRemembered: true });
      assert.equal(all.migrations[0]?.up.text, 'SELECT 333;\n', 'forgetReads() forgets every file');
    });

    it('with trustRemembered, still sees files added and removed (the folder is listed every time)', async () => {
      writeOld('001_a.sql', '-- UP\nSELECT 1;\n');
      await discoverMigrations(dir);
      writeOld('002_b.sql', '-- UP\nSELECT 2;\n');
      rmSync(path.join(dir, '001_a.sql'));
      const set = await discoverMigrations(dir, { trustRemembered: true });
      assert.deepEqual(set.migrations.map((m) => m.version), ['002']);
    });

    it('reports a remembered file that became unreadable (now a broken link)', async () => {
      writeOld('001_a.sql', '-- UP\nSELECT 1;\n');
      await discoverMigrations(dir);
      rmSync(path.join(dir, '001_a.sql'));
      symlinkSync(path.join(dir, 'gone.sql.txt'), path.join(dir, '001_a.sql'));
      const set = await discoverMigrations(dir);
      assert.equal(set.problems[0]?.kind, 'unreadable');
    });
  });
});
