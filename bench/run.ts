/**
 * `npm run bench` — Strata side by side with dbmate, node-pg-migrate and squawk (issue 6).
 *
 *   npm run bench                 full run: every workload on a fsync-on server, the migration workloads again
 *                                 on a fsync-off server; writes bench/RESULTS.md and bench/results.json
 *   npm run bench -- --quick      < 60 s: smaller counts, 3 runs, fsync-on only; prints the summary JSON last
 *   npm run bench -- --smoke      every workload at toy sizes, once: checks the harness (writes bench/.out/RESULTS.md)
 *   npm run bench -- --render     rewrites bench/RESULTS.md from bench/results.json (same numbers, current wording)
 *
 * Options: --runs N, --warmup N, --apply10k-runs N, --big-runs N (default 10 in a full run: one whole balanced order for its 5 contenders), --only noop,apply,big,status,down,apply10k,lint,activation,
 * --no-fsync-off, --no-write, --no-build.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildChildren, OUT } from './lib/build';
import type { BenchContext, BenchOptions, ServerRef, Sizes, WorkloadResult } from './lib/context';
import { hasGnuTime, setRssPreload } from './lib/proc';
import { summaryJson, targets, targetTable, workloadTable } from './lib/report';
import { renderResults, type RunMeta } from './lib/results-md';
import { RoundTripCounter } from './lib/roundtrips';
import { BenchServer } from './lib/server';
import { dbmateTool, findPeers, npmTool, PEERS, ROOT, STRATA_DIST, strataTool } from './lib/tools';
import { activation } from './workloads/activation';
import { down } from './workloads/down';
import { lint } from './workloads/lint';
import { apply, apply10k, big, noop } from './workloads/migrate';
import { status } from './workloads/status';

const FULL: Sizes = {
  noop: 1000,
  apply: 1000,
  apply10k: 10_000,
  bigTables: 2500,
  status: 10_000,
  down: 100,
  activationRuns: 15,
  lint2kIterations: 500,
  lint1mIterations: 15,
  statusIterations: 30,
  inProcessBudgetMs: 20_000,
  floors: true,
};
const QUICK: Sizes = {
  noop: 1000,
  apply: 100,
  apply10k: null,
  bigTables: null,
  status: 10_000,
  down: 100,
  activationRuns: 7,
  lint2kIterations: 200,
  lint1mIterations: 7,
  statusIterations: 10,
  inProcessBudgetMs: 2_000,
  floors: false,
};

/** SMOKE runs every workload at toy sizes, once: a check that the whole harness works (--smoke). */
const SMOKE: Sizes = {
  noop: 20,
  apply: 20,
  apply10k: 200,
  bigTables: 50,
  status: 500,
  down: 10,
  activationRuns: 2,
  lint2kIterations: 5,
  lint1mIterations: 2,
  statusIterations: 3,
  inProcessBudgetMs: 1_000,
  floors: true,
};

function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const smoke = argv.includes('--smoke');
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  const only = value('--only');
  return {
    quick,
    runs: Number(value('--runs') ?? (smoke ? 1 : quick ? 3 : 5)),
    warmup: Number(value('--warmup') ?? (smoke ? 0 : 1)),
    apply10kRuns: Number(value('--apply10k-runs') ?? (smoke ? 1 : 3)),
    // big5000's rounds spread over 4-8 s for every tool alike (the server's DDL on a shared disk): more rounds
    // for a steadier median ratio.
    bigRuns: Number(value('--big-runs') ?? value('--runs') ?? (smoke ? 1 : quick ? 3 : 10)),
    only: only ? new Set(only.split(',')) : null,
    fsyncOff: !quick && !argv.includes('--no-fsync-off'),
    write: !quick && !argv.includes('--no-write') && !only,
    build: !argv.includes('--no-build'),
    sizes: smoke ? SMOKE : quick ? QUICK : FULL,
    smoke,
  };
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function ensurePeers(): void {
  if (existsSync(join(PEERS, 'node_modules'))) return;
  log('installing the peer tools into bench/peers (npm install)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--prefix', PEERS, '--no-audit', '--no-fund'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error('npm install --prefix bench/peers failed');
}

function buildStrata(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** pinStrata copies dist/ to bench/.out/strata, which every Strata run of this bench uses. */
function pinStrata(): void {
  rmSync(STRATA_DIST, { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), STRATA_DIST, { recursive: true });
}

/** codeVersion is the commit measured, and whether src/, scripts/ or package.json had uncommitted changes. */
function codeVersion(): { commit: string; dirty: boolean } {
  const git = (args: string[]): string => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git(['rev-parse', '--short', 'HEAD']) || 'unknown';
  const dirty = git(['status', '--porcelain', '--', 'src', 'scripts', 'package.json']) !== '';
  return { commit, dirty };
}

async function attempt(kind: string, id: string, server: 'durable' | 'fast' | null, work: () => Promise<WorkloadResult | WorkloadResult[] | null>): Promise<WorkloadResult[]> {
  try {
    const result = await work();
    return result === null ? [] : Array.isArray(result) ? result : [result];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`!! ${id} failed: ${message}`);
    return [{ kind, id, title: id, server, tools: [], ratios: {}, values: {}, notes: [], error: message }];
  }
}

/** rerender rewrites bench/RESULTS.md from bench/results.json (the same run's numbers) after a change to the report's wording. */
function rerender(): void {
  const file = join(ROOT, 'bench', 'results.json');
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { meta: RunMeta; results: WorkloadResult[] };
  const checked = targets(saved.results);
  writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), renderResults(saved.meta, saved.results, checked, summaryJson(saved.results)));
  log('rewrote bench/RESULTS.md from bench/results.json');
}

async function main(): Promise<void> {
  if (process.argv.includes('--render')) return rerender();
  const options = parseOptions(process.argv.slice(2));
  const wants = (name: string): boolean => options.only === null || options.only.has(name);
  const started = new Date();
  const loadStart = loadavg();
  const t0 = performance.now();
  ensurePeers();
  const code = codeVersion();
  if (options.build) buildStrata();
  pinStrata();
  const serverStarting = BenchServer.start(true);
  serverStarting.catch(() => undefined);
  const bundles = await buildChildren();
  if (!hasGnuTime) setRssPreload(bundles.rss);
  const peers = findPeers();
  const work = mkdtempSync(join(tmpdir(), 'strata-bench-'));
  const ctx: BenchContext = {
    options,
    peers,
    tools: { strata: strataTool(), dbmate: dbmateTool(peers), npm: npmTool(peers), npmSingle: npmTool(peers, true) },
    bundles,
    work,
    log,
  };
  const results: WorkloadResult[] = [];
  const counters: RoundTripCounter[] = [];
  const counterFor = async (server: BenchServer): Promise<RoundTripCounter> => {
    const counter = new RoundTripCounter(server.server.port);
    await counter.start();
    counters.push(counter);
    return counter;
  };
  const servers: { durable?: BenchServer; fast?: BenchServer } = {};
  // Ctrl-C or a kill stops the servers and removes the scratch files before exiting.
  const interrupted = (signal: NodeJS.Signals): void => {
    log(`bench: ${signal}, stopping`);
    const stops = [servers.durable, servers.fast].map((server) => (server ? server.stop().catch(() => undefined) : Promise.resolve()));
    void Promise.all(stops).finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  const serverInfo: RunMeta['servers'] = [];
  const describe = (server: BenchServer): void => {
    serverInfo.push({ label: server.label, version: server.version, settings: server.settings });
  };
  try {
    log(`strata bench${options.quick ? ' --quick' : ''}: ${options.runs} counted runs after ${options.warmup} warm-up, tools alternating`);
    if (wants('lint')) {
      const linted = await attempt('lint', 'lint', null, () => lint(ctx));
      if (linted.length === 0) log('lint: skipped — src/core/lint/index.ts does not exist yet');
      results.push(...linted);
    }
    if (wants('activation')) results.push(...(await attempt('activation', 'activation', null, () => activation(ctx))));
    servers.durable = await serverStarting;
    describe(servers.durable);
    if (options.quick) servers.durable.resetMode = 'schema';
    log(`PostgreSQL ${servers.durable.settings.server_version} started: ${servers.durable.label}`);
    const durable: ServerRef = { server: servers.durable, kind: 'durable', counter: await counterFor(servers.durable) };
    const migrations = async (ref: ServerRef, withLong: boolean): Promise<void> => {
      if (wants('noop')) results.push(...(await attempt('noop', 'noop', ref.kind, () => noop(ctx, ref))));
      if (wants('apply')) results.push(...(await attempt('apply', 'apply', ref.kind, () => apply(ctx, ref))));
      if (wants('big') && options.sizes.bigTables !== null) results.push(...(await attempt('big', 'big5000', ref.kind, () => big(ctx, ref))));
      if (wants('down')) results.push(...(await attempt('down', 'down', ref.kind, () => down(ctx, ref))));
      if (withLong && wants('status')) results.push(...(await attempt('status-all', 'status', ref.kind, () => status(ctx, ref))));
      if (withLong && wants('apply10k') && options.sizes.apply10k !== null) results.push(...(await attempt('apply10k', 'apply10k', ref.kind, () => apply10k(ctx, ref))));
    };
    await migrations(durable, true);
    if (options.fsyncOff && (wants('noop') || wants('apply') || wants('big') || wants('down'))) {
      await servers.durable.stop();
      servers.durable = undefined;
      servers.fast = await BenchServer.start(false);
      describe(servers.fast);
      log(`PostgreSQL started: ${servers.fast.label}`);
      await migrations({ server: servers.fast, kind: 'fast', counter: await counterFor(servers.fast) }, false);
    }
  } finally {
    for (const counter of counters) await counter.stop();
    await servers.durable?.stop().catch(() => undefined);
    await servers.fast?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
  const elapsedS = (performance.now() - t0) / 1000;
  const summary = summaryJson(results);
  const checked = targets(results);
  const out: string[] = [];
  for (const w of results) out.push(...workloadTable(w), '');
  out.push('Targets (fsync on):', '', ...targetTable(checked), '', `bench finished in ${elapsedS.toFixed(1)} s`);
  process.stdout.write(out.join('\n') + '\n');
  if (options.write) {
    const meta: RunMeta = {
      date: started.toISOString(),
      elapsedS,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: totalmem() / 1024 ** 3,
      os: `${process.platform} ${release()}`,
      node: process.version,
      servers: serverInfo,
      loadStart,
      loadEnd: loadavg(),
      options,
      peers,
      gnuTime: hasGnuTime,
      code,
    };
    // A smoke run proves the harness, not the product: it never replaces the committed results.
    const dir = options.smoke ? OUT : join(ROOT, 'bench');
    writeFileSync(join(dir, 'RESULTS.md'), renderResults(meta, results, checked, summary));
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ meta, summary, targets: checked, results }, null, 2) + '\n');
    log(`wrote ${join(dir, 'RESULTS.md')} and results.json`);
  }
  process.stdout.write(JSON.stringify(summary) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
