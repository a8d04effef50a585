import { join } from 'node:path';
import type { BenchContext, ServerRef, WorkloadResult } from '../lib/context';
import { interleave, type Contender } from '../lib/interleave';
import { RACY_MS } from '../../src/core/discoveryCache';
import { runChecked, type Command, type ProcResult } from '../lib/proc';
import { summarize } from '../lib/stats';
import { STRATA_CLI, type MigrationTool } from '../lib/tools';
import { fileName, tinyMigrations, writeMigrations, type Migration, type ToolFormat } from './generate';
import { ratiosOf } from './migrate';

/**
 * markApplied records every migration as applied in a tool's own tracking table, without running it: Strata
 * with its own `baseline`; dbmate and node-pg-migrate have no such command, so their rows are written
 * exactly as they write them (dbmate: version; node-pg-migrate: name without .sql, run_on).
 */
async function markApplied(ref: ServerRef, tool: MigrationTool, db: string, dir: string, migrations: Migration[]): Promise<void> {
  const { server } = ref;
  const last = migrations[migrations.length - 1]!.version;
  if (tool.id === 'strata') {
    await runChecked({ cmd: process.execPath, args: [STRATA_CLI, 'baseline', '--to', last, '--url', server.url(db), '--dir', dir] }, 'strata baseline');
  } else if (tool.id === 'dbmate') {
    await server.query(db, 'CREATE TABLE IF NOT EXISTS public.schema_migrations (version varchar(128) PRIMARY KEY)');
    await server.query(db, 'INSERT INTO public.schema_migrations (version) SELECT unnest($1::text[])', [migrations.map((m) => m.version)]);
  } else {
    await server.query(db, 'CREATE TABLE IF NOT EXISTS "public"."pgmigrations" (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)');
    await server.query(db, 'INSERT INTO "public"."pgmigrations" (name, run_on) SELECT n, now() FROM unnest($1::text[]) WITH ORDINALITY AS u(n, i) ORDER BY i', [
      migrations.map((m) => fileName(m).slice(0, -4)),
    ]);
  }
  const recorded = await server.count(db, tool.historyTable);
  if (recorded !== migrations.length) throw new Error(`${tool.label}: ${recorded} of ${migrations.length} marked as applied`);
}

interface InProcess {
  entries: number;
  connectMs: number;
  firstMs: number;
  times: number[];
  phases: { discover: number; read: number; compute: number };
  verifiedMs: number;
  maxRssMb: number;
}

/**
 * status10k: `status` of N migration files with none applied and with all applied. The CLIs run as whole
 * processes, interleaved; Strata also in-process (a child process that times discover + read + join on an
 * open session many times, as the extension calls it on refresh). Status only reads, so each tool keeps its
 * own database for all runs of a state.
 */
export async function status(ctx: BenchContext, ref: ServerRef): Promise<WorkloadResult[]> {
  const n = ctx.options.sizes.status;
  const id = n % 1000 === 0 ? `status${n / 1000}k` : `status${n}`;
  const migrations = tinyMigrations(n);
  const tools = ctx.options.quick ? [ctx.tools.strata, ctx.tools.dbmate] : [ctx.tools.strata, ctx.tools.dbmate, ctx.tools.npm];
  const dirs: Record<ToolFormat, string> = writeMigrations(join(ctx.work, id), migrations, tools.map((t) => t.id));
  // Strata's status cache goes to the run's scratch folder, not the user's. It trusts a file only once the
  // file has been quiet for RACY_MS (a user's folder has been quiet far longer): wait that out first.
  const cacheHome = join(ctx.work, `${id}-cache`);
  const strataStatus = (url: string): Command => {
    const command = ctx.tools.strata.status(url, dirs.strata);
    return { ...command, env: { ...command.env, XDG_CACHE_HOME: cacheHome } };
  };
  await new Promise((resolve) => setTimeout(resolve, RACY_MS + 500));
  const results: WorkloadResult[] = [];
  for (const state of ['none', 'all'] as const) {
    const contenders: Contender[] = [];
    for (const tool of tools) {
      const db = `status_${state}_${tool.id}`;
      await ref.server.reset(db);
      if (state === 'all') await markApplied(ref, tool, db, dirs[tool.id], migrations);
      contenders.push({
        id: tool.id,
        label: tool.label,
        commands: () => [tool.id === 'strata' ? strataStatus(ref.server.url(db)) : tool.status(ref.server.url(db), dirs[tool.id])],
        verify: (runs) => {
          if (tool.id !== 'strata') return Promise.resolve();
          const json = JSON.parse(runs[0]!.stdout) as { migrations: { state: string }[] };
          const want = state === 'all' ? 'applied' : 'pending';
          const ok = json.migrations.filter((m) => m.state === want).length;
          if (ok !== n) throw new Error(`strata status: ${ok} of ${n} ${want}`);
          return Promise.resolve();
        },
      });
    }
    ctx.log(`${id} ${state === 'all' ? 'all applied' : 'none applied'} (${ref.kind})`);
    const measured = await interleave(contenders, { warmup: ctx.options.warmup, runs: ctx.options.runs, log: ctx.log, title: `${id}-${state}`, ...(ctx.options.quick ? {} : { trace: { server: ref.server, counter: ref.counter } }) });
    const strataDb = `status_${state}_strata`;
    // The same status with the cache turned off (every file read and hashed), for comparison.
    const uncached: ProcResult[] = [];
    for (let i = 0; i < Math.max(1, Math.min(3, ctx.options.runs)); i++) {
      const command = strataStatus(ref.server.url(strataDb));
      uncached.push(await runChecked({ ...command, args: [...command.args, '--no-cache'] }, 'strata status --no-cache'));
    }
    const uncachedMs = summarize(uncached.map((r) => r.ms)).median;
    const uncachedRss = uncached.map((r) => r.rssMb).filter((mb): mb is number => mb !== null);
    const uncachedRssMb = uncachedRss.length > 0 ? Math.max(...uncachedRss) : null;
    ctx.log(`  ${id}-${state} strata --no-cache: median ${uncachedMs.toFixed(0)} ms, peak RSS ${uncachedRssMb === null ? '?' : uncachedRssMb.toFixed(0)} MB (${uncached.length} runs)`);
    const child = await runChecked(
      { cmd: process.execPath, args: [ctx.bundles.status, ref.server.url(strataDb), dirs.strata, String(ctx.options.sizes.statusIterations), String(ctx.options.sizes.inProcessBudgetMs)] },
      'in-process status',
    );
    const inProcess = JSON.parse(child.stdout) as InProcess;
    if (inProcess.entries !== n) throw new Error(`in-process status saw ${inProcess.entries} of ${n}`);
    const summary = summarize(inProcess.times);
    ctx.log(`  ${id}-${state} in-process: median ${summary.median.toFixed(1)} ms (discover ${inProcess.phases.discover.toFixed(1)}, read ${inProcess.phases.read.toFixed(1)}, join ${inProcess.phases.compute.toFixed(1)}), every file's stat checked ${inProcess.verifiedMs.toFixed(1)} ms, first call ${inProcess.firstMs.toFixed(1)} ms`);
    results.push({
      kind: `status-${state}`,
      id: `${id}-${state}`,
      title: `status of ${n} files, ${state === 'all' ? 'all applied' : 'none applied'}`,
      server: ref.kind,
      tools: measured,
      ratios: ratiosOf(measured),
      values: {
        inprocess_median_ms: summary.median,
        inprocess_min_ms: summary.min,
        inprocess_max_ms: summary.max,
        inprocess_first_call_ms: inProcess.firstMs,
        inprocess_discover_ms: inProcess.phases.discover,
        inprocess_read_ms: inProcess.phases.read,
        inprocess_join_ms: inProcess.phases.compute,
        inprocess_stat_checked_ms: inProcess.verifiedMs,
        inprocess_connect_ms: inProcess.connectMs,
        inprocess_calls: inProcess.times.length,
        inprocess_peak_rss_mb: inProcess.maxRssMb,
        strata_cli_peak_rss_mb: measured.find((t) => t.id === 'strata')?.maxRssMb ?? null,
        strata_cli_no_cache_median_ms: uncachedMs,
        strata_cli_no_cache_peak_rss_mb: uncachedRssMb,
      },
      notes: [],
    });
    for (const tool of tools) await ref.server.drop(`status_${state}_${tool.id}`);
  }
  return results;
}
