/**
 * Two `strata up` processes started at the same time (two CI jobs, two deploy hooks): the advisory lock
 * makes one wait for the other, so every migration runs and is recorded exactly once.
 */
import assert from 'node:assert/strict';
import { describeRun, parseJson } from '../../support/cli';
import { rounds, tally } from '../../support/stress';
import { migration, useCliCase, type UpJson } from './harness';

const MIGRATIONS = 20;
const ROUNDS = rounds(3, 20);

describe('CLI: two up processes at once', () => {
  const t = useCliCase();

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}/${ROUNDS}: both exit 0, each of ${MIGRATIONS} migrations is applied and recorded exactly once`, async () => {
      const versions = Array.from({ length: MIGRATIONS }, (_, i) => String(i + 1).padStart(3, '0'));
      for (const [i, version] of versions.entries()) {
        // Every fourth migration sleeps, so the two runs overlap for a while.
        const sleep = i % 4 === 0 ? '\nSELECT pg_sleep(0.05);' : '';
        t.write(`${version}_t${i + 1}.sql`, migration(`CREATE TABLE t${i + 1} (id int PRIMARY KEY, note text);${sleep}`, `DROP TABLE t${i + 1};`));
      }
      const [first, second] = await Promise.all([t.run(['up', '--json', '--url', t.url]), t.run(['up', '--json', '--url', t.url])]);
      assert.equal(first.code, 0, describeRun(first));
      assert.equal(second.code, 0, describeRun(second));

      // Between them, the two runs applied every migration once: no version twice, none left out.
      const applied = [...parseJson<UpJson>(first).applied, ...parseJson<UpJson>(second).applied].map((r) => r.version).sort();
      assert.deepEqual(applied, versions);

      const [counts] = await t.query<{ rows: string; distinct: string }>('SELECT count(*) AS rows, count(DISTINCT version) AS distinct FROM public.schema_migrations');
      assert.deepEqual(counts, { rows: String(MIGRATIONS), distinct: String(MIGRATIONS) });
      assert.deepEqual(await t.versions(), versions);
      const tables = await t.query<{ relname: string }>(`SELECT relname FROM pg_catalog.pg_class WHERE relkind = 'r' AND relname ~ '^t[0-9]+$'`);
      assert.equal(tables.length, MIGRATIONS);
      tally('rounds raced', `2 x up over ${MIGRATIONS} migrations`);
      tally('processes raced', 'up and down processes started together', 2);
    });
  }
});
