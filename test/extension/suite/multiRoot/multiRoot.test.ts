import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../../src/extension/commandIds';
import type { StrataApi } from '../../../../src/extension/extension';
import { appliedVersions, strata, Stubs, treeText } from '../helpers';

describe('a multi-root workspace', () => {
  let api: StrataApi;
  const stubs = new Stubs();

  before(async () => {
    api = await strata();
    await api.projects.ready();
  });
  afterEach(() => stubs.restore());

  it('shows one branch per folder with migrations, each with its own state', async () => {
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((folder) => folder.name), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(await treeText(api), [
      'alpha',
      '  Pending (3)',
      '    20240101000000 Create users',
      '    20240102000000 Add email',
      '    20240103000000 Create posts',
      '  Applied (0)',
      'beta',
      '  No connection: add one',
      '  Migrations (state unknown) (3)',
      '    20240101000000 Create users',
      '    20240102000000 Add email',
      '    20240103000000 Create posts',
    ]);
  });

  it('asks which folder when a command from the palette could mean several', async () => {
    stubs.collectMessages();
    const offered: string[] = [];
    stubs.stub(vscode.window, 'showQuickPick', ((items: readonly { label: string }[]) => {
      offered.push(...items.map((item) => item.label));
      return Promise.resolve(items.find((item) => item.label === 'alpha'));
    }) as unknown as typeof vscode.window.showQuickPick);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(Command.applyAll);
    assert.deepEqual(offered, ['alpha', 'beta']);
    assert.deepEqual(await appliedVersions(process.env.STRATA_TEST_DATABASE_URL!), ['20240101000000', '20240102000000', '20240103000000']);
    assert.deepEqual((await treeText(api)).slice(0, 3), ['alpha', '  Pending (0)', '  Applied (3)']);
  });
});
