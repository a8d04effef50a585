import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/extension/commandIds';
import type { StrataApi } from '../../../src/extension/extension';
import { appliedVersions, databaseSuite, findNode, query, Stubs, type TestDatabase, treeText } from './helpers';

const PENDING_ALL = [
  'Pending (3)',
  '  20240101000000 Create users',
  '  20240102000000 Add email',
  '  20240103000000 Create posts',
  'Applied (0)',
];

describe('migrations tree, apply and roll back', () => {
  let api: StrataApi;
  let database: TestDatabase;
  const stubs = new Stubs();

  databaseSuite(stubs, (a, d) => ((api = a), (database = d)));

  it('reads the connection from the folder\'s .env and shows every migration as pending', async () => {
    assert.deepEqual(await treeText(api), PENDING_ALL);
    assert.equal(api.statusBar.text, '$(database) DATABASE_URL (.env) · 3 pending');
  });

  it('applies all pending migrations: the database has them and the tree moves them to Applied', async () => {
    const messages = stubs.collectMessages();
    await vscode.commands.executeCommand(Command.applyAll);
    assert.deepEqual(await appliedVersions(database.url), ['20240101000000', '20240102000000', '20240103000000']);
    const tree = await treeText(api);
    assert.deepEqual(tree.slice(0, 2), ['Pending (0)', 'Applied (3)']);
    assert.ok(tree.includes('  20240103000000 Create posts'));
    assert.match(messages.info[0] ?? '', /^Applied 3 migrations to DATABASE_URL \(\.env\)/);
    assert.equal(api.statusBar.text, '$(database) DATABASE_URL (.env) · 0 pending');
  });

  it('asks before rolling back, and does nothing when the modal is cancelled', async () => {
    stubs.answerModals(undefined);
    await vscode.commands.executeCommand(Command.rollbackLast);
    assert.equal(stubs.calls.get('showWarningMessage')?.length, 1);
    assert.deepEqual(await appliedVersions(database.url), ['20240101000000', '20240102000000', '20240103000000']);
  });

  it('rolls back the last migration after confirmation: its DOWN ran and the tree shows it pending', async () => {
    stubs.answerModals('Roll Back');
    stubs.collectMessages();
    await vscode.commands.executeCommand(Command.rollbackLast);
    assert.deepEqual(await appliedVersions(database.url), ['20240101000000', '20240102000000']);
    const tables = await query<{ name: string }>(database.url, `SELECT to_regclass('public.posts')::text AS name`);
    assert.equal(tables[0]?.name, null);
    assert.deepEqual((await treeText(api)).slice(0, 3), ['Pending (1)', '  20240103000000 Create posts', 'Applied (2)']);
  });

  it('rolls back to a tree item (it stays applied) and applies up to another', async () => {
    stubs.answerModals('Roll Back');
    stubs.collectMessages();
    await vscode.commands.executeCommand(Command.rollbackTo, await findNode(api, '20240101000000'));
    assert.deepEqual(await appliedVersions(database.url), ['20240101000000']);
    await vscode.commands.executeCommand(Command.applyUpTo, await findNode(api, '20240102000000'));
    assert.deepEqual(await appliedVersions(database.url), ['20240101000000', '20240102000000']);
    assert.deepEqual((await treeText(api)).slice(0, 2), ['Pending (1)', '  20240103000000 Create posts']);
  });

  it('encodes each item\'s state in contextValue and shows applied time and details', async () => {
    const applied = api.tree.getTreeItem(await findNode(api, '20240101000000'));
    const pending = api.tree.getTreeItem(await findNode(api, '20240103000000'));
    assert.equal(applied.contextValue, 'migration applied hasDown');
    assert.equal(pending.contextValue, 'migration pending hasDown');
    assert.match(String(applied.description), /just now|second|minute/);
    const tooltip = (applied.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /Applied by: postgres/);
    assert.match(tooltip, /Checksum: matches the file/);
    assert.equal(applied.command?.command, 'vscode.open');
  });

  it('verifies on a temporary database of the same server, leaving the selected one untouched', async () => {
    const messages = stubs.collectMessages();
    const before = await appliedVersions(database.url);
    await vscode.commands.executeCommand(Command.verify);
    assert.match(messages.info[0] ?? '', /^Verified 3 migrations on temporary database strata_verify_\w+: every DOWN undoes its UP\.$/);
    assert.deepEqual(await appliedVersions(database.url), before);
    const left = await query(database.url, `SELECT datname FROM pg_database WHERE datname LIKE 'strata_verify_%'`);
    assert.deepEqual(left, []);
  });
});
