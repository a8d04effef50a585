import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
 * activation: the extension's activation time with a stub host (fresh process per run: require the bundle
 * `npm run build` writes and call activate); and the sizes of the extension's bundles (its entry and the chunks
 * it loads later: every dist/*.js but the CLI's), the CLI bundle, the parser's wasm and the .vsix.
 */
export async function activation(ctx: BenchContext): Promise<WorkloadResult> {
  ctx.log('activation and bundle sizes');
  const devBundle = join(ROOT, 'dist', 'extension.js');
  const runs = ctx.options.sizes.activationRuns;
  const dev = await timeActivation(ctx, devBundle, runs);
  const devTotal = summarize(dev.map((t) => t.totalMs));
  // Everything in dist/ but the CLI ships in the extension: its entry and the chunks it loads later (e.g. the engine).
  const extensionFiles = readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.js') && f !== 'cli.js');
  const extensionBytes = extensionFiles.reduce((sum, f) => sum + statSync(join(ROOT, 'dist', f)).size, 0);
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
  ctx.log(`  activation: ${devTotal.median.toFixed(1)} ms (dist/extension.js)`);
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
      activation_runs: dev.length,
      extension_entry_mb: mb(statSync(devBundle).size),
      extension_bundle_mb: mb(extensionBytes),
      extension_bundle_files: extensionFiles.join(', '),
      cli_bundle_mb: mb(statSync(join(ROOT, 'dist', 'cli.js')).size),
      parser_wasm_mb: mb(wasmBytes),
      vsix_mb: vsix,
      extension_sourcemap_mb: existsSync(`${devBundle}.map`) ? mb(statSync(`${devBundle}.map`).size) : null,
    },
    notes: [],
  };
}
