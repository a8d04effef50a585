/**
 * `npm run test:extension`: runs the mocha suites in test/extension/suite inside a real VS Code's
 * extension host, against a real PostgreSQL, then the UI smoke test in the browser.
 *
 * It builds the extension and the suites, starts the test PostgreSQL (test/support/postgres.ts), makes
 * workspaces whose .env points at fresh databases, and calls @vscode/test-electron's runTests() once per
 * scenario: the main folder (suite/*.test.ts), an untrusted folder (suite/untrusted/) and a multi-root
 * workspace (suite/multiRoot/). Where no Electron VS Code can be downloaded (TESTING.md),
 * `vscodeExecutablePath` is our launcher, which serves VS Code 1.100 with code-server and drives it with
 * headless Chromium; STRATA_TEST_VSCODE=electron lets runTests() download VS Code instead (the untrusted
 * scenario and the UI smoke test then do not run: they need the launcher).
 */
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshDatabase, startTestServer, stopTestServer } from '../support/postgres';
import { runUiSmokeTest } from './uiSmoke';

const repoRoot = resolve(__dirname, '..', '..');
const fixture = join(__dirname, 'fixtures', 'project');

/** Scenario is one launch of VS Code: what it opens, and the environment of its extension host. */
interface Scenario {
  name: 'main' | 'untrusted' | 'multiRoot';
  open: string;
  env: Record<string, string>;
}

async function main(): Promise<number> {
  const started = Date.now();
  const { buildExtension, buildHostTests } = await import('../../scripts/vscode/build-extension.mjs');
  const { installCodeServer } = await import('../../scripts/vscode/install-code-server.mjs');
  const electron = process.env.STRATA_TEST_VSCODE === 'electron';
  if (!electron) installCodeServer();
  const [, suite] = await Promise.all([buildExtension(), buildHostTests()]);
  const server = await startTestServer();
  const workspaces = mkdtempSync(join(tmpdir(), 'strata-host-tests-'));
  try {
    const scenarios = await prepareScenarios(workspaces);
    process.stderr.write(`[strata host tests] ready in ${Math.round((Date.now() - started) / 1000)} s; starting VS Code\n`);
    for (const scenario of scenarios) {
      if (electron && scenario.name === 'untrusted') continue;
      await runTests({
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: suite,
        launchArgs: [scenario.open, '--disable-extensions'],
        ...(electron ? {} : { vscodeExecutablePath: join(repoRoot, 'scripts', 'vscode', 'launcher.mjs') }),
        extensionTestsEnv: { ...hostEnvironment(), ...scenario.env, STRATA_TEST_ADMIN_URL: server.adminUrl, STRATA_TEST_SCENARIO: scenario.name },
      });
    }
    if (!electron) {
      process.stdout.write('\n  UI smoke test (the npm start sandbox in headless Chromium)\n');
      await runUiSmokeTest((await freshDatabase()).url);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await stopTestServer();
    rmSync(workspaces, { recursive: true, force: true });
  }
}

/** prepareScenarios makes each scenario's folders: copies of the fixture, with .env files pointing at fresh databases. */
async function prepareScenarios(root: string): Promise<Scenario[]> {
  const project = async (name: string, connected: boolean): Promise<{ folder: string; url: string }> => {
    const folder = join(root, name);
    cpSync(fixture, folder, { recursive: true });
    const { url } = await freshDatabase();
    if (connected) writeFileSync(join(folder, '.env'), `DATABASE_URL=${url}\n`);
    return { folder, url };
  };
  const main = await project('project', true);
  const untrusted = await project('untrusted', true);
  const multi = join(root, 'multi');
  mkdirSync(multi);
  const alpha = await project('multi/alpha', true);
  await project('multi/beta', false);
  mkdirSync(join(multi, 'gamma'));
  writeFileSync(join(multi, 'gamma', 'README.md'), 'A folder without migrations.\n');
  const workspaceFile = join(multi, 'strata.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'alpha' }, { path: 'beta' }, { path: 'gamma' }] }, null, 2));
  return [
    { name: 'main', open: main.folder, env: { STRATA_TEST_WORKSPACE: main.folder, STRATA_TEST_DATABASE_URL: main.url } },
    { name: 'untrusted', open: untrusted.folder, env: { STRATA_WORKSPACE_TRUST: 'ask', STRATA_TEST_WORKSPACE: untrusted.folder, STRATA_TEST_DATABASE_URL: untrusted.url } },
    { name: 'multiRoot', open: workspaceFile, env: { STRATA_TEST_WORKSPACE: multi, STRATA_TEST_DATABASE_URL: alpha.url } },
  ];
}

/**
 * hostEnvironment hides the connection variables of the machine running the tests from the extension
 * host (runTests() passes the whole environment on), so only the fixtures' .env files decide connections.
 */
function hostEnvironment(): Record<string, string | undefined> {
  const hidden: Record<string, undefined> = {};
  for (const key of Object.keys(process.env)) {
    if (key === 'DATABASE_URL' || key === 'POSTGRES_URL' || key.startsWith('PG')) hidden[key] = undefined;
  }
  return hidden;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
