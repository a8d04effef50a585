import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultConfig, type ProjectConfig } from '../../../src/core/config';
import { createMigration, cursorLine, slugify, timestamp } from '../../../src/core/create';
import { discoverMigrations } from '../../../src/core/discover';
import { StrataError } from '../../../src/core/errors';

const NOW = new Date('2024-03-05T06:07:08.123Z');

describe('createMigration', () => {
  let dir: string;
  let config: ProjectConfig;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'strata-create-'));
    config = defaultConfig(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** write creates files in the temp folder. */
  function write(...names: string[]): void {
    for (const name of names) writeFileSync(path.join(dir, name), 'SELECT 1;\n');
  }

  /** create discovers the folder, then creates a migration in it. */
  async function create(description: string, now = NOW): Promise<{ file: string; downFile: string | null; upLine: number }> {
    return createMigration({ dir, description, config, now, existing: await discoverMigrations(dir) });
  }

  /** expectError runs create and returns the StrataError it must throw. */
  async function expectError(description: string, code: string): Promise<StrataError> {
    try {
      await create(description);
    } catch (error) {
      assert.ok(error instanceof StrataError, String(error));
      assert.equal(error.code, code);
      return error;
    }
    return assert.fail(`expected ${code}`);
  }

  it('writes a UTC timestamp migration from the built-in template in an empty folder', async () => {
    const result = await create('Add user indexes');
    assert.equal(result.file, path.join(dir, '20240305060708_add_user_indexes.sql'));
    assert.equal(result.downFile, null);
    assert.equal(readFileSync(result.file, 'utf8'), '-- Migration: Add user indexes\n-- Created: 2024-03-05T06:07:08.123Z\n\n-- UP\n\n-- DOWN\n');
    assert.equal(result.upLine, 5);
  });

  it('creates a file that discovery reads back with its description and an empty UP', async () => {
    await create('Add user indexes');
    const [migration] = (await discoverMigrations(dir)).migrations;
    assert.equal(migration?.description, 'Add user indexes');
    assert.equal(migration?.up.text, '\n');
    assert.equal(migration?.up.line, 5);
    assert.equal(migration?.down, null);
  });

  it('uses the sequence scheme of the folder, padded to its width', async () => {
    write('001_init.sql', '002_users.sql');
    assert.equal(path.basename((await create('Add posts')).file), '003_add_posts.sql');
  });

  it('keeps the width of the newest sequence and grows past it', async () => {
    write('0009_a.sql');
    assert.equal(path.basename((await create('b')).file), '0010_b.sql');
    rmSync(path.join(dir, '0009_a.sql'));
    rmSync(path.join(dir, '0010_b.sql'));
    write('99_a.sql');
    assert.equal(path.basename((await create('b')).file), '100_b.sql');
  });

  it('uses config.naming for an empty folder, 001 for sequences', async () => {
    config = { ...config, naming: 'sequence' };
    assert.equal(path.basename((await create('init')).file), '001_init.sql');
  });

  it("prefers the folder's scheme over config.naming", async () => {
    write('20240101000000_init.sql');
    config = { ...config, naming: 'sequence' };
    assert.equal(path.basename((await create('next')).file), '20240305060708_next.sql');
  });

  it("follows the newest file's scheme in a mixed folder", async () => {
    write('001_old.sql', '20240101000000_new.sql');
    assert.equal(path.basename((await create('x')).file), '20240305060708_x.sql');
  });

  it('uses the separator most files use, in the name too', async () => {
    write('001-init.sql', '002-add-users.sql', '003_add_posts.sql');
    assert.equal(path.basename((await create('Add reset token fields')).file), '004-add-reset-token-fields.sql');
  });

  it('defaults to the underscore separator when files are split evenly', async () => {
    write('001-init.sql', '002_users.sql');
    assert.equal(path.basename((await create('x y')).file), '003_x_y.sql');
  });

  it('writes a pair in a folder whose newest migration is a pair', async () => {
    write('001_init.sql', '002_users.up.sql', '002_users.down.sql');
    const result = await create('Add usage tracking');
    assert.equal(result.file, path.join(dir, '003_add_usage_tracking.up.sql'));
    assert.equal(result.downFile, path.join(dir, '003_add_usage_tracking.down.sql'));
    const header = '-- Migration: Add usage tracking\n-- Created: 2024-03-05T06:07:08.123Z\n\n';
    assert.equal(readFileSync(result.file, 'utf8'), header);
    assert.equal(readFileSync(result.downFile, 'utf8'), header);
    assert.equal(result.upLine, 4);
  });

  it('bumps a timestamp that collides with the newest version by one second', async () => {
    write('20240305060708_a.sql');
    assert.equal(path.basename((await create('b')).file), '20240305060709_b.sql');
  });

  it('goes past a newest version in the future, carrying into minutes', async () => {
    write('20240305060759_future.sql');
    assert.equal(path.basename((await create('b')).file), '20240305060800_b.sql');
  });

  it('counts versions of files with problems, so it never creates a duplicate', async () => {
    writeFileSync(path.join(dir, '005_bad.sql'), '-- UP\n-- UP\n');
    write('001_a.sql');
    assert.equal(path.basename((await create('c')).file), '006_c.sql');
  });

  it('fills the placeholders of the project template and puts the cursor after its UP marker', async () => {
    const template = path.join(dir, 'template.sql');
    writeFileSync(template, '-- {{description}} ({{ version }}, {{name}}, {{created}})\n-- migrate:up\n\n-- migrate:down\n');
    config = { ...config, template };
    const result = await create('Add $& things');
    assert.equal(readFileSync(result.file, 'utf8'), '-- Add $& things (20240305060708, add_things, 2024-03-05T06:07:08.123Z)\n-- migrate:up\n\n-- migrate:down\n');
    assert.equal(result.upLine, 3);
  });

  it('splits the project template into both files of a pair', async () => {
    write('001_a.up.sql');
    const template = path.join(dir, 'template.sql');
    writeFileSync(template, '-- Migration: {{description}}\n-- UP\nBEGIN;\n-- DOWN\nROLLBACK;\n');
    config = { ...config, template };
    const result = await create('b');
    assert.equal(readFileSync(result.file, 'utf8'), '-- Migration: b\n\nBEGIN;\n');
    assert.equal(readFileSync(result.downFile!, 'utf8'), '-- Migration: b\n\nROLLBACK;\n');
    assert.equal(result.upLine, 3);
  });

  it('names the template setting when the template file is missing', async () => {
    config = { ...config, template: path.join(dir, 'nope.sql') };
    const error = await expectError('x', 'config-invalid');
    assert.match(error.message, /nope\.sql \(`template` in strata\.json\) does not exist/);
    assert.equal(error.details.key, 'template');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('never overwrites an existing file, even one the given set does not know about', async () => {
    const empty = { dir, migrations: [], problems: [] };
    const first = await createMigration({ dir, description: 'x', config, now: NOW, existing: empty });
    writeFileSync(first.file, 'precious');
    await assert.rejects(createMigration({ dir, description: 'x', config, now: NOW, existing: empty }), (error: unknown) => {
      assert.ok(error instanceof StrataError);
      assert.equal(error.code, 'file-exists');
      assert.ok(error.message.includes(first.file));
      return true;
    });
    assert.equal(readFileSync(first.file, 'utf8'), 'precious');
  });

  it('leaves no half pair behind when the down file exists', async () => {
    write('001_a.up.sql');
    writeFileSync(path.join(dir, '002_b.down.sql'), 'precious');
    const existing = await discoverMigrations(dir);
    const withoutOrphan = { ...existing, problems: [] }; // as if the orphan were not known
    await assert.rejects(createMigration({ dir, description: 'b', config, now: NOW, existing: withoutOrphan }), (error: unknown) => {
      assert.ok(error instanceof StrataError);
      assert.equal(error.code, 'file-exists');
      return true;
    });
    assert.equal(existsSync(path.join(dir, '002_b.up.sql')), false);
    assert.equal(readFileSync(path.join(dir, '002_b.down.sql'), 'utf8'), 'precious');
  });

  it('rejects a description without letters or digits', async () => {
    const error = await expectError(' -- !! ', 'invalid-argument');
    assert.match(error.message, /no letters or digits/);
  });

  it('keeps a multi-line description on the header line', async () => {
    const result = await create('Add users\nand roles');
    assert.match(readFileSync(result.file, 'utf8'), /^-- Migration: Add users and roles\n/);
    assert.equal(path.basename(result.file), '20240305060708_add_users_and_roles.sql');
  });

  it('creates the folder when it does not exist yet', async () => {
    const nested = path.join(dir, 'db', 'migrations');
    const result = await createMigration({ dir: nested, description: 'init', config, now: NOW, existing: { dir: nested, migrations: [], problems: [] } });
    assert.equal(result.file, path.join(nested, '20240305060708_init.sql'));
  });
});

describe('slugify', () => {
  it('lowercases and joins words with the separator', () => {
    assert.equal(slugify('Add User Indexes'), 'add_user_indexes');
    assert.equal(slugify('  Add reset-token fields! ', '-'), 'add-reset-token-fields');
    assert.equal(slugify('Añadir índice'), 'anadir_indice');
  });

  it('cuts at 60 characters without a trailing separator', () => {
    const slug = slugify(`${'a'.repeat(59)} b c`);
    assert.equal(slug, 'a'.repeat(59));
    assert.equal(slugify('word '.repeat(30)).length <= 60, true);
  });
});

describe('timestamp', () => {
  it('formats UTC as YYYYMMDDHHMMSS', () => {
    assert.equal(timestamp(new Date('2024-12-31T23:59:59.999Z')), '20241231235959');
  });
});

describe('cursorLine', () => {
  it('is the line after the UP marker, else the first line after the leading comments', () => {
    assert.equal(cursorLine('-- a\n-- UP\n\n-- DOWN\n'), 3);
    assert.equal(cursorLine('-- a\r\n\r\nSELECT 1;\r\n'), 3);
    assert.equal(cursorLine('-- a\n\n'), 3);
    assert.equal(cursorLine(''), 1);
  });
});
