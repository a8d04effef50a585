/**
 * Discovery through the status cache (src/core/discoveryCache.ts) gives the same migrations and problems as
 * reading every file, whether the cache is empty (every file read and recorded) or trusted (no file read),
 * and the sections of a migration built from the cache are read from disk when used.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverMigrations } from '../../../src/core/discover';
import { DiscoveryCache, RACY_MS } from '../../../src/core/discoveryCache';
import type { MigrationSet } from '../../../src/core/types';

/** FILES is one folder with every layout and every problem discovery knows. */
const FILES: Record<string, string> = {
  '001_plain.sql': 'CREATE TABLE a (id int);\n',
  '002_markers.sql': '-- Migration: Add the b table\n-- UP\nCREATE TABLE b (id int);\n-- DOWN\nDROP TABLE b;\n',
  '003_no_tx.sql': '-- strata:no-transaction\n-- UP\nCREATE INDEX CONCURRENTLY i ON a (id);\n-- DOWN\nDROP INDEX i;\n',
  '004_pair.up.sql': 'CREATE TABLE d (id int);\n',
  '004_pair.down.sql': '-- migrate:down transaction:false\nDROP TABLE d;\n',
  '005_comment_down.up.sql': 'CREATE TABLE e (id int);\n',
  '005_comment_down.down.sql': '-- nothing to undo\n',
  '006_bad_up.up.sql': '-- UP\nCREATE TABLE f (id int);\n-- DOWN\nDROP TABLE f;\n',
  '006_bad_up.down.sql': 'DROP TABLE f;\n',
  '007_bad_down.up.sql': 'CREATE TABLE g (id int);\n',
  '007_bad_down.down.sql': '-- UP\nDROP TABLE g;\n',
  '008_two_ups.sql': '-- UP\nSELECT 1;\n-- UP\nSELECT 2;\n',
  '009_orphan.down.sql': 'DROP TABLE h;\n',
  '010_dup.sql': 'SELECT 10;\n',
  '0010_dup.sql': 'SELECT 10;\n',
  'notes.sql': 'SELECT 0;\n',
  '011_crlf.sql': '\uFEFF-- UP\r\nCREATE TABLE k (id int);\r\n-- DOWN\r\nDROP TABLE k;\r\n',
  '012_naïve_ünïcode.sql': '-- Description: tab\there, "quotes" and ünïcode\nSELECT 12;\n',
  'V13__flyway.sql': 'CREATE TABLE m (id int);\n',
  'U13__flyway.sql': 'DROP TABLE m;\n',
  'R__repeatable.sql': 'SELECT 1;\n',
};

/** summary is everything discovery decided, with each migration's sections as read from disk. */
function summary(set: MigrationSet): unknown {
  return {
    migrations: set.migrations.map((m) => ({
      version: m.version,
      name: m.name,
      description: m.description,
      scheme: m.scheme,
      file: m.file,
      downFile: m.downFile,
      noTransaction: m.noTransaction,
      checksum: m.checksum,
      up: { ...m.up },
      down: m.down ? { ...m.down } : null,
    })),
    problems: set.problems,
  };
}

describe('discoverMigrations with the status cache', function () {
  this.timeout(20_000);
  let root: string;
  let dir: string;
  let cacheHome: string;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'strata-discover-cached-'));
    dir = path.join(root, 'migrations');
    cacheHome = path.join(root, 'cache');
    mkdirSync(dir);
    for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(dir, name), text);
    mkdirSync(path.join(dir, '20240115120000_prisma'));
    writeFileSync(path.join(dir, '20240115120000_prisma', 'migration.sql'), 'CREATE TABLE p (id int);\n');
    // Only files quiet for RACY_MS before the cache was written are trusted.
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 200));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const cache = (log: string[] = []): DiscoveryCache => DiscoveryCache.forFolder(dir, { env: { XDG_CACHE_HOME: cacheHome }, version: 'test', debug: (m) => log.push(m) })!;

  it('decides exactly as reading every file does, with an empty cache and with a trusted one', async () => {
    const expected = summary(await discoverMigrations(dir));
    const usage = (log: string[]): [number, number] | null => {
      const match = log.map((line) => / (\d+) file\(s\) trusted by their stat, (\d+) read/.exec(line)).find((m) => m);
      return match ? [Number(match[1]), Number(match[2])] : null;
    };
    const first: string[] = [];
    const recorded = await discoverMigrations(dir, { cache: cache(first) });
    const [, read] = usage(first) ?? [NaN, NaN];
    assert.ok(read >= 16, first.join('\n'));
    assert.deepEqual(summary(recorded), expected);

    // Every file read the first time is now trusted by its stat, and none is read.
    const second: string[] = [];
    const trusted = await discoverMigrations(dir, { cache: cache(second) });
    assert.deepEqual(usage(second), [read, 0], second.join('\n'));
    assert.deepEqual(summary(trusted), expected);
  });

  it('keeps no SQL in the cache file', async () => {
    await discoverMigrations(dir, { cache: cache() });
    const files = readdirSync(path.join(cacheHome, 'strata'));
    assert.equal(files.length, 1);
    const text = readFileSync(path.join(cacheHome, 'strata', files[0]!), 'utf8');
    for (const sql of ['CREATE', 'DROP', 'SELECT', '-- UP']) assert.ok(!text.includes(sql), `the cache holds "${sql}"`);
  });
});
