/**
 * The status cache (README, The status cache): `status` trusts what it learned from a file only while the
 * file's stat is unchanged and the file was quiet for RACY_MS before the cache was written; anything else
 * is read again. `--no-cache` and STRATA_NO_CACHE=1 turn it off; the cache never holds SQL or a password.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RACY_MS } from '../../../src/core/discoveryCache';
import { describeRun, parseJson, type CliResult } from '../../support/cli';
import { migration, tableMigration, useCliCase, type StatusJson } from './harness';

/** quiet waits until files written before it are outside the racy window. */
const quiet = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, RACY_MS + 250));

describe('status cache', function () {
  this.timeout(60_000);
  const t = useCliCase();
  let cacheHome = '';

  beforeEach(() => {
    cacheHome = mkdtempSync(join(tmpdir(), 'strata-cache-test-'));
  });
  afterEach(() => {
    rmSync(cacheHome, { recursive: true, force: true });
  });

  const status = async (extra: string[] = [], env: Record<string, string> = {}): Promise<CliResult> =>
    t.run(['status', '--json', '--verbose', '--url', t.url, ...extra], { XDG_CACHE_HOME: cacheHome, ...env });

  const states = (result: CliResult): Record<string, string> => Object.fromEntries(parseJson<StatusJson>(result).migrations.map((m) => [m.version, m.state]));

  /** usage is what the run's verbose log says the cache did: files trusted by their stat, files read. */
  const usage = (result: CliResult): { trusted: number; read: number } | null => {
    const match = /discovery cache: (\d+) file\(s\) trusted by their stat, (\d+) read/.exec(result.stderr);
    return match ? { trusted: Number(match[1]), read: Number(match[2]) } : null;
  };

  const cacheFile = (): string => {
    const dir = join(cacheHome, 'strata');
    const files = readdirSync(dir);
    assert.equal(files.length, 1, `one cache file in ${dir}: ${files.join(', ')}`);
    return join(dir, files[0]!);
  };

  it('trusts unchanged files by their stat after a first run, and keeps no SQL and no password', async () => {
    t.write('001_a.sql', migration('CREATE TABLE cached_body_a (id int PRIMARY KEY);', 'DROP TABLE cached_body_a;'));
    t.write('002_b.up.sql', 'CREATE TABLE cached_body_b (id int);\n');
    t.write('002_b.down.sql', 'DROP TABLE cached_body_b;\n');
    t.write('003_c.sql', tableMigration('c'));
    const up = await t.run(['up', '--steps', '2', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
    await quiet();

    const first = await status();
    assert.equal(first.code, 0, describeRun(first));
    assert.deepEqual(usage(first), { trusted: 0, read: 4 }, describeRun(first));
    assert.deepEqual(states(first), { '001': 'applied', '002': 'applied', '003': 'pending' });
    const written = statSync(cacheFile()).mtimeMs;

    const second = await status();
    assert.deepEqual(usage(second), { trusted: 4, read: 0 }, describeRun(second));
    assert.deepEqual(states(second), states(first));
    assert.equal(parseJson<StatusJson>(second).migrations.length, 3);
    assert.equal(statSync(cacheFile()).mtimeMs, written, 'nothing changed, so the cache is not written again');

    const text = readFileSync(cacheFile(), 'utf8');
    for (const sql of ['cached_body', 'CREATE TABLE', 'DROP TABLE', '-- UP']) assert.ok(!text.includes(sql), `the cache holds "${sql}":\n${text}`);
    const password = decodeURIComponent(new URL(t.url).password);
    assert.ok(password === '' || !text.includes(password), 'the cache holds the password');
  });

  it('uses the recorded checksum without reading the file, and --no-cache or STRATA_NO_CACHE=1 reads the file instead', async () => {
    t.write('001_a.sql', tableMigration('a'));
    const up = await t.run(['up', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
    await quiet();
    await status();
    // Change the recorded checksum: a run that trusts the cache believes the file drifted.
    const file = cacheFile();
    const recorded = readFileSync(file, 'utf8');
    const tampered = recorded.replace(/\tS\t[0-9a-f]{64}\t/, `\tS\t${'0'.repeat(64)}\t`);
    assert.notEqual(tampered, recorded);
    writeFileSync(file, tampered);

    const trusting = await status();
    assert.equal(trusting.code, 3, describeRun(trusting));
    assert.deepEqual(states(trusting), { '001': 'drifted' });

    for (const [args, env] of [[['--no-cache'], {}], [[], { STRATA_NO_CACHE: '1' }], [[], { STRATA_NO_CACHE: 'true' }]] as const) {
      const reading = await status([...args], { ...env });
      assert.equal(reading.code, 0, describeRun(reading));
      assert.deepEqual(states(reading), { '001': 'applied' });
      assert.equal(usage(reading), null, 'no cache was used');
    }
    assert.equal(readFileSync(file, 'utf8'), tampered, 'without the cache, the cache file is left alone');
    const again = await status([], { STRATA_NO_CACHE: '0' });
    assert.deepEqual(states(again), { '001': 'drifted' });
  });

  it('notices an edit that keeps the size and the mtime, and still reports drift of an applied file from the cache', async () => {
    const file = t.write('001_a.sql', tableMigration('a'));
    // A whole second, so that putting it back below restores the mtime to the nanosecond.
    const mtime = Math.floor(Date.now() / 1000) - 60;
    utimesSync(file, mtime, mtime);
    const up = await t.run(['up', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
    await quiet();
    await status();
    assert.deepEqual(usage(await status()), { trusted: 1, read: 0 });

    // Same size, and the old mtime put back: only the ctime (and the content) differ.
    const before = statSync(file, { bigint: true });
    writeFileSync(file, tableMigration('b'));
    utimesSync(file, mtime, mtime);
    const after = statSync(file, { bigint: true });
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeNs, before.mtimeNs);
    assert.equal(after.ino, before.ino);

    const edited = await status();
    assert.equal(edited.code, 3, describeRun(edited));
    assert.deepEqual(states(edited), { '001': 'drifted' });
    assert.deepEqual(usage(edited), { trusted: 0, read: 1 });

    await quiet();
    await status();
    const cached = await status();
    assert.deepEqual(usage(cached), { trusted: 1, read: 0 }, describeRun(cached));
    assert.equal(cached.code, 3, describeRun(cached));
    assert.deepEqual(states(cached), { '001': 'drifted' });
  });

  it('does not trust a file changed less than the racy window before the cache was written', async () => {
    t.write('001_a.sql', tableMigration('a'));
    const fresh = await status();
    assert.equal(fresh.code, 0, describeRun(fresh));
    assert.deepEqual(usage(fresh), { trusted: 0, read: 1 });
    assert.ok(!readFileSync(cacheFile(), 'utf8').includes('001_a.sql'), 'a file changed just now is not recorded');
    assert.deepEqual(usage(await status()), { trusted: 0, read: 1 }, 'and is read again');

    await quiet();
    assert.deepEqual(usage(await status()), { trusted: 0, read: 1 });
    assert.ok(readFileSync(cacheFile(), 'utf8').includes('001_a.sql'));
    assert.deepEqual(usage(await status()), { trusted: 1, read: 0 });
  });

  it('ignores a corrupt cache, a cache of another version, and a malformed line, and writes a good one', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_b.sql', tableMigration('b'));
    await quiet();
    await status();
    const file = cacheFile();
    const good = readFileSync(file, 'utf8');
    const [header, ...lines] = good.split('\n');
    const corruptions = [
      'garbage\n\u0000\u0001',
      '',
      `${header!.replace(/^(strata-discovery-\d+\t)[^\t]+/, '$19.9.9')}\n${lines.join('\n')}`,
      `${header!.replace(/^strata-discovery-\d+/, 'strata-discovery-0')}\n${lines.join('\n')}`,
      `${header}\n${lines[0]!.replace(/\tS\t/, '\tS\tnot-a-checksum\t')}\n${lines.slice(1).join('\n')}`,
    ];
    for (const corrupt of corruptions) {
      writeFileSync(file, corrupt);
      const result = await status();
      assert.equal(result.code, 0, describeRun(result));
      assert.deepEqual(states(result), { '001': 'pending', '002': 'pending' }, JSON.stringify(corrupt));
      assert.ok((usage(result)?.read ?? 0) >= 1, `${JSON.stringify(corrupt)}: ${result.stderr}`);
      assert.deepEqual(usage(await status()), { trusted: 2, read: 0 }, `rewritten after ${JSON.stringify(corrupt)}`);
    }
  });

  it('keeps a file whose sections cannot be read as invalid, with its message, and writes nothing with --no-cache', async () => {
    t.write('001_a.sql', '-- UP\nCREATE TABLE a (id int);\n-- UP\nCREATE TABLE b (id int);\n');
    const skipped = await status(['--no-cache']);
    assert.equal(existsSync(join(cacheHome, 'strata')), false, '--no-cache writes no cache');
    await quiet();
    const first = await status();
    const second = await status();
    assert.deepEqual(usage(second), { trusted: 1, read: 0 });
    for (const result of [skipped, first, second]) {
      assert.equal(result.code, 3, describeRun(result));
      const [entry] = parseJson<StatusJson & { migrations: { problem: string | null }[] }>(result).migrations;
      assert.equal(entry!.state, 'invalid');
      assert.match(entry!.problem ?? '', /001_a\.sql: .*UP/);
    }
    assert.equal(parseJson<StatusJson & { migrations: { problem: string | null }[] }>(second).migrations[0]!.problem, parseJson<StatusJson & { migrations: { problem: string | null }[] }>(skipped).migrations[0]!.problem);
  });

  it('refuses a STRATA_NO_CACHE it does not understand, naming the variable', async () => {
    t.write('001_a.sql', tableMigration('a'));
    const result = await status([], { STRATA_NO_CACHE: 'maybe' });
    assert.equal(result.code, 2, describeRun(result));
    assert.match(result.stderr, /STRATA_NO_CACHE must be 1 .*got "maybe"/);
  });
});
