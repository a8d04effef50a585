/** buildExtension writes dist/extension.js, dist/engine.js and the parser's .wasm. */
export function buildExtension(options?: { production?: boolean }): Promise<void>;
/** buildHostTests bundles the extension-host mocha suite; returns the path of its index.js. */
export function buildHostTests(): Promise<string>;
