// Starts code-server (VS Code 1.100 served over HTTP) and opens its workbench in headless Chromium
// through playwright-core. Shared by the extension-test launcher, the UI smoke test and `npm start`.
// The flags and the workbench hook are the ones TESTING.md records as working on these machines.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromiumPath, codeServerEntry } from './paths.mjs';
import { installCodeServer } from './install-code-server.mjs';

/** freePort asks the kernel for a port nobody listens on. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * startCodeServer runs code-server on 127.0.0.1 without authentication, with its own user data,
 * extensions and XDG folders under `home`, and resolves once it answers HTTP.
 * Returns { url, stop, output } where output() is what the server has printed. Workspace trust is
 * off unless `workspaceTrust` is set.
 */
export async function startCodeServer({ home, userDataDir, extensionsDir, settings = {}, env = {}, port, host = '127.0.0.1', workspaceTrust = false, log = () => {} }) {
  const entry = installCodeServer();
  const userData = userDataDir ?? join(home, 'user-data');
  const extensions = extensionsDir ?? join(home, 'extensions');
  for (const dir of [userData, extensions, join(home, 'xdg-config'), join(home, 'xdg-data'), join(home, 'xdg-cache'), join(home, 'tmp'), join(userData, 'User')]) {
    mkdirSync(dir, { recursive: true });
  }
  const trust = { 'security.workspace.trust.enabled': workspaceTrust };
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...trust, ...settings }, null, 2));
  const listenPort = port ?? (await freePort());
  const args = [
    entry,
    '--config', '/dev/null',
    '--auth', 'none',
    '--bind-addr', `${host}:${listenPort}`,
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // With trust on, every folder opens untrusted (restricted mode), which is what the tests of that mode need.
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
  ];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      ...env,
      XDG_CONFIG_HOME: join(home, 'xdg-config'),
      XDG_DATA_HOME: join(home, 'xdg-data'),
      XDG_CACHE_HOME: join(home, 'xdg-cache'),
      TMPDIR: join(home, 'tmp'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (chunk) => {
    const text = chunk.toString();
    output += text;
    for (const line of text.split('\n')) if (line.trim()) log(line);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${listenPort}/`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(`${url}healthz`, exited, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop, output: () => output, exited };
}

/** installExtension installs a .vsix into an extensions folder with code-server's own CLI, as a user would. */
export function installExtension({ home, extensionsDir, vsix }) {
  const entry = installCodeServer();
  const run = spawnSync(process.execPath, [entry, '--config', '/dev/null', '--extensions-dir', extensionsDir, '--user-data-dir', join(home, 'user-data'), '--install-extension', vsix], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(home, 'xdg-config'), XDG_DATA_HOME: join(home, 'xdg-data'), XDG_CACHE_HOME: join(home, 'xdg-cache') },
  });
  if (run.status !== 0 || !/successfully installed/.test(run.stdout)) {
    throw new Error(`code-server could not install ${vsix} (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** DEFAULT_SETTINGS keep the workbench quiet and deterministic: no welcome page, no tours, no trust prompts. */
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

async function waitForHttp(url, exited, output) {
  const deadline = Date.now() + 60_000;
  let done = false;
  void exited.then(() => (done = true));
  while (Date.now() < deadline) {
    if (done) throw new Error(`code-server exited before it was ready:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer ${url} within 60 s:\n${output()}`);
}

/** CHROMIUM_ARGS are the flags that run Debian's Chromium headless in a container (TESTING.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** launchChromium starts headless Chromium with a fresh profile. */
export async function launchChromium({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath(), headless, args: CHROMIUM_ARGS });
}

/**
 * workbenchUrl opens a folder (`?folder=`) or a `.code-workspace` file (`?workspace=`).
 */
export function workbenchUrl(serverUrl, target) {
  if (!target) return `${serverUrl}?ew=true`;
  const key = target.endsWith('.code-workspace') ? 'workspace' : 'folder';
  return `${serverUrl}?${key}=${encodeURIComponent(target)}`;
}

/**
 * addDevelopmentOptions makes the workbench load extensions under development and run an extension
 * test module, as `--extensionDevelopmentPath` / `--extensionTestsPath` do for desktop VS Code (code-server
 * rejects those flags). It adds `developmentOptions` to the web configuration JSON that the workbench
 * reads from `#vscode-workbench-web-configuration` before it starts.
 */
export async function addDevelopmentOptions(page, { extensionPaths = [], extensionTestsPath = null }) {
  await page.addInitScript(
    ({ extensionPaths, extensionTestsPath }) => {
      const original = Element.prototype.getAttribute;
      Element.prototype.getAttribute = function getAttribute(name) {
        const value = original.call(this, name);
        if (name !== 'data-settings' || this.id !== 'vscode-workbench-web-configuration' || !value) return value;
        const settings = JSON.parse(value);
        const remote = (path) => ({ scheme: 'vscode-remote', authority: location.host, path });
        settings.developmentOptions = {
          ...(settings.developmentOptions ?? {}),
          extensions: extensionPaths.map(remote),
          ...(extensionTestsPath ? { extensionTestsPath: remote(extensionTestsPath) } : {}),
        };
        return JSON.stringify(settings);
      };
    },
    { extensionPaths, extensionTestsPath },
  );
}
