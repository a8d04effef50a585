/**
 * `npm run test:extension`: runs the mocha suite in test/extension/suite inside a real VS Code's
 * extension host, against a real PostgreSQL.
 *
 * It builds the extension and the suite, starts the test PostgreSQL (test/support/postgres.ts), makes
 * a workspace folder whose .env points at a fresh database, and calls @vscode/test-electron's
 * runTests(). Where no Electron VS Code can be downloaded (TESTING.md), `vscodeExecutablePath` is our
 * launcher, which serves VS Code 1.100 with code-server and drives it with headless Chromium; set
 * STRATA_TEST_VSCODE=electron to let runTests() download VS Code instead. Then it runs the UI smoke
 * test (./uiSmoke.ts) in the browser.
 */
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshDatabase, startTestServer, stopTestServer } from '../support/postgres';
import { runUiSmokeTest } from './uiSmoke';

const repoRoot = resolve(__dirname, '..', '..');
const fixtures = join(__dirname, 'fixtures');

async function main(): Promise<number> {
  const started = Date.now();
  const { buildExtension, buildHostTests } = await import('../../scripts/vscode/build-extension.mjs');
  const { installCodeServer } = await import('../../scripts/vscode/install-code-server.mjs');
  const electron = process.env.STRATA_TEST_VSCODE === 'electron';
  if (!electron) installCodeServer();
  const [, suite] = await Promise.all([buildExtension(), buildHostTests()]);
  const server = await startTestServer();
  const workspace = mkdtempSync(join(tmpdir(), 'strata-host-tests-'));
  try {
    const database = await freshDatabase();
    const folder = join(workspace, 'project');
    mkdirSync(folder);
    cpSync(join(fixtures, 'project'), folder, { recursive: true });
    writeFileSync(join(folder, '.env'), `DATABASE_URL=${database.url}\n`);
    process.stderr.write(`[strata host tests] ready in ${Math.round((Date.now() - started) / 1000)} s; starting VS Code\n`);
    await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite,
      launchArgs: [folder, '--disable-extensions'],
      ...(electron ? {} : { vscodeExecutablePath: join(repoRoot, 'scripts', 'vscode', 'launcher.mjs') }),
      extensionTestsEnv: {
        ...hostEnvironment(),
        STRATA_TEST_ADMIN_URL: server.adminUrl,
        STRATA_TEST_DATABASE_URL: database.url,
        STRATA_TEST_WORKSPACE: folder,
      },
    });
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
    rmSync(workspace, { recursive: true, force: true });
  }
}

/**
 * hostEnvironment hides the connection variables of the machine running the tests from the extension
 * host (runTests() passes the whole environment on), so only the fixture's .env decides the connection.
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
