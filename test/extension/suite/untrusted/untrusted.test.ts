import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../../src/extension/commandIds';
import type { StrataApi } from '../../../../src/extension/extension';
import { appliedVersions, query, strata, Stubs, treeText } from '../helpers';

describe('an untrusted workspace runs no SQL', () => {
  let api: StrataApi;
  const stubs = new Stubs();
  const databaseUrl = (): string => process.env.STRATA_TEST_DATABASE_URL!;

  before(async () => {
    api = await strata();
    await api.projects.ready();
  });
  afterEach(() => stubs.restore());

  it('opens in restricted mode with the untrusted welcome view and a restricted status bar item', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(api.projects.viewState(), 'untrusted');
    assert.deepEqual(await treeText(api), []);
    assert.equal(api.statusBar.text, '$(shield) Strata: restricted');
  });

  it('refuses to apply, says why, and never connects to the database', async () => {
    const messages = stubs.collectMessages();
    await vscode.commands.executeCommand(Command.applyAll);
    await vscode.commands.executeCommand(Command.testConnection);
    assert.equal(messages.errors.length, 2);
    for (const error of messages.errors) assert.match(error, /^Strata runs no SQL in an untrusted workspace/);
    assert.deepEqual(await appliedVersions(databaseUrl()), []);
    const sessions = await query(databaseUrl(), `SELECT 1 FROM pg_stat_activity WHERE application_name = 'strata'`);
    assert.equal(sessions.length, 0);
    assert.ok(!api.output.recent().some((line) => line.includes('Connected to')));
  });
});
