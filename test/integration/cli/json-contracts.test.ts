/**
 * The `--json` output CI scripts rely on (DESIGN.md, "Command line"), produced by the real `strata` process
 * against a real PostgreSQL: field names, order, states, and the exit code that goes with each.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describeRun, output, parseJson } from '../../support/cli';
import { lines } from '../../support/project';
import { migration, tableMigration, useCliCase, type DownJson, type PlanJson, type RehearseJson, type StatusJson, type UpJson } from './harness';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('CLI --json contracts', () => {
  const t = useCliCase();

  it('status --json lists every migration in version order with the contract fields; pending before up, applied after', async () => {
    t.write('010_b.sql', tableMigration('b'));
    t.write('9_a.sql', tableMigration('a')); // 9 < 010 numerically, though not as text
    t.write('20240115120000_c.sql', tableMigration('c'));

    const before = await t.run(['status', '--json', '--url', t.url]);
    assert.equal(before.code, 0, describeRun(before));
    const pending = parseJson<StatusJson>(before).migrations;
    assert.deepEqual(
      pending.map(({ version, name, file, state, appliedAt, executionMs }) => ({ version, name, file, state, appliedAt, executionMs })),
      [
        { version: '9', name: 'a', file: 'migrations/9_a.sql', state: 'pending', appliedAt: null, executionMs: null },
        { version: '010', name: 'b', file: 'migrations/010_b.sql', state: 'pending', appliedAt: null, executionMs: null },
        { version: '20240115120000', name: 'c', file: 'migrations/20240115120000_c.sql', state: 'pending', appliedAt: null, executionMs: null },
      ],
    );

    const up = await t.run(['up', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
    const after = await t.run(['status', '--json', '--url', t.url]);
    assert.equal(after.code, 0, describeRun(after));
    const applied = parseJson<StatusJson>(after).migrations;
    assert.deepEqual(applied.map((m) => [m.version, m.state]), [['9', 'applied'], ['010', 'applied'], ['20240115120000', 'applied']]);
    const rows = await t.query<{ version: string; applied_at: Date; execution_ms: number }>('SELECT version, applied_at, execution_ms FROM public.schema_migrations');
    for (const m of applied) {
      assert.match(m.appliedAt ?? '', ISO_TIME);
      const row = rows.find((r) => r.version === m.version);
      assert.ok(row, `no tracking row for ${m.version}`);
      assert.equal(m.appliedAt, row.applied_at.toISOString());
      assert.equal(m.executionMs, row.execution_ms);
    }
  });

  it('status --json reports drifted, missing, out-of-order and invalid (bad name, duplicate version) and exits 3', async () => {
    t.write('010_a.sql', tableMigration('a'));
    t.write('020_b.sql', tableMigration('b'));
    t.write('030_c.sql', tableMigration('c'));
    const up = await t.run(['up', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));

    t.write('020_b.sql', migration('CREATE TABLE b (id bigint PRIMARY KEY);', 'DROP TABLE b;')); // UP edited after it ran
    rmSync(`${t.project.dir}/030_c.sql`); // applied, file gone
    t.write('015_late.sql', tableMigration('late')); // older than the newest applied (030)
    t.write('040_d.sql', tableMigration('d'));
    t.write('040_e.sql', tableMigration('e')); // same version twice
    t.write('notes.sql', 'SELECT 1;\n'); // not a migration name
    t.write('050_f.sql', tableMigration('f'));

    const result = await t.run(['status', '--json', '--url', t.url]);
    assert.equal(result.code, 3, describeRun(result));
    const states = parseJson<StatusJson>(result).migrations.map((m) => [m.version, m.file, m.state]);
    assert.deepEqual(states, [
      ['010', 'migrations/010_a.sql', 'applied'],
      ['015', 'migrations/015_late.sql', 'out-of-order'],
      ['020', 'migrations/020_b.sql', 'drifted'],
      ['030', null, 'missing'],
      ['040', 'migrations/040_d.sql', 'invalid'],
      ['040', 'migrations/040_e.sql', 'invalid'],
      ['050', 'migrations/050_f.sql', 'pending'],
      ['', 'migrations/notes.sql', 'invalid'],
    ]);
    const missing = parseJson<StatusJson>(result).migrations.find((m) => m.state === 'missing');
    assert.equal(missing?.name, 'c');
    assert.match(missing?.appliedAt ?? '', ISO_TIME);

    const human = await t.run(['status', '--url', t.url]);
    assert.equal(human.code, 3, describeRun(human));
    for (const text of ['DRIFTED', 'OUT OF ORDER', 'missing', 'notes.sql', '040_e.sql']) assert.ok(human.stdout.includes(text), `${text} not in\n${human.stdout}`);
  });

  it('changing only line endings (CRLF), adding a BOM, or editing the DOWN section is not drift', async () => {
    const up = 'CREATE TABLE a (id int PRIMARY KEY);\nCOMMENT ON TABLE a IS \'x\';';
    t.write('001_a.sql', migration(up, 'DROP TABLE a;'));
    t.write('002_b.sql', tableMigration('b'));
    assert.equal((await t.run(['up', '--url', t.url])).code, 0);

    t.write('001_a.sql', `\uFEFF${migration(up, 'DROP TABLE a;')}`.replace(/\n/g, '\r\n'));
    t.write('002_b.sql', migration('CREATE TABLE b (id int PRIMARY KEY);', 'DROP TABLE IF EXISTS b;'));
    const result = await t.run(['status', '--json', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    assert.deepEqual(parseJson<StatusJson>(result).migrations.map((m) => m.state), ['applied', 'applied']);

    // Control: a real edit of the UP is drift.
    t.write('001_a.sql', migration(up.replace("'x'", "'y'"), 'DROP TABLE a;').replace(/\n/g, '\r\n'));
    const drifted = await t.run(['status', '--json', '--url', t.url]);
    assert.equal(drifted.code, 3, describeRun(drifted));
    assert.deepEqual(parseJson<StatusJson>(drifted).migrations.map((m) => m.state), ['drifted', 'applied']);
  });

  it('up --json lists what it applied, with error null, and exits 0', async () => {
    t.write('001_users.sql', tableMigration('users'));
    t.write('002_posts.sql', tableMigration('posts'));
    const result = await t.run(['up', '--json', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    const body = parseJson<UpJson>(result);
    assert.equal(body.error, null);
    assert.deepEqual(body.applied.map(({ version, file }) => ({ version, file })), [
      { version: '001', file: 'migrations/001_users.sql' },
      { version: '002', file: 'migrations/002_posts.sql' },
    ]);
    for (const record of body.applied) assert.ok(Number.isInteger(record.executionMs) && record.executionMs >= 0, JSON.stringify(record));
    assert.deepEqual(await t.versions(), ['001', '002']);
    assert.ok(await t.exists('users'));
    assert.ok(await t.exists('posts'));

    const again = await t.run(['up', '--json', '--url', t.url]);
    assert.equal(again.code, 0, describeRun(again));
    assert.deepEqual(parseJson<UpJson>(again).applied, []);
    assert.equal(parseJson<UpJson>(again).error, null);
  });

  it('a failing up --json reports version, file, line, column, sqlstate, message, detail and hint, exits 1, and records nothing of it', async () => {
    t.write('001_ok.sql', tableMigration('ok'));
    t.write(
      '002_fails.sql',
      lines(
        '-- Migration: raise an error with detail and hint',
        '-- UP',
        'CREATE TABLE half (id int);',
        'DO $$',
        'BEGIN',
        "  RAISE EXCEPTION 'boom' USING DETAIL = 'the detail', HINT = 'the hint', ERRCODE = '22023';",
        'END $$;',
        '-- DOWN',
        'DROP TABLE half;',
      ),
    );
    t.write('003_later.sql', tableMigration('later'));
    const result = await t.run(['up', '--json', '--url', t.url]);
    assert.equal(result.code, 1, describeRun(result));
    const body = parseJson<UpJson>(result);
    assert.deepEqual(body.applied.map((r) => r.version), ['001']);
    assert.ok(body.error, describeRun(result));
    const { version, file, line, column, sqlstate, message, detail, hint } = body.error;
    assert.deepEqual(
      { version, file, line, column, sqlstate, message, detail, hint },
      { version: '002', file: 'migrations/002_fails.sql', line: 6, column: 3, sqlstate: '22023', message: 'boom', detail: 'the detail', hint: 'the hint' },
    );
    assert.deepEqual(await t.versions(), ['001']);
    assert.equal(await t.exists('half'), false);
    assert.equal(await t.exists('later'), false);
  });

  it('a failing up points at the absolute line and column in the file, in JSON and in the human output', async () => {
    t.write('001_missing_table.sql', lines('-- UP', '-- a comment', '', 'CREATE TABLE x (id int);', '  SELECT * FROM no_such_table;', '-- DOWN', 'DROP TABLE x;'));
    const [json, human] = await Promise.all([t.run(['up', '--json', '--url', t.url]), t.run(['up', '--url', t.url])]);
    assert.equal(json.code, 1, describeRun(json));
    const error = parseJson<UpJson>(json).error;
    assert.deepEqual([error?.line, error?.column, error?.sqlstate, error?.detail, error?.hint], [5, 17, '42P01', null, null]);
    assert.match(error?.message ?? '', /no_such_table/);
    assert.equal(human.code, 1, describeRun(human));
    assert.ok(output(human).includes('migrations/001_missing_table.sql:5:17'), describeRun(human));
    assert.equal(await t.exists('x'), false);
    assert.deepEqual(await t.versions(), []);
  });

  it('down --json lists what it rolled back (newest first) and exits 0', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_b.sql', tableMigration('b'));
    t.write('003_c.sql', tableMigration('c'));
    assert.equal((await t.run(['up', '--url', t.url])).code, 0);

    const one = await t.run(['down', '--json', '--url', t.url]);
    assert.equal(one.code, 0, describeRun(one));
    const body = parseJson<DownJson>(one);
    assert.equal(body.error, null);
    assert.deepEqual(body.rolledBack.map(({ version, file }) => ({ version, file })), [{ version: '003', file: 'migrations/003_c.sql' }]);
    assert.ok(Number.isInteger(body.rolledBack[0]?.executionMs));
    assert.deepEqual(await t.versions(), ['001', '002']);
    assert.equal(await t.exists('c'), false);

    const two = await t.run(['down', '--steps', '2', '--json', '--url', t.url]);
    assert.equal(two.code, 0, describeRun(two));
    assert.deepEqual(parseJson<DownJson>(two).rolledBack.map((r) => r.version), ['002', '001']);
    assert.deepEqual(await t.versions(), []);
    assert.equal(await t.exists('a'), false);
  });

  it('down refuses before touching anything when a migration to roll back has no DOWN (exit 1)', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_forward_only.sql', 'CREATE TABLE f (id int);\n');
    assert.equal((await t.run(['up', '--url', t.url])).code, 0);
    const result = await t.run(['down', '--steps', '2', '--json', '--url', t.url]);
    assert.equal(result.code, 1, describeRun(result));
    assert.match(result.stderr, /002_forward_only\.sql.*no DOWN/);
    assert.deepEqual(await t.versions(), ['001', '002']);
    assert.ok(await t.exists('a'));
    assert.ok(await t.exists('f'));
  });

  it('plan --json lists the steps with version, file, direction, transactional and sql', async () => {
    t.write('001_items.sql', migration('CREATE TABLE items (id int, name text);', 'DROP TABLE items;'));
    t.write('002_index.sql', migration('CREATE INDEX CONCURRENTLY items_name ON items (name);', 'DROP INDEX CONCURRENTLY items_name;'));
    const result = await t.run(['plan', '--json', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    assert.deepEqual(
      parseJson<PlanJson>(result).steps.map(({ version, file, direction, transactional, sql }) => ({ version, file, direction, transactional, sql })),
      [
        { version: '001', file: 'migrations/001_items.sql', direction: 'up', transactional: true, sql: 'CREATE TABLE items (id int, name text);\n' },
        { version: '002', file: 'migrations/002_index.sql', direction: 'up', transactional: false, sql: 'CREATE INDEX CONCURRENTLY items_name ON items (name);\n' },
      ],
    );

    assert.equal((await t.run(['up', '--url', t.url])).code, 0);
    const down = await t.run(['plan', '--down', '--steps', '2', '--json', '--url', t.url]);
    assert.equal(down.code, 0, describeRun(down));
    assert.deepEqual(
      parseJson<PlanJson>(down).steps.map(({ version, direction, transactional, sql }) => ({ version, direction, transactional, sql })),
      [
        { version: '002', direction: 'down', transactional: false, sql: 'DROP INDEX CONCURRENTLY items_name;\n' },
        { version: '001', direction: 'down', transactional: true, sql: 'DROP TABLE items;\n' },
      ],
    );
  });

  it('rehearse --json lists what it rehearsed, error null, and the CREATE INDEX CONCURRENTLY it skipped', async () => {
    t.write('001_items.sql', migration('CREATE TABLE items (id int, name text);', 'DROP TABLE items;'));
    t.write('002_index.sql', lines('-- UP', '-- index for lookups', 'CREATE INDEX CONCURRENTLY items_name ON items (name);', '-- DOWN', 'DROP INDEX CONCURRENTLY items_name;'));
    const result = await t.run(['rehearse', '--json', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    const body = parseJson<RehearseJson>(result);
    assert.equal(body.error, null);
    assert.deepEqual(body.rehearsed.map(({ version, file }) => ({ version, file })), [
      { version: '001', file: 'migrations/001_items.sql' },
      { version: '002', file: 'migrations/002_index.sql' },
    ]);
    for (const record of body.rehearsed) assert.ok(Number.isInteger(record.executionMs) && record.executionMs >= 0);
    assert.deepEqual(
      body.skipped.map(({ version, file, line, reason }) => ({ version, file, line, reason })),
      [{ version: '002', file: 'migrations/002_index.sql', line: 3, reason: 'CREATE INDEX CONCURRENTLY' }],
    );
    assert.match(body.skipped[0]?.statement ?? '', /^CREATE INDEX CONCURRENTLY items_name/);
    assert.equal(await t.exists('items'), false);
  });
});
