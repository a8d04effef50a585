import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { OUT } from '../lib/build';
import type { BenchContext, WorkloadResult } from '../lib/context';
import { runChecked } from '../lib/proc';
import { summarize } from '../lib/stats';
import { ROOT, STRATA_CLI, STRATA_DIST } from '../lib/tools';

const mb = (bytes: number): number => bytes / (1024 * 1024);

interface Activation {
  requireMs: number;
  activateMs: number;
  totalMs: number;
}

async function timeActivation(ctx: BenchContext, bundle: string, runs: number): Promise<Activation[]> {
  const times: Activation[] = [];
  for (let i = 0; i <= runs; i++) {
    const result = await runChecked({ cmd: process.execPath, args: [ctx.bundles.activation, bundle, join(ROOT, 'examples'), join(ROOT, 'node_modules', '@types', 'vscode', 'index.d.ts')] }, 'activation');
    if (i > 0) times.push(JSON.parse(result.stdout) as Activation); // the first process warms the file cache
  }
  return times;
}

/** findVsix is the newest .vsix in the project root, or null. */
function findVsix(): string | null {
  const files = readdirSync(ROOT)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => join(ROOT, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] ?? null;
}

/** unpack extracts a .vsix (a zip) with unzip, or Python's zipfile when unzip is missing. */
async function unpack(vsix: string, dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const hasUnzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;
  const command = hasUnzip ? { cmd: 'unzip', args: ['-q', '-o', vsix, '-d', dir] } : { cmd: 'python3', args: ['-m', 'zipfile', '-e', vsix, dir] };
  await runChecked(command, 'unpacking the .vsix');
}

/** Shipped is the extension as measured: the bundle to activate and the JavaScript that ships with it. */
interface Shipped {
  entry: string;
  files: string[];
  source: string;
  vsixMb: number | string;
}

/**
 * shipped packages the extension with the project's own `npm run package` (full runs) and measures what the
 * .vsix holds; `npm run package` rewrites dist/, so `npm run build` runs again afterwards. Without a package
 * script, or in --quick, it measures dist/extension.js as `npm run build` wrote it at the bench's start.
 */
async function shipped(ctx: BenchContext): Promise<Shipped> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const fromDist: Shipped = { entry: join(STRATA_DIST, 'extension.js'), files: [join(STRATA_DIST, 'extension.js')], source: 'dist/extension.js from `npm run build`', vsixMb: '' };
  if (!pkg.scripts?.package) return { ...fromDist, vsixMb: 'not built: the project has no `npm run package` script' };
  if (ctx.options.quick) return { ...fromDist, vsixMb: 'not built in --quick' };
  ctx.log('  npm run package');
  const started = Date.now();
  try {
    await runChecked({ cmd: 'npm', args: ['run', 'package', '--silent'], cwd: ROOT }, 'npm run package');
  } finally {
    if (ctx.options.build) await runChecked({ cmd: process.execPath, args: [join(ROOT, 'scripts', 'build.mjs')], cwd: ROOT }, 'npm run build');
  }
  const vsix = findVsix();
  if (!vsix || statSync(vsix).mtimeMs < started - 1000) return { ...fromDist, vsixMb: '`npm run package` produced no .vsix' };
  const dir = join(OUT, 'vsix');
  await unpack(vsix, dir);
  const dist = join(dir, 'extension', 'dist');
  const files = readdirSync(dist).filter((f) => f.endsWith('.js')).map((f) => join(dist, f));
  return { entry: join(dist, 'extension.js'), files, source: `${basename(vsix)} (\`npm run package\`)`, vsixMb: mb(statSync(vsix).size) };
}

/**
 * activation: the extension's activation time with a stub host — a fresh process per run requires the
 * extension's entry bundle and calls activate — measured on what the .vsix ships when the project can package
 * itself; and the sizes of the extension's JavaScript (entry and lazily loaded chunks), the CLI bundle, the
 * parser's wasm and the .vsix.
 */
export async function activation(ctx: BenchContext): Promise<WorkloadResult> {
  ctx.log('activation and bundle sizes');
  const ext = await shipped(ctx);
  const runs = ctx.options.sizes.activationRuns;
  const times = await timeActivation(ctx, ext.entry, runs);
  const total = summarize(times.map((t) => t.totalMs));
  const bytes = ext.files.reduce((sum, f) => sum + statSync(f).size, 0);
  const wasm = readdirSync(STRATA_DIST).filter((f) => f.endsWith('.wasm'));
  const wasmBytes = wasm.reduce((sum, f) => sum + statSync(join(STRATA_DIST, f)).size, 0);
  ctx.log(`  activation: ${total.median.toFixed(1)} ms (${ext.source})`);
  return {
    kind: 'activation',
    id: 'activation',
    title: 'extension activation (stub host) and bundle sizes',
    server: null,
    tools: [],
    ratios: {},
    values: {
      measured: ext.source,
      activation_ms: total.median,
      activation_min_ms: total.min,
      activation_max_ms: total.max,
      activation_require_ms: summarize(times.map((t) => t.requireMs)).median,
      activation_activate_ms: summarize(times.map((t) => t.activateMs)).median,
      activation_runs: times.length,
      extension_entry_mb: mb(statSync(ext.entry).size),
      extension_bundle_mb: mb(bytes),
      extension_bundle_files: ext.files.map((f) => basename(f)).join(', '),
      cli_bundle_mb: mb(statSync(STRATA_CLI).size),
      parser_wasm_mb: mb(wasmBytes),
      vsix_mb: ext.vsixMb,
    },
    notes: [],
  };
}
