/**
 * statementTimeout bounds every statement of a run (DESIGN.md, "Running migrations"): a migration that
 * runs longer is cancelled by the server, rolled back, not recorded, and the run fails with SQLSTATE
 * 57014 pointing at the statement.
 */
import assert from 'node:assert/strict';
import { describeRun, parseJson } from '../../support/cli';
import { migration, useCliCase, type UpJson } from './harness';

describe('CLI: statementTimeout', () => {
  const t = useCliCase();

  it('cancels a statement that runs past statementTimeout, records nothing, and names the statement', async () => {
    t.write('001_slow.sql', migration('CREATE TABLE slow (id int);\nSELECT pg_sleep(30);', 'DROP TABLE slow;'));
    t.config({ statementTimeout: '300ms' });
    const result = await t.run(['up', '--json', '--url', t.url]);
    assert.equal(result.code, 1, describeRun(result));
    // Bounded: the statement would run for 30 s.
    assert.ok(result.ms < 20_000, describeRun(result));
    const { error, applied } = parseJson<UpJson>(result);
    assert.deepEqual(applied, []);
    assert.equal(error?.sqlstate, '57014');
    assert.match(error?.message ?? '', /statement timeout/);
    assert.deepEqual([error?.line, error?.column], [3, 1]);
    assert.equal(await t.exists('slow'), false);
    assert.deepEqual(await t.versions(), []);
  });
});
