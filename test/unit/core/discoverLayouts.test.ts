import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverMigrations } from '../../../src/core/discover';
import { assertUsableFolder } from '../../../src/core/select';

describe('discoverMigrations (other tools\' layouts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'strata-layouts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
  }

  it('orders Flyway versions part by part (1.2 < 1.10 < 2), pairs V with U, and lists R__ files without blocking runs', async () => {
    write({
      'V2__third.sql': 'SELECT 3;',
      'V1_10__second.sql': 'SELECT 2;',
      'V1.2__first.sql': 'CREATE TABLE a (id int);',
      'U1.2__first.sql': 'DROP TABLE a;',
      'R__views.sql': 'CREATE OR REPLACE VIEW v AS SELECT 1;',
    });
    const set = await discoverMigrations(dir);
    assert.deepEqual(set.migrations.map((m) => `${m.version} ${m.description}`), ['1.2 first', '1.10 second', '2 third']);
    assert.equal(set.migrations[0]!.down?.text, 'DROP TABLE a;');
    assert.deepEqual(set.problems.map((p) => `${path.basename(p.file)} ${p.kind}`), ['R__views.sql unsupported']);
    assert.doesNotThrow(() => assertUsableFolder(set));
  });

  it('reads Prisma folders <timestamp>_<name>/migration.sql and ignores migration_lock.toml', async () => {
    write({
      '20240115120000_init/migration.sql': 'CREATE TABLE users (id int);',
      '20240116120000_add_email/migration.sql': 'ALTER TABLE users ADD COLUMN email text;',
      'migration_lock.toml': 'provider = "postgresql"',
      'notes/readme.md': '# not a migration',
    });
    const set = await discoverMigrations(dir);
    assert.deepEqual(set.migrations.map((m) => [m.version, m.name, path.relative(dir, m.file)]), [
      ['20240115120000', 'init', path.join('20240115120000_init', 'migration.sql')],
      ['20240116120000', 'add_email', path.join('20240116120000_add_email', 'migration.sql')],
    ]);
    assert.deepEqual(set.problems, []);
  });

  it('reads node-pg-migrate\'s "-- Up Migration" / "-- Down Migration" sections', async () => {
    write({ '1700000000000_init.sql': '-- Up Migration\nCREATE TABLE t (id int);\n\n-- Down Migration\nDROP TABLE t;\n' });
    const [migration] = (await discoverMigrations(dir)).migrations;
    assert.equal(migration?.up.text.trim(), 'CREATE TABLE t (id int);');
    assert.equal(migration?.down?.text.trim(), 'DROP TABLE t;');
  });
});
