import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as vscode from 'vscode';
import { Command } from '../../../src/extension/commandIds';
import type { StrataApi } from '../../../src/extension/extension';
import { join } from 'node:path';
import { createDatabase, extensionRoot, nextEvent, resetMigrations, strata, Stubs, useDatabase, workspacePath, writeWorkspaceFile, type TestDatabase } from './helpers';

/** lintOf is the document's Strata lint diagnostics as `line rule` strings (0-based lines, as the editor counts). */
function lintOf(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'strata' && typeof d.code === 'object')
    .map((d) => `${d.range.start.line} ${String((d.code as { value: string }).value)}`);
}

/** lintSettles waits (on onDidChangeDiagnostics, never a sleep) until the document's lint satisfies the predicate. */
async function lintSettles(uri: vscode.Uri, predicate: (lines: string[]) => boolean): Promise<string[]> {
  if (predicate(lintOf(uri))) return lintOf(uri);
  try {
    await nextEvent(vscode.languages.onDidChangeDiagnostics, (event) => event.uris.some((u) => u.toString() === uri.toString()) && predicate(lintOf(uri)));
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; lint now: ${JSON.stringify(lintOf(uri))}`);
  }
  return lintOf(uri);
}

async function actionsAt(uri: vscode.Uri, line: number, kind?: string): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(line, 0, line, 0), kind)) ?? [];
}

async function insertBeforeDown(document: vscode.TextDocument, text: string): Promise<number> {
  const line = document.getText().split('\n').findIndex((l) => l.startsWith('-- DOWN'));
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, new vscode.Position(line, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  return line;
}

describe('Lint diagnostics and quick fixes', () => {
  let api: StrataApi;
  const stubs = new Stubs();
  const posts = (): vscode.Uri => vscode.Uri.file(workspacePath('migrations', '20240103000000_create_posts.sql'));

  before(async () => {
    api = await strata();
    resetMigrations();
    await api.projects.refreshAll();
  });
  afterEach(async () => {
    stubs.restore();
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    resetMigrations();
    await api.projects.refreshAll();
  });

  it('shows a warning on the line just typed, linked to its rule page, and its preferred quick fix removes it', async () => {
    const document = await vscode.workspace.openTextDocument(posts());
    await vscode.window.showTextDocument(document);
    const creates = (lines: string[]): string[] => lines.filter((l) => l.endsWith(' create-if-not-exists'));
    assert.deepEqual(creates(await lintSettles(posts(), (lines) => lines.includes('4 create-if-not-exists'))), ['4 create-if-not-exists']);

    const line = await insertBeforeDown(document, 'CREATE TABLE t (id int);\n');
    await lintSettles(posts(), (lines) => lines.includes(`${line} create-if-not-exists`));
    const diagnostic = vscode.languages.getDiagnostics(posts()).find((d) => d.range.start.line === line)!;
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assert.ok(code.target.path.endsWith('/docs/rules/create-if-not-exists.md'), code.target.toString());

    const actions = await actionsAt(posts(), line);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Ignore create-if-not-exists for this statement'), titles.join(', '));
    assert.ok(titles.includes('Ignore create-if-not-exists for this file'), titles.join(', '));
    assert.ok(titles.includes('Open docs for create-if-not-exists'), titles.join(', '));
    const preferred = actions.find((action) => action.isPreferred && action.edit);
    assert.ok(preferred, titles.join(', '));
    assert.ok(await vscode.workspace.applyEdit(preferred.edit!));
    await lintSettles(posts(), (lines) => !lines.includes(`${line} create-if-not-exists`));
    assert.match(document.lineAt(line).text, /^CREATE TABLE IF NOT EXISTS t \(id int\);$/);
    assert.deepEqual(creates(lintOf(posts())), ['4 create-if-not-exists']);
  });

  it('removes the finding with "Ignore for this file", and fixes everything with source.fixAll.strata', async () => {
    const document = await vscode.workspace.openTextDocument(posts());
    await vscode.window.showTextDocument(document);
    await lintSettles(posts(), (lines) => lines.includes('4 create-if-not-exists'));
    const ignore = (await actionsAt(posts(), 4)).find((action) => action.title === 'Ignore create-if-not-exists for this file')!;
    assert.ok(await vscode.workspace.applyEdit(ignore.edit!));
    await lintSettles(posts(), (lines) => !lines.some((l) => l.endsWith(' create-if-not-exists')));
    assert.equal(document.lineAt(0).text, '-- strata-ignore-file create-if-not-exists');

    await vscode.commands.executeCommand('workbench.action.files.revert');
    const line = await insertBeforeDown(document, 'CREATE TABLE t (id int);\n');
    await lintSettles(posts(), (lines) => lines.includes(`${line} create-if-not-exists`) && lines.includes('4 create-if-not-exists'));
    const [fixAll] = await actionsAt(posts(), 0, 'source.fixAll.strata');
    assert.ok(fixAll?.edit, 'no fix-all action');
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    await lintSettles(posts(), (lines) => lines.length === 0);
    assert.match(document.getText(), /CREATE TABLE IF NOT EXISTS posts[\s\S]*CREATE TABLE IF NOT EXISTS t[\s\S]*DROP TABLE IF EXISTS posts/);
  });

  it('lints a large migration on two threads: findings past the cut land on their lines, multi-byte characters before them', async () => {
    // 2,000 blocks with é, ☕ and 😀 (a surrogate pair) make ~120 K characters: above the size the parser splits between threads.
    const blocks = Array.from({ length: 2000 }, (_, i) => `-- block ${i}: café ☕ 😀\nSELECT ${i} AS "é😀";\n`).join('');
    const text = `-- Migration: large\n\n-- UP\n${blocks}CREATE TABLE "zz_😀" (id int);\n\n-- DOWN\nSELECT 1;\n`;
    const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.startsWith(needle));
    const uri = vscode.Uri.file(writeWorkspaceFile('migrations/20240109000000_large.sql', text));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const last = lineOf('CREATE TABLE "zz_');
    await lintSettles(uri, (lines) => lines.includes(`${last} create-if-not-exists`));

    // The first large document starts the worker; once it is ready, an edit is linted on two threads.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const engine = require(join(extensionRoot(), 'dist', 'engine.js')) as { startParseWorker(): Promise<boolean>; parseWorkerRequests(): number };
    assert.equal(await engine.startParseWorker(), true);
    const requests = engine.parseWorkerRequests();
    const line = await insertBeforeDown(document, 'CREATE TABLE "yy_é😀" (id int);\n');
    const lines = await lintSettles(uri, (l) => l.includes(`${line} create-if-not-exists`));
    assert.ok(engine.parseWorkerRequests() > requests, 'the edit was linted without the worker');
    assert.deepEqual(lines.filter((l) => l.endsWith(' create-if-not-exists')), [`${last} create-if-not-exists`, `${line} create-if-not-exists`]);
  });

  it('lints SQL files outside the migrations folder only while strata.lint.allSqlFiles is on', async () => {
    const uri = vscode.Uri.file(writeWorkspaceFile('scratch/query.sql', 'SELECT 1;\nDROP TABLE scratch;\n'));
    const settings = vscode.workspace.getConfiguration('strata', uri);
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await settings.update('lint.allSqlFiles', true, vscode.ConfigurationTarget.Workspace);
      assert.deepEqual(await lintSettles(uri, (lines) => lines.length > 0), ['1 drop-if-exists', '1 drop-table']);
      await settings.update('lint.allSqlFiles', undefined, vscode.ConfigurationTarget.Workspace);
      await lintSettles(uri, (lines) => lines.length === 0);
    } finally {
      await settings.update('lint.allSqlFiles', undefined, vscode.ConfigurationTarget.Workspace);
      rmSync(workspacePath('scratch'), { recursive: true, force: true });
    }
  });

  describe('with a database', () => {
    let database: TestDatabase;
    const email = (): vscode.Uri => vscode.Uri.file(workspacePath('migrations', '20240102000000_add_email.sql'));

    before(async () => {
      database = await createDatabase();
      await useDatabase(api, database.url);
    });
    after(async () => {
      resetMigrations();
      await api.projects.refreshAll();
      await database.drop();
    });

    it('shows checksum drift after an applied migration UP is edited, until its checksum is accepted', async () => {
      stubs.collectMessages();
      await vscode.commands.executeCommand(Command.applyAll);
      const document = await vscode.workspace.openTextDocument(email());
      await vscode.window.showTextDocument(document);
      await lintSettles(email(), (lines) => !lines.some((l) => l.endsWith('checksum-drift')));

      await insertBeforeDown(document, 'ALTER TABLE users ADD COLUMN IF NOT EXISTS nick text;\n');
      await lintSettles(email(), (lines) => lines.some((l) => l.endsWith('checksum-drift')));
      const drift = vscode.languages.getDiagnostics(email()).find((d) => (d.code as { value: string }).value === 'checksum-drift')!;
      // The edit is not saved, so the refresh has not seen drift; the applied text is fetched for the open file,
      // and the finding sits on the first changed line (the one inserted before -- DOWN), as a real change.
      assert.equal(drift.range.start.line, 6);
      assert.equal(drift.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(drift.message, /the database ran different SQL/);

      const actions = await actionsAt(email(), 6);
      assert.ok(actions.some((action) => action.title === 'Revert UP to the applied text'), actions.map((action) => action.title).join(', '));
      const accept = actions.find((action) => action.title === 'Accept current checksum');
      assert.ok(accept?.command, actions.map((action) => action.title).join(', '));
      assert.ok(actions.some((action) => action.title === 'Show applied diff' && action.command?.command === Command.showAppliedDiff));
      // Accepting records the file as saved on disk.
      assert.ok(await document.save());
      stubs.answerModals('Accept Checksum');
      await vscode.commands.executeCommand(accept.command.command, ...((accept.command.arguments ?? []) as unknown[]));
      await lintSettles(email(), (lines) => !lines.some((l) => l.endsWith('checksum-drift')));
    });

    it('tells an unsaved comment-only edit of an applied migration (information) from a real one', async () => {
      await vscode.commands.executeCommand(Command.applyAll);
      const document = await vscode.workspace.openTextDocument(email());
      await vscode.window.showTextDocument(document);
      await lintSettles(email(), (lines) => !lines.some((l) => l.endsWith('checksum-drift')));
      await insertBeforeDown(document, '-- a note for readers, not for the database\n');
      await lintSettles(email(), (lines) => lines.some((l) => l.endsWith('checksum-drift')));
      const drift = vscode.languages.getDiagnostics(email()).find((d) => (d.code as { value: string }).value === 'checksum-drift')!;
      assert.equal(drift.severity, vscode.DiagnosticSeverity.Information);
      assert.match(drift.message, /only in whitespace or comments/);
    });
  });
});
