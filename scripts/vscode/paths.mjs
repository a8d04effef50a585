// Where the test VS Code lives, shared by the installer, the launcher, the sandbox and the UI test.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** CODE_SERVER_VERSION bundles VS Code 1.100.3 and runs on Node 20 (TESTING.md). */
export const CODE_SERVER_VERSION = '4.100.3';

/** repoRoot is the checkout this script belongs to. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** codeServerDir is code-server's install folder, in .vscode-test/ like test-electron's downloads. */
export function codeServerDir() {
  return join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
}

/** codeServerEntry is the script that starts code-server with the current Node. */
export function codeServerEntry() {
  return join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** chromiumPath finds a Chromium for playwright-core: CHROMIUM_PATH, else Debian's package. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found) throw new Error('No Chromium found: apt-get install -y chromium (or set CHROMIUM_PATH).');
  return found;
}
