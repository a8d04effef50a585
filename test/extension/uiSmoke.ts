/**
 * A small UI smoke test in the browser, on the `npm start` sandbox with the packaged .vsix installed
 * (so the production build and .vscodeignore are checked too): opens the Strata view from the
 * activity bar, reads the tree rows from the DOM, runs commands from the command palette, checks that
 * the tree changed, and saves a screenshot (.vscode-test/screenshots/strata.png; with
 * STRATA_UPDATE_SCREENSHOT=1 also media/screenshot.png, the one in the README).
 *
 *   tsx test/extension/uiSmoke.ts        (runTests.ts runs it after the host tests)
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startSandbox } from '../../scripts/vscode/sandbox';

const repoRoot = resolve(__dirname, '..', '..');
const ROWS = '.part.sidebar .pane-body .monaco-list-row';

/** treeRows reads the visible rows of the sidebar tree: label and description. */
async function treeRows(page: Page): Promise<string[]> {
  const rows: string[] = [];
  for (const row of await page.locator(ROWS).all()) {
    const name = (await row.locator('.label-name').first().textContent({ timeout: 1000 }).catch(() => null)) ?? '';
    const description = (await row.locator('.label-description').first().textContent({ timeout: 100 }).catch(() => null)) ?? '';
    rows.push(description ? `${name} · ${description}` : name);
  }
  return rows;
}

/** waitForRows waits until the tree shows rows that satisfy the predicate. */
async function waitForRows(page: Page, predicate: (rows: string[]) => boolean, what: string): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await treeRows(page);
    if (predicate(rows)) return rows;
    await page.waitForTimeout(200); // polling the DOM: the page offers no event for "tree rendered"
  }
  throw new Error(`the tree never showed ${what}; it shows:\n${rows.join('\n')}`);
}

/** runFromPalette opens the command palette (F1, retried until it shows) and runs a command by its title. */
async function runFromPalette(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; attempt < 20 && !(await input.isVisible()); attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 1000 }).catch(() => undefined);
  }
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** widenSidebar drags the sidebar's edge so that the tree's labels fit in the screenshot. */
async function widenSidebar(page: Page, width: number): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) return;
  const edge = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(edge, y);
  await page.mouse.down();
  await page.mouse.move(sidebar.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/** runUiSmokeTest runs the whole scenario; databaseUrl is an empty database (else the sandbox starts one). */
export async function runUiSmokeTest(databaseUrl?: string): Promise<void> {
  const started = Date.now();
  // The sandbox with the production .vsix installed: this also checks `npm run package` and its allow-list.
  const sandbox = await startSandbox({ dir: join(repoRoot, '.vscode-test', 'ui-sandbox'), databaseUrl, install: 'vsix' });
  const { launchChromium } = await import('../../scripts/vscode/code-server.mjs');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await page.goto(sandbox.url);
    const icon = page.locator('.activitybar .action-label[aria-label^="Strata"]');
    await icon.waitFor({ timeout: 60_000 });
    await icon.click();
    const before = await waitForRows(page, (rows) => rows.includes('Pending · 4') && rows.includes('Applied · 0'), 'the examples as pending');
    assert.deepEqual(before.slice(0, 2), ['Pending · 4', '20240115120000 Create users']);

    await runFromPalette(page, 'Strata: Apply Next Migration');
    await waitForRows(page, (rows) => rows.includes('Pending · 3') && rows.includes('Applied · 1'), 'one applied migration');
    await runFromPalette(page, 'Strata: Apply Next Migration');
    const after = await waitForRows(page, (rows) => rows.includes('Pending · 2') && rows.includes('Applied · 2') && rows.length === 6, 'two applied migrations');
    assert.ok(after.some((row) => /^20240115120000 Create users · (just now|\d+ seconds? ago)$/.test(row)), after.join('\n'));

    // Open an applied migration: the screenshot then shows its CodeLens too.
    await page.locator(ROWS, { hasText: '20240116090000' }).first().click();
    await page.locator('.codelens-decoration', { hasText: 'Applied' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.statusbar-item', { hasText: '2 pending' }).first().waitFor({ timeout: 15_000 });
    await widenSidebar(page, 520);
    await runFromPalette(page, 'Notifications: Clear All Notifications');
    const screenshots = join(repoRoot, '.vscode-test', 'screenshots');
    mkdirSync(screenshots, { recursive: true });
    const shot = join(screenshots, 'strata.png');
    await page.screenshot({ path: shot });
    if (process.env.STRATA_UPDATE_SCREENSHOT === '1') copyFileSync(shot, join(repoRoot, 'media', 'screenshot.png'));
    process.stdout.write(`  UI smoke test passed in ${Math.round((Date.now() - started) / 1000)} s; screenshot: ${shot}\n`);
  } finally {
    await browser.close();
    await sandbox.stop();
  }
}

if (require.main === module) {
  runUiSmokeTest(process.env.STRATA_TEST_DATABASE_URL).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
