import assert from 'node:assert/strict';
import { existsSync, renameSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import { Command } from '../../../src/extension/commandIds';
import type { StrataApi } from '../../../src/extension/extension';
import { createDatabase, resetMigrations, strata, Stubs, treeText, useDatabase, workspacePath, writeWorkspaceFile, type TestDatabase } from './helpers';

describe('bad input gets a clear message or a welcome view', () => {
  let api: StrataApi;
  let database: TestDatabase;
  const stubs = new Stubs();

  before(async () => {
    api = await strata();
    resetMigrations();
    database = await createDatabase();
  });
  afterEach(() => stubs.restore());
  after(async () => {
    resetMigrations();
    await useDatabase(api, database.url);
    await database.drop();
  });

  it('an unreachable database: an error row above the files, an offline status bar, and a message when running', async () => {
    await useDatabase(api, 'postgres://postgres@127.0.0.1:9/nowhere');
    const tree = await treeText(api);
    assert.match(tree[0]!, /^Cannot read DATABASE_URL \(\.env\): could not connect to postgres:\/\/postgres@127\.0\.0\.1:9\/nowhere .*connection refused/);
    assert.deepEqual(tree.slice(1, 3), ['Migrations (state unknown) (3)', '  20240101000000 Create users']);
    assert.equal(api.statusBar.text, '$(warning) DATABASE_URL (.env) · offline');
    const messages = stubs.collectMessages();
    await vscode.commands.executeCommand(Command.applyAll);
    assert.match(messages.errors[0] ?? '', /^could not connect to .*connection refused/);
    assert.deepEqual(stubs.calls.get('showErrorMessage')![0]!.slice(1), ['Select Connection', 'Show Output']);
  });

  it('no connection: the tree is empty so the welcome view offers to add one, and commands say so', async () => {
    rmSync(workspacePath('.env'));
    await api.projects.refreshAll();
    assert.equal(api.projects.viewState(), 'noConnection');
    assert.deepEqual(await treeText(api), []);
    const messages = stubs.collectMessages();
    await vscode.commands.executeCommand(Command.rollbackLast);
    assert.match(messages.errors[0] ?? '', /^No database connection for project: add one to the strata\.connections setting, or set DATABASE_URL in the folder's \.env\./);
    assert.deepEqual(stubs.calls.get('showErrorMessage')![0]!.slice(1), ['Add Connection', 'Select Connection']);
  });

  it('commands from the palette with nothing to act on say so instead of doing nothing', async () => {
    await useDatabase(api, database.url);
    const messages = stubs.collectMessages();
    await vscode.commands.executeCommand(Command.showAppliedDiff);
    await vscode.commands.executeCommand(Command.rollbackTo);
    assert.deepEqual(messages.info, ['No migration was edited after it was applied.', "Nothing to roll back: no migration is applied on project's database."]);
    assert.deepEqual(messages.errors, []);
  });

  it('no migrations folder: the welcome view offers to create one, which brings the tree back', async () => {
    await useDatabase(api, database.url);
    renameSync(workspacePath('migrations'), workspacePath('migrations.away'));
    try {
      writeWorkspaceFile('strata.json', '{}\n');
      await api.projects.refreshAll();
      assert.equal(api.projects.viewState(), 'noMigrations');
      assert.deepEqual(await treeText(api), []);
      stubs.collectMessages();
      await vscode.commands.executeCommand(Command.createMigrationsFolder);
      assert.ok(existsSync(workspacePath('migrations')));
      assert.equal(api.projects.viewState(), 'ready');
      assert.deepEqual(await treeText(api), ['Pending (0)', 'Applied (0)']);
    } finally {
      rmSync(workspacePath('migrations'), { recursive: true, force: true });
      renameSync(workspacePath('migrations.away'), workspacePath('migrations'));
      writeWorkspaceFile('strata.json', '{\n  "migrationsDir": "migrations",\n  "lockTimeout": "5s"\n}\n');
    }
  });

  it('an invalid strata.json: a row that names the key and opens the file', async () => {
    writeWorkspaceFile('strata.json', '{ "migrationsDir": "migrations", "outOfOrder": "yes" }\n');
    try {
      await api.projects.refreshAll();
      const tree = await treeText(api);
      assert.deepEqual(tree, ['strata.json: invalid configuration']);
      const [node] = await api.tree.getChildren();
      const item = api.tree.getTreeItem(node!);
      assert.match(item.tooltip as string, /`outOfOrder` must be true or false, got "yes"/);
      assert.equal(item.command?.command, 'vscode.open');
    } finally {
      writeWorkspaceFile('strata.json', '{\n  "migrationsDir": "migrations",\n  "lockTimeout": "5s"\n}\n');
      await api.projects.refreshAll();
    }
  });
});
