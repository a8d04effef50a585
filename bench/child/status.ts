/**
 * In-process `status`, as the extension's refresh calls it (src/extension/project/project.ts): read the folder
 * (with checksums; files its watcher did not report changed are not read again: `trustRemembered`), read the
 * tracking table on an open session without the applied scripts, join them, and fetch the applied scripts of
 * drifted migrations (none here). The same is timed with every file's stat checked (`verified`, as the
 * extension reads the folder before a run). `node status.js URL DIR ITERATIONS BUDGET_MS` prints one JSON line: the first
 * (cold) call, every timed call after it (ITERATIONS, or fewer when BUDGET_MS is spent, at least 3), the median
 * split into its phases, and this process's peak RSS.
 */
import pg from 'pg';
import { discoverMigrations } from '../../src/core/discover';
import { HistoryTable } from '../../src/core/history';
import { computeStatus } from '../../src/core/status';

async function main(): Promise<void> {
  const [url, dir, iterationsText, budgetText] = process.argv.slice(2);
  if (!url || !dir) throw new Error('usage: status URL DIR ITERATIONS BUDGET_MS');
  const iterations = Number(iterationsText ?? 20);
  const budgetMs = Number(budgetText ?? Infinity);
  const t0 = performance.now();
  const client = new pg.Client({ connectionString: url, application_name: 'strata' });
  await client.connect();
  const connectMs = performance.now() - t0;
  const history = new HistoryTable('public', 'schema_migrations');
  const total: number[] = [];
  const discover: number[] = [];
  const read: number[] = [];
  const compute: number[] = [];
  let entries = 0;
  const verified: number[] = [];
  const started = performance.now();
  for (let i = 0; i <= iterations && (i <= 3 || performance.now() - started < budgetMs); i++) {
    const a = performance.now();
    const set = await discoverMigrations(dir, { trustRemembered: true });
    const b = performance.now();
    // As src/extension/project/project.ts does: the history without applied scripts, then the scripts of drifted ones.
    const rows = await history.read(client, { withScripts: false });
    const c = performance.now();
    const statuses = computeStatus(set, rows);
    const drifted = statuses.flatMap((status) => (status.state === 'drifted' && status.applied ? [status.applied.version] : []));
    await history.scripts(client, drifted);
    const d = performance.now();
    entries = statuses.length;
    total.push(d - a);
    discover.push(b - a);
    read.push(c - b);
    compute.push(d - c);
    const e = performance.now();
    await discoverMigrations(dir);
    verified.push(performance.now() - e + (c - b) + (d - c));
  }
  await client.end();
  const med = (v: number[]): number => [...v].sort((x, y) => x - y)[v.length >> 1]!;
  const [first, ...timed] = total;
  process.stdout.write(
    JSON.stringify({
      entries,
      connectMs,
      firstMs: first,
      times: timed,
      phases: { discover: med(discover.slice(1)), read: med(read.slice(1)), compute: med(compute.slice(1)) },
      verifiedMs: med(verified.slice(1)),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`status: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
