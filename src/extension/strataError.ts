/** isStrataError recognises the engine's errors across the extension's two bundles (see src/core/errors.ts). */
export { isStrataError } from '../core/errors';
