/**
 * Exit codes (0 success, 1 failure, 2 usage error, 3 findings), the aliases kept from hand-made runners
 * (`migrate`, `rollback`, `up --dry-run`, `--step`, `pending`), and where the connection comes from.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRun, parseJson } from '../../support/cli';
import { tableMigration, useCliCase, type DownJson, type FailureJson, type PlanJson, type StatusJson, type UpJson } from './harness';

describe('CLI exit codes', () => {
  const t = useCliCase();

  describe('2: usage errors, before anything is read or connected', () => {
    const cases: [string, string[], RegExp][] = [
      ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
      ['an unknown flag', ['status', '--frobnicate'], /--frobnicate/],
      ['--steps abc', ['up', '--steps', 'abc'], /--steps must be a positive whole number, got "abc"/],
      ['--step 0', ['down', '--step', '0'], /--steps must be a positive whole number, got "0"/],
      ['--to that is not a version', ['up', '--to', 'latest'], /--to must be a migration version/],
      ['create without a description', ['create'], /create needs a description/],
    ];
    for (const [what, args, message] of cases) {
      it(`exits 2 on ${what}, says why on stderr, and touches nothing`, async () => {
        t.write('001_a.sql', tableMigration('a'));
        const result = await t.run([...args, '--url', t.url]);
        assert.equal(result.code, 2, describeRun(result));
        assert.match(result.stderr, message);
        assert.equal(await t.versions(), null);
        assert.equal(await t.exists('a'), false);
      });
    }

    it('with --json, a usage error still prints {"error": {"code", "message"}} on stdout', async () => {
      const result = await t.run(['up', '--steps', 'abc', '--json', '--url', t.url]);
      assert.equal(result.code, 2, describeRun(result));
      const body = parseJson<FailureJson>(result);
      assert.equal(body.error.code, 'usage');
      assert.match(body.error.message, /--steps/);
    });

    it('exits 2 on an invalid strata.json, naming the file and the key', async () => {
      t.write('001_a.sql', tableMigration('a'));
      t.config({ table: 42 });
      const result = await t.run(['up', '--url', t.url]);
      assert.equal(result.code, 2, describeRun(result));
      assert.match(result.stderr, /strata\.json: `table` must be a non-empty name, got 42/);
      assert.equal(await t.versions(), null);
      assert.equal(await t.exists('a'), false);
    });
  });

  describe('3: findings', () => {
    it('status exits 0 with pending migrations, and 3 with --check; pending --check exits 3 until nothing is pending', async () => {
      t.write('001_a.sql', tableMigration('a'));
      t.write('002_b.sql', tableMigration('b'));
      const [plain, check, pendingCheck] = await Promise.all([
        t.run(['status', '--url', t.url]),
        t.run(['status', '--check', '--url', t.url]),
        t.run(['pending', '--check', '--url', t.url]),
      ]);
      assert.equal(plain.code, 0, describeRun(plain));
      assert.equal(check.code, 3, describeRun(check));
      assert.equal(pendingCheck.code, 3, describeRun(pendingCheck));
      assert.match(pendingCheck.stdout, /001/);

      assert.equal((await t.run(['up', '--url', t.url])).code, 0);
      const [checkAfter, pendingAfter] = await Promise.all([t.run(['status', '--check', '--url', t.url]), t.run(['pending', '--check', '--url', t.url])]);
      assert.equal(checkAfter.code, 0, describeRun(checkAfter));
      assert.equal(pendingAfter.code, 0, describeRun(pendingAfter));
      assert.match(pendingAfter.stdout, /No pending migrations/);
    });

    it('status exits 3 on drift even without --check, and up still applies pending migrations (exit 0) with a warning', async () => {
      t.write('001_a.sql', tableMigration('a'));
      assert.equal((await t.run(['up', '--url', t.url])).code, 0);
      t.write('001_a.sql', tableMigration('a_renamed'));
      t.write('002_b.sql', tableMigration('b'));
      const status = await t.run(['status', '--url', t.url]);
      assert.equal(status.code, 3, describeRun(status));
      assert.match(status.stdout, /DRIFTED/);
      const up = await t.run(['up', '--url', t.url]);
      assert.equal(up.code, 0, describeRun(up));
      assert.match(up.stderr, /warning: migrations\/001_a\.sql: edited after it was applied/);
      assert.deepEqual(await t.versions(), ['001', '002']);
    });
  });

  describe('1: failures', () => {
    it('up exits 1 when out-of-order migrations are pending, and applies them with --out-of-order', async () => {
      t.write('002_b.sql', tableMigration('b'));
      assert.equal((await t.run(['up', '--url', t.url])).code, 0);
      t.write('001_a.sql', tableMigration('a'));
      const refused = await t.run(['up', '--url', t.url]);
      assert.equal(refused.code, 1, describeRun(refused));
      assert.match(refused.stderr, /older than the newest applied one \(001\).*--out-of-order/s);
      assert.equal(await t.exists('a'), false);
      const allowed = await t.run(['up', '--out-of-order', '--url', t.url]);
      assert.equal(allowed.code, 0, describeRun(allowed));
      assert.deepEqual(await t.versions(), ['001', '002']);
    });
  });
});

describe('CLI aliases and connection sources', () => {
  const t = useCliCase();

  it('migrate is up and rollback is down', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_b.sql', tableMigration('b'));
    const migrate = await t.run(['migrate', '--json', '--url', t.url]);
    assert.equal(migrate.code, 0, describeRun(migrate));
    assert.deepEqual(parseJson<UpJson>(migrate).applied.map((r) => r.version), ['001', '002']);
    assert.deepEqual(await t.versions(), ['001', '002']);
    const rollback = await t.run(['rollback', '--json', '--url', t.url]);
    assert.equal(rollback.code, 0, describeRun(rollback));
    assert.deepEqual(parseJson<DownJson>(rollback).rolledBack.map((r) => r.version), ['002']);
    assert.deepEqual(await t.versions(), ['001']);
    assert.equal(await t.exists('b'), false);
  });

  it('up --dry-run prints the same plan as plan, and writes nothing', async () => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_b.sql', tableMigration('b'));
    const before = await t.catalog();
    const [dryRun, plan] = await Promise.all([t.run(['up', '--dry-run', '--json', '--url', t.url]), t.run(['plan', '--json', '--url', t.url])]);
    assert.equal(dryRun.code, 0, describeRun(dryRun));
    assert.deepEqual(parseJson<PlanJson>(dryRun), parseJson<PlanJson>(plan));
    assert.deepEqual(parseJson<PlanJson>(dryRun).steps.map((s) => s.version), ['001', '002']);
    assert.equal(await t.catalog(), before);
    assert.equal(await t.versions(), null);
  });

  it('--step N is --steps N, for up and down', async () => {
    for (const v of ['001', '002', '003']) t.write(`${v}_t${v}.sql`, tableMigration(`t${v}`));
    const up = await t.run(['up', '--step', '2', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
    assert.deepEqual(await t.versions(), ['001', '002']);
    const down = await t.run(['down', '--step', '2', '--url', t.url]);
    assert.equal(down.code, 0, describeRun(down));
    assert.deepEqual(await t.versions(), []);
    assert.equal(await t.exists('t001'), false);
  });

  it('pending lists only the pending migrations', async () => {
    t.write('001_applied.sql', tableMigration('a'));
    assert.equal((await t.run(['up', '--url', t.url])).code, 0);
    t.write('002_next.sql', tableMigration('b'));
    t.write('003_last.sql', tableMigration('c'));
    const [json, human] = await Promise.all([t.run(['pending', '--json', '--url', t.url]), t.run(['pending', '--url', t.url])]);
    assert.equal(json.code, 0, describeRun(json));
    assert.deepEqual(parseJson<StatusJson>(json).migrations.map((m) => [m.version, m.state]), [['002', 'pending'], ['003', 'pending']]);
    assert.equal(human.code, 0, describeRun(human));
    assert.match(human.stdout, /002\s+next\s+migrations\/002_next\.sql/);
    assert.match(human.stdout, /003\s+last/);
    assert.doesNotMatch(human.stdout, /001|applied/);
  });

  it("takes the database from DATABASE_URL, POSTGRES_URL or the project's .env, and prefers --url over them", async () => {
    t.write('001_a.sql', tableMigration('a'));
    const unreachable = 'postgres://nobody:nopw@127.0.0.1:1/none';
    writeFileSync(join(t.project.root, '.env'), `# local settings\nDATABASE_URL=${t.url}\n`);
    const [fromDatabaseUrl, fromPostgresUrl, fromDotenv, explicit] = await Promise.all([
      t.run(['status', '--json'], { DATABASE_URL: t.url }),
      t.run(['status', '--json'], { POSTGRES_URL: t.url }),
      t.run(['status', '--json']),
      t.run(['status', '--json', '--url', t.url], { DATABASE_URL: unreachable, POSTGRES_URL: unreachable }),
    ]);
    for (const result of [fromDatabaseUrl, fromPostgresUrl, fromDotenv, explicit]) {
      assert.equal(result.code, 0, describeRun(result));
      assert.deepEqual(parseJson<StatusJson>(result).migrations.map((m) => m.state), ['pending']);
    }
    const up = await t.run(['up'], { DATABASE_URL: t.url });
    assert.equal(up.code, 0, describeRun(up));
    assert.deepEqual(await t.versions(), ['001']);
    const wrong = await t.run(['status'], { DATABASE_URL: unreachable });
    assert.equal(wrong.code, 1, describeRun(wrong));
    assert.match(wrong.stderr, /127\.0\.0\.1:1.*\(DATABASE_URL\)/);
  });
});
