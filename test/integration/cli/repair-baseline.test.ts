/**
 * `repair` accepts an intended edit of an applied migration; `baseline --to V` records migrations a
 * database already contains without running them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describeRun, parseJson } from '../../support/cli';
import { migration, tableMigration, useCliCase, type StatusJson, type UpJson } from './harness';

describe('CLI repair and baseline', () => {
  const t = useCliCase();

  it('repair makes a drifted migration applied again, storing the new checksum and script, and status exits 0', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_b.sql', tableMigration('b'));
    assert.equal((await t.run(['up', '--url', t.url])).code, 0);
    const edited = 'CREATE TABLE IF NOT EXISTS b (id int PRIMARY KEY);\n';
    t.write('002_b.sql', `-- UP\r\n${edited.replace('\n', '\r\n')}-- DOWN\r\nDROP TABLE b;\r\n`);
    const drifted = await t.run(['status', '--json', '--url', t.url]);
    assert.equal(drifted.code, 3, describeRun(drifted));
    assert.deepEqual(parseJson<StatusJson>(drifted).migrations.map((m) => m.state), ['applied', 'drifted']);

    const repair = await t.run(['repair', '--json', '--url', t.url]);
    assert.equal(repair.code, 0, describeRun(repair));
    assert.deepEqual(parseJson<{ repaired: string[] }>(repair).repaired, ['002']);

    const status = await t.run(['status', '--json', '--url', t.url]);
    assert.equal(status.code, 0, describeRun(status));
    assert.deepEqual(parseJson<StatusJson>(status).migrations.map((m) => m.state), ['applied', 'applied']);
    const [row] = await t.query<{ checksum: string; script: string }>("SELECT checksum, script FROM public.schema_migrations WHERE version = '002'");
    assert.equal(row?.checksum, createHash('sha256').update(edited).digest('hex'));
    assert.equal(row?.script.replace(/\r\n/g, '\n'), edited);
  });

  it('repair VERSION exits 1 and changes nothing when that migration is not drifted', async () => {
    t.write('001_a.sql', tableMigration('a'));
    assert.equal((await t.run(['up', '--url', t.url])).code, 0);
    const before = await t.query('SELECT * FROM public.schema_migrations');
    const result = await t.run(['repair', '001', '--url', t.url]);
    assert.equal(result.code, 1, describeRun(result));
    assert.match(result.stderr, /Nothing to repair for version 001: its state is applied, not drifted/);
    assert.deepEqual(await t.query('SELECT * FROM public.schema_migrations'), before);
  });

  it('baseline --to V records migrations up to V as applied without running them; up then runs only the rest', async () => {
    t.write('001_users.sql', tableMigration('users'));
    t.write('002_posts.sql', tableMigration('posts'));
    t.write('003_tags.sql', tableMigration('tags'));
    const baseline = await t.run(['baseline', '--to', '002', '--json', '--url', t.url]);
    assert.equal(baseline.code, 0, describeRun(baseline));
    assert.deepEqual(parseJson<{ baselined: string[] }>(baseline).baselined, ['001', '002']);
    assert.equal(await t.exists('users'), false);
    assert.equal(await t.exists('posts'), false);
    assert.deepEqual(await t.versions(), ['001', '002']);

    const status = await t.run(['status', '--json', '--url', t.url]);
    assert.equal(status.code, 0, describeRun(status));
    assert.deepEqual(parseJson<StatusJson>(status).migrations.map((m) => [m.version, m.state]), [['001', 'applied'], ['002', 'applied'], ['003', 'pending']]);

    const up = await t.run(['up', '--json', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
    assert.deepEqual(parseJson<UpJson>(up).applied.map((r) => r.version), ['003']);
    assert.equal(await t.exists('users'), false);
    assert.ok(await t.exists('tags'));
  });

  it('baseline and repair commit their rows under synchronous_commit = on where the database turns it off, all in one transaction', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_b.sql', tableMigration('b'));
    t.write('003_c.sql', tableMigration('c'));
    assert.equal((await t.run(['up', '--to', '001', '--url', t.url])).code, 0);
    await t.query(`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END $$`);
    // What each tracking-row change commits under, seen at its COMMIT by deferred triggers; txid tells transactions apart.
    await t.query('CREATE TABLE commit_settings (version text, change text, synchronous_commit text, txid bigint)');
    await t.query(`CREATE FUNCTION note_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO commit_settings VALUES (NEW.version, TG_OP, current_setting('synchronous_commit'), txid_current()); RETURN NULL; END $$`);
    for (const op of ['INSERT', 'UPDATE']) {
      await t.query(`CREATE CONSTRAINT TRIGGER note_${op.toLowerCase()} AFTER ${op} ON public.schema_migrations DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION note_commit()`);
    }
    const baseline = await t.run(['baseline', '--to', '003', '--url', t.url]);
    assert.equal(baseline.code, 0, describeRun(baseline));
    t.write('001_a.sql', migration('CREATE TABLE IF NOT EXISTS a (id int PRIMARY KEY);', 'DROP TABLE a;'));
    t.write('002_b.sql', migration('CREATE TABLE IF NOT EXISTS b (id int PRIMARY KEY);', 'DROP TABLE b;'));
    const repair = await t.run(['repair', '--url', t.url]);
    assert.equal(repair.code, 0, describeRun(repair));
    const seen = await t.query<{ version: string; change: string; synchronous_commit: string; txid: string }>('SELECT * FROM commit_settings ORDER BY change, version');
    assert.deepEqual(
      seen.map((r) => [r.change, r.version, r.synchronous_commit]),
      [['INSERT', '002', 'on'], ['INSERT', '003', 'on'], ['UPDATE', '001', 'on'], ['UPDATE', '002', 'on']],
    );
    assert.equal(new Set(seen.filter((r) => r.change === 'UPDATE').map((r) => r.txid)).size, 1, 'repair used more than one transaction');
  });

  it('baseline without --to is a usage error (exit 2) and records nothing', async () => {
    t.write('001_users.sql', migration('CREATE TABLE users (id int);'));
    const result = await t.run(['baseline', '--url', t.url]);
    assert.equal(result.code, 2, describeRun(result));
    assert.match(result.stderr, /baseline --to VERSION/);
    assert.equal(await t.versions(), null);
  });
});
