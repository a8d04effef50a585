import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/extension/commandIds';
import type { StrataApi } from '../../../src/extension/extension';
import { appliedVersions, databaseSuite, query, Stubs, type TestDatabase, workspacePath, writeWorkspaceFile } from './helpers';

const SLOW = '-- Migration: Slow\n-- UP\nCREATE TABLE slow (id int);\nSELECT pg_sleep(60);\n\n-- DOWN\nDROP TABLE slow;\n';

/** runningSleep is true while a Strata session runs the slow migration's pg_sleep on the server. */
async function runningSleep(url: string): Promise<boolean> {
  const rows = await query(url, `SELECT 1 FROM pg_stat_activity WHERE application_name = 'strata' AND state = 'active' AND query LIKE '%pg_sleep(60)%'`);
  return rows.length > 0;
}

describe('cancelling a run', () => {
  let api: StrataApi;
  let database: TestDatabase;
  const stubs = new Stubs();

  databaseSuite(stubs, (a, d) => ((api = a), (database = d)), () => writeWorkspaceFile('migrations/20231231000000_slow.sql', SLOW));

  it('cancels the running statement on the server, rolls it back, and reports no failure', async () => {
    const messages = stubs.collectMessages();
    const withProgress = vscode.window.withProgress.bind(vscode.window);
    const cancellation = new vscode.CancellationTokenSource();
    let watching: Promise<void> | undefined;
    // The notification's Cancel button, pressed once the server is running the slow statement.
    stubs.stub(vscode.window, 'withProgress', ((options: vscode.ProgressOptions, task: Parameters<typeof vscode.window.withProgress>[1]) => {
      if (!options.cancellable) return withProgress(options, task);
      const progress = {
        report: () => {
          watching ??= (async () => {
            for (let attempt = 0; attempt < 200 && !(await runningSleep(database.url)); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
            cancellation.cancel();
          })();
        },
      };
      return task(progress, cancellation.token);
    }) as typeof vscode.window.withProgress);
    const started = Date.now();
    await vscode.commands.executeCommand(Command.applyAll);
    await watching;
    assert.ok(Date.now() - started < 20_000, 'the 60 s statement was cancelled');
    assert.equal(await runningSleep(database.url), false);
    assert.deepEqual(await appliedVersions(database.url), []);
    assert.deepEqual(await query(database.url, `SELECT to_regclass('public.slow') AS t WHERE to_regclass('public.slow') IS NOT NULL`), []);
    assert.deepEqual(messages.errors, []);
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.file(workspacePath('migrations', '20231231000000_slow.sql'))).length, 0);
    assert.ok(api.output.recent().some((line) => /Cancelled by the user while 20231231000000 was running/.test(line)));
  });
});
