/** `strata adopt`: what was detected, and `--copy` into Strata's own table with strata.json updated. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRun, parseJson } from '../../support/cli';
import { useCliCase, type StatusJson } from '../cli/harness';

interface AdoptJson {
  table: string;
  tool: string;
  applied: number;
  pending: number;
  failed: number;
  layout: string;
  checksums: string | null;
  writable: { up: boolean; down: boolean };
  readOnly: { up: string | null; down: string | null };
  copied: { table: string; rows: number } | null;
  config: { file: string; written: boolean; add: Record<string, string> } | null;
}

describe('CLI adopt', () => {
  const t = useCliCase();

  /** dbmateProject has dbmate's table with two of three migrations applied. */
  async function dbmateProject(): Promise<void> {
    for (const [version, table] of [['20240101000000', 'users'], ['20240102000000', 'posts'], ['20240103000000', 'tags']]) {
      t.write(`${version}_${table}.sql`, `-- migrate:up\nCREATE TABLE ${table} (id int);\n-- migrate:down\nDROP TABLE ${table};\n`);
    }
    await t.query('CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)');
    await t.query("INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240102000000')");
  }

  it('reports the tool, the counts, the layout and whether Strata writes there, changing nothing', async () => {
    await dbmateProject();
    const catalog = await t.catalog();
    const result = await t.run(['adopt', '--json', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    const json = parseJson<AdoptJson>(result);
    assert.deepEqual(
      { table: json.table, tool: json.tool, applied: json.applied, pending: json.pending, failed: json.failed, checksums: json.checksums, writable: json.writable },
      { table: 'public.schema_migrations', tool: 'dbmate', applied: 2, pending: 1, failed: 0, checksums: null, writable: { up: true, down: true } },
    );
    assert.match(json.layout, /UP and DOWN sections/);
    assert.equal(await t.catalog(), catalog);

    const human = await t.run(['adopt', '--url', t.url]);
    assert.match(human.stdout, /Tracking table: public\.schema_migrations \(dbmate\)/);
    assert.match(human.stdout, /strata adopt --copy/);
  });

  it('names what is read-only and why (Prisma: no down)', async () => {
    t.write('20240101000000_init.sql', 'CREATE TABLE a (id int);\n');
    await t.query(`CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const json = parseJson<AdoptJson>(await t.run(['adopt', '--json', '--url', t.url]));
    assert.equal(json.tool, 'prisma');
    assert.deepEqual(json.writable, { up: true, down: false });
    assert.match(json.readOnly.down ?? '', /Prisma Migrate has no down migrations/);
  });

  it('--copy copies the history into strata_migrations, writes strata.json, leaves the old table; status is unchanged', async () => {
    await dbmateProject();
    const before = await t.query('SELECT * FROM schema_migrations ORDER BY version');
    const result = await t.run(['adopt', '--copy', '--json', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    const json = parseJson<AdoptJson>(result);
    assert.deepEqual(json.copied, { table: 'public.strata_migrations', rows: 2 });
    assert.deepEqual(json.config, { file: 'strata.json', written: true, add: { table: 'strata_migrations', history: 'strata' } });
    assert.deepEqual(JSON.parse(readFileSync(join(t.project.root, 'strata.json'), 'utf8')), { table: 'strata_migrations', history: 'strata' });
    assert.deepEqual(await t.query('SELECT * FROM schema_migrations ORDER BY version'), before);
    assert.deepEqual(await t.versions('public.strata_migrations'), ['20240101000000', '20240102000000']);

    const status = await t.run(['status', '--json', '--url', t.url]);
    assert.deepEqual(parseJson<StatusJson>(status).migrations.map((m) => m.state), ['applied', 'applied', 'pending']);
    const up = await t.run(['up', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
    assert.deepEqual(await t.versions('public.strata_migrations'), ['20240101000000', '20240102000000', '20240103000000']);
    assert.deepEqual(await t.query('SELECT * FROM schema_migrations ORDER BY version'), before);
  });

  it('--copy adds to an existing strata.json without touching what is there, and does not copy twice', async () => {
    await dbmateProject();
    writeFileSync(join(t.project.root, 'strata.json'), '{\n  "lockTimeout": "5s"\n}\n');
    const result = await t.run(['adopt', '--copy', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    assert.equal(readFileSync(join(t.project.root, 'strata.json'), 'utf8'), '{\n  "lockTimeout": "5s",\n  "table": "strata_migrations",\n  "history": "strata"\n}\n');

    const again = await t.run(['adopt', '--copy', '--url', t.url]);
    assert.equal(again.code, 1, describeRun(again));
    assert.match(again.stderr, /already Strata's own tracking table/);
  });

  it('--copy never replaces a key the user set: it prints what to change instead', async () => {
    await dbmateProject();
    const config = '{ "history": "dbmate" }\n';
    writeFileSync(join(t.project.root, 'strata.json'), config);
    const result = await t.run(['adopt', '--copy', '--url', t.url]);
    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.stdout, /strata\.json already sets one of these keys; change it by hand to: "table": "strata_migrations", "history": "strata"/);
    assert.equal(readFileSync(join(t.project.root, 'strata.json'), 'utf8'), config);
    assert.deepEqual(await t.versions('public.strata_migrations'), ['20240101000000', '20240102000000']);
  });
});
