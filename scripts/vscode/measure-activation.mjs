// Measures what Strata adds to VS Code's startup: loading dist/extension.js and running activate(),
// in a fresh Node process with a stand-in `vscode` module (every API call returns another stand-in).
// Also checks that activation loads neither pg nor the SQL parser. Prints one JSON line.
//
//   node scripts/vscode/measure-activation.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.mjs';

const CHILD = String.raw`
const Module = require('node:module');
const stub = () => new Proxy(function () {}, {
  get: (target, key) => (key === Symbol.toPrimitive ? () => '' : key === Symbol.iterator ? function* () {} : stub()),
  set: () => true,
  apply: () => stub(),
  construct: () => stub(),
});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
// esbuild copies the module's own keys, so the stand-in lists the namespaces and classes the API has.
const api = {};
for (const key of ['window', 'workspace', 'commands', 'languages', 'extensions', 'env', 'Uri', 'EventEmitter', 'Disposable',
  'ThemeIcon', 'ThemeColor', 'TreeItem', 'TreeItemCollapsibleState', 'StatusBarAlignment', 'Range', 'Position', 'Selection',
  'CodeLens', 'Diagnostic', 'DiagnosticSeverity', 'ProgressLocation', 'ConfigurationTarget', 'MarkdownString',
  'CancellationError', 'RelativePattern', 'QuickPickItemKind', 'l10n']) api[key] = stub();
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: api };
// The extension host has loaded Node's built-in modules long before any extension activates.
for (const name of ['fs', 'fs/promises', 'path', 'crypto', 'util', 'os', 'url', 'events', 'net', 'child_process']) require('node:' + name);
const started = performance.now();
const extension = require(process.env.STRATA_BUNDLE);
const loaded = performance.now();
try { extension.activate({ subscriptions: [], extension: { packageJSON: {} }, secrets: stub(), workspaceState: stub(), globalState: stub() }); } catch (error) { console.error(error); process.exit(1); }
const activated = performance.now();
const heavy = Object.keys(require.cache).filter((file) => /[\\/]node_modules[\\/](pg|pg-protocol|libpg-query)[\\/]/.test(file));
process.stdout.write(JSON.stringify({ loadMs: loaded - started, activateMs: activated - loaded, heavy }));
`;

function measureOnce(bundle) {
  const run = spawnSync(process.execPath, ['-e', CHILD], { encoding: 'utf8', env: { ...process.env, STRATA_BUNDLE: bundle } });
  if (run.status !== 0) throw new Error(`measuring activation failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** measureActivation returns the median load + activate time over `runs` fresh processes, and the bundle size. */
export function measureActivation(runs = 5) {
  const bundle = join(repoRoot, 'dist', 'extension.js');
  const samples = Array.from({ length: runs }, () => measureOnce(bundle));
  const totals = samples.map((s) => s.loadMs + s.activateMs).sort((a, b) => a - b);
  const median = totals[Math.floor(totals.length / 2)];
  return {
    activationMs: Number(median.toFixed(1)),
    loadMs: Number(samples.map((s) => s.loadMs).sort((a, b) => a - b)[Math.floor(runs / 2)].toFixed(1)),
    bundleBytes: statSync(bundle).size,
    heavyModulesLoaded: [...new Set(samples.flatMap((s) => s.heavy))],
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const index = process.argv.indexOf('--runs');
  const result = measureActivation(index > 0 ? Number(process.argv[index + 1]) : 5);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result.heavyModulesLoaded.length > 0) process.exitCode = 1;
}
