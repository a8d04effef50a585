import { build, type BuildOptions } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './tools';

export const OUT = join(ROOT, 'bench', '.out');
export const LINT_SOURCE = join(ROOT, 'src', 'core', 'lint', 'index.ts');

/** ChildBundles are the bench's own child processes, bundled like the extension so they run without tsx. */
export interface ChildBundles {
  floor: string;
  status: string;
  activation: string;
  rss: string;
  lintChild: string;
  /** lintModule bundles src/core/lint with the parser; null while the lint engine does not exist. */
  lintModule: string | null;
}

export async function buildChildren(): Promise<ChildBundles> {
  mkdirSync(OUT, { recursive: true });
  const common: BuildOptions = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error', external: ['pg-native'] };
  const names = ['floor', 'status', 'activation', 'rss', 'lint'];
  await Promise.all(names.map((name) => build({ ...common, entryPoints: [join(ROOT, 'bench', 'child', `${name}.ts`)], outfile: join(OUT, `${name}.js`) })));
  let lintModule: string | null = null;
  if (existsSync(LINT_SOURCE)) {
    lintModule = join(OUT, 'strata-lint.js');
    await build({
      ...common,
      stdin: {
        contents: `export { lintMigration } from './src/core/lint/index';\nexport { loadParser } from './src/core/sql/parser';\n`,
        resolveDir: ROOT,
        loader: 'ts',
      },
      outfile: lintModule,
    });
    // The parser's worker thread, which the lint module looks for next to itself.
    await build({ ...common, entryPoints: [join(ROOT, 'src', 'core', 'sql', 'parseWorker.ts')], outfile: join(OUT, 'parse-worker.js') });
  }
  const wasmDir = join(ROOT, 'node_modules', 'libpg-query', 'wasm');
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, file), join(OUT, file));
  return {
    floor: join(OUT, 'floor.js'),
    status: join(OUT, 'status.js'),
    activation: join(OUT, 'activation.js'),
    rss: join(OUT, 'rss.js'),
    lintChild: join(OUT, 'lint.js'),
    lintModule,
  };
}
