/**
 * `strata create <description>`: the next file name in the folder's scheme, the built-in template, the path
 * printed, and never an existing file overwritten. No database is involved, so these tests use only a project folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli, describeRun, parseJson, type CliResult } from '../../support/cli';
import { makeProject, type TestProject } from '../../support/project';

describe('CLI create', () => {
  let project: TestProject;
  beforeEach(() => {
    project = makeProject({});
  });
  afterEach(() => project.remove());

  const create = (...args: string[]): Promise<CliResult> => cli(['create', ...args], { cwd: project.root });
  const utcStamp = (date: Date): string => date.toISOString().replace(/\D/g, '').slice(0, 14);

  it('writes <14-digit UTC timestamp>_<slug>.sql with -- UP and -- DOWN in an empty folder, and prints its path', async () => {
    const before = utcStamp(new Date(Date.now() - 1000));
    const result = await create('Add user indexes!');
    const after = utcStamp(new Date(Date.now() + 1000));
    assert.equal(result.code, 0, describeRun(result));
    const files = readdirSync(project.dir);
    assert.equal(files.length, 1, files.join(', '));
    const name = files[0]!;
    const match = /^(\d{14})_add_user_indexes\.sql$/.exec(name);
    assert.ok(match, name);
    assert.ok(match[1]! >= before && match[1]! <= after, `${match[1]} is not the current UTC time (${before}..${after})`);
    assert.equal(result.stdout, `migrations/${name}\n`);
    const content = readFileSync(join(project.dir, name), 'utf8');
    const contentLines = content.split('\n');
    const up = contentLines.indexOf('-- UP');
    const down = contentLines.indexOf('-- DOWN');
    assert.ok(up >= 0 && down > up, content);
    assert.match(content, /^-- Migration: Add user indexes!$/m);
  });

  it('writes the next sequence number in a sequence folder, keeping its width', async () => {
    project.write('001_a.sql', 'SELECT 1;\n');
    project.write('002-b.sql', 'SELECT 2;\n');
    project.write('009_c.sql', 'SELECT 3;\n');
    const result = await create('--json', 'next', 'thing');
    assert.equal(result.code, 0, describeRun(result));
    const body = parseJson<{ file: string; downFile: string | null }>(result);
    assert.deepEqual([body.file, body.downFile], ['migrations/010_next_thing.sql', null]);
    assert.deepEqual(readdirSync(project.dir).sort(), ['001_a.sql', '002-b.sql', '009_c.sql', '010_next_thing.sql']);
    assert.match(readFileSync(join(project.dir, '010_next_thing.sql'), 'utf8'), /^-- UP$[\s\S]*^-- DOWN$/m);
  });

  it('gives two migrations created within the same second different names, leaving the first as written', async () => {
    const first = await create('first');
    const firstFile = join(project.root, first.stdout.trim());
    const firstContent = readFileSync(firstFile, 'utf8');
    const second = await create('first');
    assert.equal(second.code, 0, describeRun(second));
    assert.notEqual(second.stdout.trim(), first.stdout.trim());
    assert.equal(readdirSync(project.dir).length, 2);
    assert.equal(readFileSync(firstFile, 'utf8'), firstContent);
  });

  it('never overwrites: refuses with exit 1 when the name it would write is taken', async () => {
    project.write('001_a.sql', 'SELECT 1;\n');
    // A folder is not a migration, so the next name is 002_b.sql, which something already occupies.
    mkdirSync(join(project.dir, '002_b.sql'));
    const result = await create('b');
    assert.equal(result.code, 1, describeRun(result));
    assert.match(result.stderr, /002_b\.sql already exists; Strata never overwrites a migration/);
    assert.ok(statSync(join(project.dir, '002_b.sql')).isDirectory());
    assert.equal(readFileSync(join(project.dir, '001_a.sql'), 'utf8'), 'SELECT 1;\n');
  });
});
