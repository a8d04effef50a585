import { join } from 'node:path';
import type { BenchContext, ServerRef, WorkloadResult } from '../lib/context';
import { interleave, type Contender, type ToolResult } from '../lib/interleave';
import { runProcess } from '../lib/proc';
import { pairedRatio } from '../lib/stats';
import type { MigrationTool } from '../lib/tools';
import { bigMigration, noopMigrations, tinyMigrations, writeMigrations, type Migration, type ToolFormat } from './generate';

const DB = 'bench';

/** toolContender applies a folder with one tool into a freshly created database and checks every migration was recorded. */
export function applyContender(ref: ServerRef, tool: MigrationTool, dir: string, expected: number): Contender {
  const { server } = ref;
  return {
    id: tool.id,
    label: tool.label,
    before: () => server.reset(DB),
    commands: () => [tool.up(server.url(DB), dir)],
    verify: async () => {
      const recorded = await server.count(DB, tool.historyTable);
      if (recorded !== expected) throw new Error(`${tool.label} recorded ${recorded} of ${expected} migrations`);
    },
  };
}

/** floorContender is bare `pg` doing the same per-migration work (see child/floor.ts). */
function floorContender(ctx: BenchContext, ref: ServerRef, dir: string, mode: 'separate' | 'one', expected: number): Contender {
  const { server } = ref;
  return {
    id: mode === 'separate' ? 'floor4' : 'floor1',
    label: mode === 'separate' ? 'bare pg, 4 round trips' : 'bare pg, 1 round trip',
    before: () => server.reset(DB),
    commands: () => [{ cmd: process.execPath, args: [ctx.bundles.floor, server.url(DB), dir, mode] }],
    verify: async () => {
      const recorded = await server.count(DB, 'floor_migrations');
      if (recorded !== expected) throw new Error(`floor ${mode} recorded ${recorded} of ${expected}`);
    },
  };
}

/** ratiosOf computes Strata / every other contender, pair by pair, and against the faster of the two peers. */
export function ratiosOf(results: readonly ToolResult[]): Record<string, number> {
  const strata = results.find((r) => r.id === 'strata');
  const ratios: Record<string, number> = {};
  if (!strata) return ratios;
  for (const other of results) {
    if (other.id !== 'strata') ratios[`vs_${other.id}`] = pairedRatio(strata.times, other.times);
  }
  const peers = results.filter((r) => r.id === 'dbmate' || r.id === 'npm');
  if (peers.length > 0) {
    const fastest = peers.reduce((a, b) => (b.summary.median < a.summary.median ? b : a));
    ratios.vs_fastest_peer = pairedRatio(strata.times, fastest.times);
  }
  return ratios;
}

interface MigrateSpec {
  kind: string;
  id: string;
  title: string;
  migrations: Migration[];
  floors: boolean;
  peers: ('dbmate' | 'npm')[];
  /** trace counts each contender's round trips in one extra run. */
  trace: boolean;
}

async function runMigrateWorkload(ctx: BenchContext, ref: ServerRef, spec: MigrateSpec, warmup: number, runs: number): Promise<WorkloadResult> {
  const root = join(ctx.work, `${spec.id}-${ref.kind}`);
  const dirs: Record<ToolFormat, string> = writeMigrations(root, spec.migrations, ['strata', ...spec.peers]);
  const n = spec.migrations.length;
  const contenders: Contender[] = [applyContender(ref, ctx.tools.strata, dirs.strata, n)];
  for (const peer of spec.peers) contenders.push(applyContender(ref, ctx.tools[peer], dirs[peer], n));
  if (spec.floors) contenders.push(floorContender(ctx, ref, dirs.strata, 'separate', n), floorContender(ctx, ref, dirs.strata, 'one', n));
  ctx.log(`${spec.title} (${ref.kind})`);
  const trace = spec.trace && !ctx.options.quick ? { server: ref.server, counter: ref.counter } : undefined;
  const tools = await interleave(contenders, { warmup, runs, log: ctx.log, title: spec.id, ...(trace ? { trace } : {}) });
  await ref.server.drop(DB);
  return { kind: spec.kind, id: spec.id, title: spec.title, server: ref.kind, tools, ratios: ratiosOf(tools), values: { migrations: n }, notes: [] };
}

export function noop(ctx: BenchContext, ref: ServerRef): Promise<WorkloadResult> {
  const n = ctx.options.sizes.noop;
  const peers: ('dbmate' | 'npm')[] = ctx.options.quick ? ['dbmate'] : ['dbmate', 'npm'];
  const spec = { kind: 'noop', id: `noop${n}`, title: `${n} migrations of SELECT 1`, migrations: noopMigrations(n), floors: ctx.options.sizes.floors, peers, trace: true };
  return runMigrateWorkload(ctx, ref, spec, ctx.options.warmup, ctx.options.runs);
}

export function apply(ctx: BenchContext, ref: ServerRef): Promise<WorkloadResult> {
  const n = ctx.options.sizes.apply;
  const spec = { kind: 'apply', id: `apply${n}`, title: `${n} CREATE TABLE migrations from empty`, migrations: tinyMigrations(n), floors: ctx.options.sizes.floors, peers: ['dbmate', 'npm'] as ('dbmate' | 'npm')[], trace: true };
  return runMigrateWorkload(ctx, ref, spec, ctx.options.warmup, ctx.options.runs);
}

export function big(ctx: BenchContext, ref: ServerRef): Promise<WorkloadResult> {
  const tables = ctx.options.sizes.bigTables ?? 2500;
  const spec = { kind: 'big', id: `big${tables * 2}`, title: `one migration of ${tables} CREATE TABLE + ${tables} CREATE INDEX`, migrations: bigMigration(tables), floors: ctx.options.sizes.floors, peers: ['dbmate', 'npm'] as ('dbmate' | 'npm')[], trace: true };
  return runMigrateWorkload(ctx, ref, spec, ctx.options.warmup, ctx.options.bigRuns);
}

/**
 * apply10k: 10,000 migrations in one `up`. Long (the server spends milliseconds on each CREATE TABLE: minutes
 * per run), so it runs without a warm-up round and with --apply10k-runs counted rounds (default 3). Then node-pg-migrate once with its default single transaction, to show
 * where that mode breaks (max_locks_per_transaction).
 */
export async function apply10k(ctx: BenchContext, ref: ServerRef): Promise<WorkloadResult> {
  const n = ctx.options.sizes.apply10k ?? 10_000;
  const spec = { kind: 'apply10k', id: `apply${n / 1000}k`, title: `${n} CREATE TABLE migrations in one up`, migrations: tinyMigrations(n), floors: false, peers: ['dbmate', 'npm'] as ('dbmate' | 'npm')[], trace: false };
  const result = await runMigrateWorkload(ctx, ref, spec, 0, ctx.options.apply10kRuns);
  const dir = join(ctx.work, `${spec.id}-${ref.kind}`, 'npm');
  await ref.server.reset(DB);
  ctx.log(`  ${spec.id}: node-pg-migrate with its default single transaction, once`);
  const single = await runProcess(ctx.tools.npmSingle.up(ref.server.url(DB), dir));
  const recorded = await ref.server.count(DB, 'public.pgmigrations');
  const output = single.stderr + single.stdout;
  const message = /out of shared memory/.exec(output)?.[0] ?? /Error[^\n]*/.exec(output)?.[0] ?? '';
  const attempted = (single.stdout.match(/### MIGRATION/g) ?? []).length;
  result.values.npm_single_transaction =
    single.code === 0
      ? `completed in ${Math.round(single.ms)} ms`
      : `failed at migration ${attempted} of ${n} after ${Math.round(single.ms)} ms, ${Math.max(recorded, 0)} recorded: ${message}`;
  await ref.server.drop(DB);
  return result;
}
