import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { closest, loadConfig, resolveMigrationsDir } from '../../../src/core/config';
import { StrataError } from '../../../src/core/errors';

describe('loadConfig', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'strata-config-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** writeConfig writes strata.json (a string as is, anything else as JSON). */
  function writeConfig(content: unknown, name = 'strata.json'): string {
    const file = path.join(root, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  /** configError loads the config and returns the StrataError it must throw. */
  async function configError(options: { file?: string } = {}): Promise<StrataError> {
    try {
      await loadConfig(root, options);
    } catch (error) {
      assert.ok(error instanceof StrataError, String(error));
      assert.equal(error.code, 'config-invalid');
      return error;
    }
    return assert.fail('expected config-invalid');
  }

  it('gives defaults when there is no strata.json', async () => {
    assert.deepEqual(await loadConfig(root), {
      root, configFile: null, migrationsDir: null, naming: null, template: null, schema: 'public',
      table: 'schema_migrations', outOfOrder: false, lockTimeoutMs: 60000, statementTimeoutMs: null, lint: {}, history: 'auto', productionHosts: [],
    });
  });

  it('reads every key, resolving paths against the project root', async () => {
    const file = writeConfig({
      $schema: './node_modules/strata/schema.json', migrationsDir: 'db/sql', naming: 'sequence', template: 'tpl/new.sql',
      schema: 'ops', table: 'history', outOfOrder: true, lockTimeout: '30s', statementTimeout: 5000,
      lint: { 'require-concurrently': 'error', 'missing-down': 'off' }, history: 'dbmate', productionHosts: ['DB.example.com', '10.0.0.5:5433'],
    });
    assert.deepEqual(await loadConfig(root), {
      root, configFile: file, migrationsDir: path.join(root, 'db/sql'), naming: 'sequence', template: path.join(root, 'tpl/new.sql'),
      schema: 'ops', table: 'history', outOfOrder: true, lockTimeoutMs: 30000, statementTimeoutMs: 5000,
      lint: { 'require-concurrently': 'error', 'missing-down': 'off' }, history: 'dbmate', productionHosts: ['db.example.com', '10.0.0.5:5433'],
    });
  });

  it('keeps an absolute migrationsDir as configured', async () => {
    const elsewhere = path.join(root, 'abs');
    writeConfig({ migrationsDir: elsewhere });
    assert.equal((await loadConfig(root)).migrationsDir, elsewhere);
  });

  it('reads durations as milliseconds or strings with units', async () => {
    const cases: [unknown, number][] = [[0, 0], [1500, 1500], ['500ms', 500], ['30s', 30000], ['2min', 120000], ['1.5s', 1500], ['1h', 3600000], ['250', 250], [' 10 S ', 10000]];
    for (const [value, ms] of cases) {
      writeConfig({ lockTimeout: value, statementTimeout: value });
      const config = await loadConfig(root);
      assert.equal(config.lockTimeoutMs, ms, JSON.stringify(value));
      assert.equal(config.statementTimeoutMs, ms, JSON.stringify(value));
    }
  });

  it('rejects durations that are not durations', async () => {
    for (const value of ['soon', '5 minutes', '-1s', -5, true, '1e3', '30sec']) {
      writeConfig({ lockTimeout: value });
      const error = await configError();
      assert.match(error.message, /^strata\.json: `lockTimeout` must be a number of milliseconds or a duration such as "500ms", "30s", "2min", got /, JSON.stringify(value));
      assert.equal(error.details.key, 'lockTimeout');
    }
    writeConfig({ statementTimeout: '30d' });
    assert.match((await configError()).message, /`statementTimeout` must be at most 2147483647 ms/);
  });

  it('reports invalid JSON with the file, line and column', async () => {
    const file = writeConfig('{\n  "schema": "ops",\n  "table": "t",\n}\n');
    const error = await configError();
    assert.match(error.message, /^strata\.json:4:1: invalid JSON: /);
    assert.deepEqual(error.details, { file, key: null, line: 4, column: 1 });
  });

  it('locates JSON errors that V8 reports without a position', async () => {
    writeConfig('{\n  "outOfOrder": tru\n}');
    const error = await configError();
    assert.match(error.message, /^strata\.json:2:17: invalid JSON: Unexpected token/);
    assert.doesNotMatch(error.message, /is not valid JSON/);
  });

  it('reports a truncated or empty file at its end', async () => {
    writeConfig('{\n  "schema": "ops"');
    assert.match((await configError()).message, /^strata\.json:2:18: invalid JSON: /);
    writeConfig('');
    assert.equal((await configError()).message, 'strata.json:1:1: invalid JSON: unexpected end of file');
  });

  it('reports an unknown key with a suggestion when it is close to a known one', async () => {
    const cases: [string, string][] = [['migrationDir', 'migrationsDir'], ['migrations_dir', 'migrationsDir'], ['lock_timeout', 'lockTimeout'], ['tabel', 'table'], ['OutOfOrder', 'outOfOrder']];
    for (const [key, suggestion] of cases) {
      writeConfig({ [key]: 'x' });
      const error = await configError();
      assert.equal(error.message, `strata.json: unknown key \`${key}\`; did you mean \`${suggestion}\`?`);
      assert.equal(error.details.key, key);
    }
  });

  it('lists the known keys when an unknown key is close to none', async () => {
    writeConfig({ connections: [] });
    assert.match((await configError()).message, /unknown key `connections`; known keys: migrationsDir, naming, template/);
  });

  it('reports wrong types with the key, what was expected and what was found', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ naming: 42 }, 'naming', 'strata.json: `naming` must be "timestamp" or "sequence", got 42'],
      [{ naming: 'date' }, 'naming', 'strata.json: `naming` must be "timestamp" or "sequence", got "date"'],
      [{ outOfOrder: 'yes' }, 'outOfOrder', 'strata.json: `outOfOrder` must be true or false, got "yes"'],
      [{ migrationsDir: '' }, 'migrationsDir', 'strata.json: `migrationsDir` must be a non-empty path (relative to the project folder), got ""'],
      [{ template: ['a'] }, 'template', 'strata.json: `template` must be a non-empty path (relative to the project folder), got ["a"]'],
      [{ schema: null }, 'schema', 'strata.json: `schema` must be a non-empty name, got null'],
      [{ table: '' }, 'table', 'strata.json: `table` must be a non-empty name, got ""'],
      [{ lint: ['x'] }, 'lint', 'strata.json: `lint` must be an object mapping rule ids to "off", "info", "warning" or "error", got ["x"]'],
      [{ lint: { 'missing-down': 'fatal' } }, 'lint.missing-down', 'strata.json: `lint.missing-down` must be "off", "info", "warning" or "error", got "fatal"'],
      [
        { history: 'liquibase' },
        'history',
        'strata.json: `history` must be "auto", "strata", "dbmate", "golang-migrate", "node-pg-migrate", "flyway", "prisma", "id-name", "version-md5", "migration-history", "name-list", got "liquibase"',
      ],
    ];
    for (const [content, key, message] of cases) {
      const file = writeConfig(content);
      const error = await configError();
      assert.equal(error.message, message);
      assert.deepEqual(error.details, { file, key });
    }
  });

  it('rejects a file that is not a JSON object', async () => {
    writeConfig('[]');
    assert.equal((await configError()).message, 'strata.json must hold a JSON object ({ ... }), got []');
  });

  it('accepts any characters in schema and table names, up to 63 bytes, but not NUL', async () => {
    writeConfig({ schema: 'my "odd"; schema', table: 'tåble' });
    const config = await loadConfig(root);
    assert.equal(config.schema, 'my "odd"; schema');
    assert.equal(config.table, 'tåble');
    writeConfig({ table: 'é'.repeat(31) + 'x' }); // 63 bytes
    assert.equal((await loadConfig(root)).table.length, 32);
    writeConfig({ table: 'é'.repeat(32) }); // 64 bytes
    assert.match((await configError()).message, /`table` must be a name of at most 63 bytes/);
    writeConfig({ schema: 'a\u0000b' });
    assert.match((await configError()).message, /`schema` must be a name without NUL characters/);
  });

  it('reads a BOM-prefixed file', async () => {
    writeConfig('\uFEFF{"schema": "ops"}');
    assert.equal((await loadConfig(root)).schema, 'ops');
  });

  it('reads another file when asked, and requires it to exist', async () => {
    const file = writeConfig({ table: 'other' }, 'strata.ci.json');
    const config = await loadConfig(root, { file: 'strata.ci.json' });
    assert.equal(config.table, 'other');
    assert.equal(config.configFile, file);
    const error = await configError({ file: 'missing.json' });
    assert.equal(error.message, 'missing.json does not exist');
  });

  it('names the file it read in messages', async () => {
    writeConfig({ naming: 1 }, 'strata.ci.json');
    assert.match((await configError({ file: 'strata.ci.json' })).message, /^strata\.ci\.json: `naming`/);
  });
});

describe('closest', () => {
  it('suggests only candidates near enough to be typos', () => {
    assert.equal(closest('shema', ['schema', 'table']), 'schema');
    assert.equal(closest('database', ['schema', 'table']), null);
  });
});

describe('resolveMigrationsDir', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'strata-dirs-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const order = ['migrations', 'db/migrations', 'database/migrations', 'server/database/migrations', 'src/database/migrations', 'src/db/migrations', 'ops/migrations/sql', 'prisma/migrations', 'db/migration', 'src/main/resources/db/migration'];

  it('detects the folders in the documented order', async () => {
    for (const dir of order) mkdirSync(path.join(root, dir), { recursive: true });
    for (const dir of order) {
      assert.equal(await resolveMigrationsDir(await loadConfig(root)), path.join(root, dir));
      rmSync(path.join(root, dir), { recursive: true });
    }
  });

  it('does not take a file for a folder', async () => {
    writeFileSync(path.join(root, 'migrations'), '');
    mkdirSync(path.join(root, 'db/migrations'), { recursive: true });
    assert.equal(await resolveMigrationsDir(await loadConfig(root)), path.join(root, 'db/migrations'));
  });

  it('uses the configured folder over detected ones', async () => {
    mkdirSync(path.join(root, 'migrations'));
    mkdirSync(path.join(root, 'sql'));
    writeFileSync(path.join(root, 'strata.json'), JSON.stringify({ migrationsDir: 'sql' }));
    assert.equal(await resolveMigrationsDir(await loadConfig(root)), path.join(root, 'sql'));
  });

  it('names the setting when the configured folder does not exist', async () => {
    mkdirSync(path.join(root, 'migrations'));
    writeFileSync(path.join(root, 'strata.json'), JSON.stringify({ migrationsDir: 'sql' }));
    await assert.rejects(resolveMigrationsDir(await loadConfig(root)), (error: unknown) => {
      assert.ok(error instanceof StrataError);
      assert.equal(error.code, 'migrations-dir-missing');
      assert.equal(error.message, `The migrations folder ${path.join(root, 'sql')} (\`migrationsDir\` in strata.json) does not exist.`);
      return true;
    });
  });

  it('lists what it searched and the setting when nothing is found', async () => {
    await assert.rejects(resolveMigrationsDir(await loadConfig(root)), (error: unknown) => {
      assert.ok(error instanceof StrataError);
      assert.equal(error.code, 'migrations-dir-missing');
      for (const dir of order) assert.ok(error.message.includes(dir), dir);
      assert.match(error.message, /`migrationsDir` in strata\.json/);
      return true;
    });
  });
});
