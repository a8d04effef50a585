import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { checksumOf } from '../../../../src/core/checksum';
import { discoverMigrations } from '../../../../src/core/discover';
import { lintFolder, type FileLint } from '../../../../src/core/lint';
import { useParser } from './helpers';

describe('lintFolder', () => {
  useParser();

  let dir: string;
  const files: Record<string, string> = {
    '001_users.sql': '-- UP\nCREATE TABLE IF NOT EXISTS users (id int);\n-- DOWN\nDROP TABLE IF EXISTS users;\n',
    '002_email.up.sql': 'ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\nALTER TABLE users ADD COLUMN IF NOT EXISTS nick text;\n',
    '002_email.down.sql': 'ALTER TABLE users DROP COLUMN IF EXISTS email;\n',
    '003_gone.down.sql': 'DROP TABLE IF EXISTS gone;\n',
    '004_a.sql': '-- UP\nSELECT 1;\n-- DOWN\nSELECT 1;\n',
    '004_b.sql': '-- UP\nSELECT 2;\n-- DOWN\nSELECT 2;\n',
    'notes.sql': '-- UP\nSELECT 3;\n-- DOWN\nSELECT 3;\n',
    '005_late.sql': '-- UP\nSELECT 5;\n-- DOWN\nSELECT 5;\n',
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-lint-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  /** summary lists each file's findings as `file: line rule`. */
  function summary(results: FileLint[]): string[] {
    return results.flatMap((r) => (r.error ? [`${basename(r.file)}: ${r.error}`] : r.findings.map((f) => `${basename(r.file)}: ${f.line} ${f.rule}`)));
  }

  it('lints every file with what only the folder knows: pairs, duplicates, bad names, orphans', async () => {
    const set = await discoverMigrations(dir);
    assert.deepEqual(summary(lintFolder(set)).sort(), [
      '002_email.up.sql: 2 incomplete-down',
      '003_gone.down.sql: 1 orphan-down',
      '004_a.sql: 1 duplicate-version',
      '004_b.sql: 1 duplicate-version',
      'notes.sql: 1 bad-file-name',
    ]);
  });

  it('adds what only the database knows: drift and out-of-order, by version', async () => {
    const set = await discoverMigrations(dir);
    const applied = new Map([['001', { script: 'CREATE TABLE users (id int);\n', checksum: checksumOf('CREATE TABLE users (id int);\n') }]]);
    const results = lintFolder(set, { applied, outOfOrder: new Set(['005']), files: [join(dir, '001_users.sql'), join(dir, '005_late.sql')] });
    assert.deepEqual(summary(results), ['001_users.sql: 2 checksum-drift', '005_late.sql: 1 out-of-order']);
  });

  it('lints files outside the folder on their own, and reports files it cannot read', async () => {
    const outside = join(dir, '..', `${basename(dir)}-seed.sql`);
    writeFileSync(outside, 'DROP TABLE users;\n');
    try {
      const set = await discoverMigrations(dir);
      const results = lintFolder(set, { files: [outside, join(dir, 'missing.sql')], severities: { safety: 'off' } });
      assert.deepEqual(summary(results), [`${basename(outside)}: 1 drop-if-exists`, 'missing.sql: no such file']);
    } finally {
      rmSync(outside);
    }
  });
});
