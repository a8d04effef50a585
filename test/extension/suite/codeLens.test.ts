import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Command } from '../../../src/extension/commandIds';
import type { StrataApi } from '../../../src/extension/extension';
import { appliedVersions, databaseSuite, findNode, Stubs, type TestDatabase, treeText, workspacePath } from './helpers';

interface Lens {
  line: number;
  title: string;
  command: string;
  args: unknown[];
}

async function lensesOf(file: string): Promise<Lens[]> {
  // The provider command needs the document open (a model in the workbench).
  const document = await vscode.workspace.openTextDocument(file);
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100)) ?? [];
  return lenses
    .filter((lens) => lens.command?.command.startsWith('strata.') || lens.command?.command === '')
    .map((lens) => ({ line: lens.range.start.line, title: lens.command!.title, command: lens.command!.command, args: lens.command!.arguments ?? [] }))
    .sort((a, b) => a.line - b.line);
}

describe('CodeLens, plan and drift', () => {
  let api: StrataApi;
  let database: TestDatabase;
  const stubs = new Stubs();
  const users = (): string => workspacePath('migrations', '20240101000000_create_users.sql');
  const email = (): string => workspacePath('migrations', '20240102000000_add_email.sql');

  databaseSuite(stubs, (a, d) => ((api = a), (database = d)));

  it('offers Apply and Plan on the UP marker of a pending migration', async () => {
    const lenses = await lensesOf(users());
    assert.deepEqual(lenses.map((lens) => [lens.line, lens.title, lens.command]), [
      [3, '$(play) Apply', Command.applyUpTo],
      [3, 'Plan', Command.plan],
    ]);
    assert.equal((await lensesOf(email()))[0]!.title, '$(play) Apply (with 1 older pending)');
    stubs.collectMessages();
    await vscode.commands.executeCommand(lenses[0]!.command, ...lenses[0]!.args);
    assert.deepEqual(await appliedVersions(database.url), ['20240101000000']);
  });

  it('shows when it was applied on UP and offers Roll back on DOWN once applied', async () => {
    const lenses = await lensesOf(users());
    assert.deepEqual(lenses.map((lens) => [lens.line, lens.title.replace(/Applied .*/, 'Applied …'), lens.command]), [
      [3, '$(pass) Applied …', ''],
      [9, '$(debug-step-back) Roll back', Command.rollbackTo],
      [9, 'Plan rollback', Command.plan],
    ]);
    assert.deepEqual(lenses[1]!.args, [{ folder: vscode.workspace.workspaceFolders![0]!.uri.toString(), version: '0' }]);
  });

  it('plans in a read-only SQL editor without running anything', async () => {
    await vscode.commands.executeCommand(Command.plan, { folder: vscode.workspace.workspaceFolders![0]!.uri.toString(), direction: 'up' });
    const active = vscode.window.activeTextEditor!;
    assert.equal(active.document.uri.scheme, 'strata');
    assert.equal(active.document.languageId, 'sql');
    const text = active.document.getText();
    assert.match(text, /^-- Strata plan: what applying would run on DATABASE_URL \(\.env\), in order\. Nothing has run\./);
    assert.match(text, /-- UP 20240102000000 {2}migrations\/20240102000000_add_email\.sql {2}\(in a transaction\)\nALTER TABLE users ADD COLUMN email text;/);
    assert.match(text, /-- UP 20240103000000/);
    assert.deepEqual(await appliedVersions(database.url), ['20240101000000']);
  });

  it('shows a migration edited after it was applied as drifted, with its applied diff, until the checksum is accepted', async () => {
    stubs.collectMessages();
    await vscode.commands.executeCommand(Command.applyAll);
    writeFileSync(email(), '-- Migration: Add email\n\n-- UP\nALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT \'\';\n\n-- DOWN\nALTER TABLE users DROP COLUMN email;\n');
    await api.projects.refreshAll();
    const node = await findNode(api, '20240102000000');
    assert.equal(api.tree.getTreeItem(node).contextValue, 'migration drifted applied hasDown');
    assert.ok((await treeText(api)).includes('Problems (1)'));

    await vscode.commands.executeCommand(Command.showAppliedDiff, node);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab!;
    assert.ok(tab.input instanceof vscode.TabInputTextDiff);
    const left = await vscode.workspace.openTextDocument(tab.input.original);
    const right = await vscode.workspace.openTextDocument(tab.input.modified);
    assert.match(left.getText(), /ADD COLUMN email text;/);
    assert.match(right.getText(), /ADD COLUMN email text NOT NULL DEFAULT '';/);

    stubs.answerModals('Accept Checksum');
    await vscode.commands.executeCommand(Command.acceptChecksum, node);
    assert.equal(api.tree.getTreeItem(await findNode(api, '20240102000000')).contextValue, 'migration applied hasDown');
  });

  it('rehearses in a transaction that is rolled back, reporting each migration', async () => {
    stubs.answerModals('Roll Back');
    const messages = stubs.collectMessages();
    await vscode.commands.executeCommand(Command.rollbackTo, { folder: vscode.workspace.workspaceFolders![0]!.uri.toString(), version: '20240101000000' });
    assert.deepEqual(await appliedVersions(database.url), ['20240101000000']);
    await vscode.commands.executeCommand(Command.rehearse);
    assert.match(messages.info.at(-1) ?? '', /^Rehearsal succeeded on DATABASE_URL \(\.env\): 20240102000000 \d+ ms, 20240103000000 \d+ ms\. Everything was rolled back\./);
    assert.deepEqual(await appliedVersions(database.url), ['20240101000000']);
  });
});
