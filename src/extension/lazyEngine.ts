/** Engine is the heavy half of the engine (./engine.ts), loaded on first use. */
export type Engine = typeof import('./engine.js');

let engine: Engine | undefined;

/**
 * loadEngine loads pg and the runner on first call. scripts/vscode/build-extension.mjs bundles
 * ./engine.ts as dist/engine.js beside dist/extension.js, so activation never compiles it; a single
 * bundle (scripts/build.mjs) inlines it as a lazily initialised module, which works the same.
 */
export function loadEngine(): Promise<Engine> {
  // A plain require: the extension host loads CommonJS, and this is the line the split build keeps external.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require('./engine.js') as Engine;
  return Promise.resolve(engine);
}

/** loadEngineWithParser also loads the PostgreSQL parser, which runs, plans and rehearsals need. */
export async function loadEngineWithParser(): Promise<Engine> {
  const loaded = await loadEngine();
  await loaded.loadParser();
  return loaded;
}
