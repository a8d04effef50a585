import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { Command } from '../../../src/extension/commandIds';
import type { StrataApi } from '../../../src/extension/extension';
import { databaseSuite, migrationFiles, nextEvent, Stubs, treeText, writeWorkspaceFile } from './helpers';

describe('create migration', () => {
  let api: StrataApi;
  const stubs = new Stubs();

  databaseSuite(stubs, (a) => (api = a));

  it('asks for a description, writes the next timestamped file from the template and puts the cursor in UP', async () => {
    stubs.stub(vscode.window, 'showInputBox', (() => Promise.resolve('Add user indexes')));
    const before = migrationFiles();
    await vscode.commands.executeCommand(Command.create);

    const added = migrationFiles().filter((file) => !before.includes(file));
    assert.equal(added.length, 1);
    const [name] = added;
    assert.match(name!, /^\d{14}_add_user_indexes\.sql$/);
    assert.ok(name! > '20240103000000', 'newer than the newest migration');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(basename(editor.document.uri.fsPath), name);
    const text = readFileSync(editor.document.uri.fsPath, 'utf8');
    assert.match(text, /^-- Migration: Add user indexes\n-- Created: .*\n\n-- UP\n\n-- DOWN\n$/);
    assert.equal(editor.selection.active.line, 4, 'the empty line after -- UP');
    assert.ok((await treeText(api)).includes(`  ${name!.slice(0, 14)} Add user indexes`));
  });

  it('refreshes the tree when a migration file appears on disk', async () => {
    const refreshed = nextEvent(api.projects.onDidChange, (project) => project !== undefined);
    writeWorkspaceFile('migrations/20990101000000_from_disk.sql', '-- UP\nSELECT 1;\n');
    await refreshed;
    assert.ok((await treeText(api)).includes('  20990101000000 from disk'));
  });

  it('stops quietly when the description prompt is dismissed', async () => {
    const messages = stubs.collectMessages();
    stubs.stub(vscode.window, 'showInputBox', (() => Promise.resolve(undefined)));
    const before = migrationFiles();
    await vscode.commands.executeCommand(Command.create);
    assert.deepEqual(migrationFiles(), before);
    assert.deepEqual(messages.errors, []);
  });
});
