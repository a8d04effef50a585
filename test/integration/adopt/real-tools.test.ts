/**
 * Projects run by dbmate and node-pg-migrate: the real tool applies the first migrations, Strata shows
 * the same state with no configuration, applies the rest into the tool's table, and the tool agrees.
 */
import assert from 'node:assert/strict';
import { describeRun, parseJson } from '../../support/cli';
import { useCliCase, type StatusJson } from '../cli/harness';
import { dbmate, nodePgMigrate, peersInstalled } from './peers';

describe('adopting projects of real tools', function () {
  const t = useCliCase();
  before(function () {
    if (!peersInstalled()) throw new Error('dbmate and node-pg-migrate are not installed: run `npm install --prefix bench/peers --no-audit --no-fund`');
  });

  const states = async (): Promise<string[][]> => {
    const status = await t.run(['status', '--json', '--url', t.url]);
    return parseJson<StatusJson>(status).migrations.map((m) => [m.version, m.state]);
  };

  it('dbmate: status matches what dbmate applied; after strata up and down, dbmate status agrees', async () => {
    t.write('20240101000000_users.sql', '-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n');
    t.write('20240102000000_posts.sql', '-- migrate:up\nCREATE TABLE posts (id int);\n\n-- migrate:down\nDROP TABLE posts;\n');
    const migrated = await dbmate(t.url, t.project.dir, 'migrate');
    assert.equal(migrated.code, 0, migrated.stderr);
    t.write('20240103000000_tags.sql', '-- migrate:up\nCREATE TABLE tags (id int);\n\n-- migrate:down\nDROP TABLE tags;\n');

    assert.deepEqual(await states(), [['20240101000000', 'applied'], ['20240102000000', 'applied'], ['20240103000000', 'pending']]);
    const up = await t.run(['up', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
    assert.equal(await t.exists('tags'), true);
    assert.deepEqual(await t.query('SELECT version FROM schema_migrations ORDER BY version'), [
      { version: '20240101000000' }, { version: '20240102000000' }, { version: '20240103000000' },
    ]);
    let status = await dbmate(t.url, t.project.dir, 'status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /\[X\] 20240103000000_tags\.sql/);
    assert.match(status.stdout, /Pending: 0/);

    const down = await t.run(['down', '--url', t.url]);
    assert.equal(down.code, 0, describeRun(down));
    status = await dbmate(t.url, t.project.dir, 'status');
    assert.match(status.stdout, /\[ \] 20240103000000_tags\.sql/);
    assert.match(status.stdout, /Applied: 2/);
    // dbmate can take over again from what Strata left.
    assert.equal((await dbmate(t.url, t.project.dir, 'migrate')).code, 0);
    assert.equal(await t.exists('tags'), true);
  });

  it('node-pg-migrate: status matches pgmigrations; after strata up, node-pg-migrate has nothing to run, and rolls back what Strata applied', async () => {
    t.write('1700000000001_users.sql', '-- Up Migration\nCREATE TABLE users (id int);\n\n-- Down Migration\nDROP TABLE users;\n');
    const first = await nodePgMigrate(t.url, t.project.dir, ['up']);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    t.write('1700000000002_posts.sql', '-- Up Migration\nCREATE TABLE posts (id int);\n\n-- Down Migration\nDROP TABLE posts;\n');

    assert.deepEqual(await states(), [['1700000000001', 'applied'], ['1700000000002', 'pending']]);
    const up = await t.run(['up', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
    assert.deepEqual(await t.query('SELECT name FROM pgmigrations ORDER BY id'), [{ name: '1700000000001_users' }, { name: '1700000000002_posts' }]);
    assert.equal(await t.exists('public.schema_migrations'), false);

    const again = await nodePgMigrate(t.url, t.project.dir, ['up']);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.match(again.stdout, /No migrations to run/);
    const back = await nodePgMigrate(t.url, t.project.dir, ['down']);
    assert.equal(back.code, 0, back.stderr + back.stdout);
    assert.equal(await t.exists('posts'), false);
    assert.deepEqual(await states(), [['1700000000001', 'applied'], ['1700000000002', 'pending']]);
  });
});
