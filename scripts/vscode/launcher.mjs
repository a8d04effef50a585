#!/usr/bin/env node
// A stand-in for the VS Code executable that @vscode/test-electron's runTests() launches
// (`vscodeExecutablePath`), for machines where no Electron VS Code can be downloaded. It accepts the
// same command line (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
// --extensions-dir=, a folder or .code-workspace to open), starts code-server, opens the workbench in
// headless Chromium with the extension under development and the test module, prints the log the
// workbench reports, and exits with the test run's exit code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { addDevelopmentOptions, launchChromium, startCodeServer, workbenchUrl } from './code-server.mjs';

const TIMEOUT_MS = Number(process.env.STRATA_HOST_TEST_TIMEOUT_MS ?? 300_000);

function parseArgs(argv) {
  const options = { extensionPaths: [], extensionTestsPath: null, userDataDir: null, extensionsDir: null, target: null };
  for (const arg of argv) {
    const [key, ...rest] = arg.split('=');
    const value = rest.join('=');
    if (key === '--extensionDevelopmentPath') options.extensionPaths.push(resolve(value));
    else if (key === '--extensionTestsPath') options.extensionTestsPath = resolve(value);
    else if (key === '--user-data-dir') options.userDataDir = resolve(value);
    else if (key === '--extensions-dir') options.extensionsDir = resolve(value);
    else if (!arg.startsWith('-')) options.target = resolve(arg);
    // Electron-only flags (--no-sandbox, --disable-updates, ...) mean nothing to code-server.
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const home = mkdtempSync(join(tmpdir(), 'strata-code-server-'));
  const verbose = process.env.STRATA_HOST_TEST_VERBOSE === '1';
  let server = null;
  let browser = null;
  try {
    server = await startCodeServer({
      home,
      // runTests() passes a user data dir shared between runs; a fresh one per run keeps runs independent.
      userDataDir: join(home, 'user-data'),
      extensionsDir: options.extensionsDir ?? join(home, 'extensions'),
      // STRATA_WORKSPACE_TRUST=ask opens the workspace untrusted, for tests of restricted mode.
      workspaceTrust: process.env.STRATA_WORKSPACE_TRUST === 'ask',
      log: verbose ? (line) => process.stderr.write(`[code-server] ${line}\n`) : () => {},
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    const finished = new Promise((resolveExit) => {
      void page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => printLog(type, args));
    if (verbose) page.on('console', (message) => process.stderr.write(`[browser] ${message.text()}\n`));
    page.on('pageerror', (error) => process.stderr.write(`[browser] ${error.message}\n`));
    await addDevelopmentOptions(page, options);
    await page.goto(workbenchUrl(server.url, options.target));
    const timeout = new Promise((resolveExit) =>
      setTimeout(() => {
        process.stderr.write(`The extension tests did not finish within ${TIMEOUT_MS / 1000} s.\n${server.output()}\n`);
        resolveExit(1);
      }, TIMEOUT_MS).unref(),
    );
    return await Promise.race([finished, timeout]);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

// The workbench's own chatter during a run: connection set-up, the web worker refusing a Node
// extension (it runs in the server's extension host instead), the offline extension gallery.
const NOISE = [
  /^Resolving connection token/,
  /^Resolved connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^Error while fetching the extension under development .* is not a web extension/,
  /^ChatSessionStore:/,
  /ENOTFOUND (open-vsx\.org|marketplace)/,
  /^DialogService: refused to show dialog in tests\. Contents: Do you trust the authors/,
  /^Creation of workbench contribution '.*' took \d+ms\./,
];

/** printLog writes what the workbench logs during a test run: the extension host's console among it, formatted like console.log. */
function printLog(type, args) {
  const text = Array.isArray(args) ? format(...args) : String(args);
  if (process.env.STRATA_HOST_TEST_VERBOSE !== '1' && NOISE.some((pattern) => pattern.test(text))) return;
  (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
