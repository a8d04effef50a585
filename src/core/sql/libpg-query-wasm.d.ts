/** The Emscripten factory inside libpg-query (its package has no "exports" map, so the file can be required). */
declare module 'libpg-query/wasm/libpg-query.js' {
  const factory: (options?: Record<string, unknown>) => Promise<unknown>;
  export default factory;
}
