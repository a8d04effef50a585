/**
 * Extension activation with a stub host: `node activation.js BUNDLE WORKSPACE VSCODE_D_TS`. Resolves `vscode` to a stub in
 * which every API is present and returns another stub, then times require(BUNDLE) (reading and compiling the
 * bundle) and activate(context) until it returns (or its promise settles). Run in a fresh process each time:
 * that is what the extension host pays once per window.
 */
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Stub = ((...args: unknown[]) => unknown) & Record<string | symbol, unknown>;

/** stub is a callable, constructible object whose every property is another stub; never a thenable. */
function stub(name: string): Stub {
  const cache = new Map<string | symbol, unknown>();
  const target = function () {} as unknown as Stub;
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => name;
      if (key === Symbol.iterator) return function* () {};
      if (key === 'dispose') return () => undefined;
      if (!cache.has(key)) cache.set(key, stub(`${name}.${String(key)}`));
      return cache.get(key);
    },
    set(_t, key, value) {
      cache.set(key, value);
      return true;
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

function memento(): Record<string, unknown> {
  const values = new Map<string, unknown>();
  return {
    get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
    update: (key: string, value: unknown) => {
      values.set(key, value);
      return Promise.resolve();
    },
    keys: () => [...values.keys()],
    setKeysForSync: () => undefined,
  };
}

/**
 * apiNames lists the top-level exports of the `vscode` module from its type declarations, so the stub has each
 * as an own property (bundlers copy a CommonJS module's own keys when it is imported as a namespace).
 */
function apiNames(declarations: string): string[] {
  const names = new Set<string>();
  for (const match of declarations.matchAll(/^\t(?:export )?(?:namespace|class|enum|function|const|let|var) ([A-Za-z_$][\w$]*)/gm)) names.add(match[1]!);
  return [...names];
}

async function main(): Promise<void> {
  const [bundle, workspace, declarations] = process.argv.slice(2);
  if (!bundle || !declarations) throw new Error('usage: activation BUNDLE WORKSPACE VSCODE_D_TS');
  const vscode: Record<string, unknown> = { version: '1.100.0' };
  for (const name of apiNames(readFileSync(declarations, 'utf8'))) vscode[name] = stub(`vscode.${name}`);
  const workspaceFolder = workspace ? { uri: { fsPath: workspace, path: workspace, scheme: 'file', toString: () => pathToFileURL(workspace).href }, name: 'ws', index: 0 } : undefined;
  vscode.workspace = new Proxy(stub('vscode.workspace'), {
    get(t, key) {
      if (key === 'workspaceFolders') return workspaceFolder ? [workspaceFolder] : undefined;
      if (key === 'isTrusted') return true;
      return (t as Record<string | symbol, unknown>)[key];
    },
  });
  const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = resolver._resolveFilename;
  resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : original.call(this, request, ...rest);
  };
  const cache = require.cache as Record<string, unknown>;
  cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
  const dir = join(bundle, '..');
  const context = {
    subscriptions: [] as unknown[],
    extensionPath: join(dir, '..'),
    extensionUri: stub('extensionUri'),
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: () => Promise.resolve(undefined), store: () => Promise.resolve(), delete: () => Promise.resolve(), onDidChange: stub('onDidChange') },
    storageUri: undefined,
    globalStorageUri: stub('globalStorageUri'),
    logUri: stub('logUri'),
    extensionMode: 1,
    asAbsolutePath: (p: string) => join(dir, '..', p),
    environmentVariableCollection: stub('environmentVariableCollection'),
  };
  const t0 = performance.now();
  const extension = createRequire(__filename)(bundle) as { activate(context: unknown): unknown };
  const t1 = performance.now();
  await extension.activate(context);
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, subscriptions: context.subscriptions.length }) + '\n');
}

main().then(
  () => process.exit(0), // the stub host cannot dispose what activate started (timers, watchers): do not wait for them
  (error: unknown) => {
    process.stderr.write(`activation: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
