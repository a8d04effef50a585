export const CODE_SERVER_VERSION: string;
export const repoRoot: string;
export function codeServerDir(): string;
export function codeServerEntry(): string;
export function chromiumPath(): string;
