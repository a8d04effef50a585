import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/extension/commandIds';
import type { StrataApi } from '../../../src/extension/extension';
import { appliedVersions, databaseSuite, findNode, Stubs, type TestDatabase, treeText, workspacePath, writeWorkspaceFile } from './helpers';

// Line 7 (1-based) refers to a table that does not exist; the statements before it are fine.
const FAILING = `-- Migration: Add orders
-- UP
CREATE TABLE orders (id bigint PRIMARY KEY);

ALTER TABLE orders ADD COLUMN note text;

INSERT INTO missing_table (id) VALUES (1);

-- DOWN
DROP TABLE orders;
`;

describe('a migration that fails', () => {
  let api: StrataApi;
  let database: TestDatabase;
  const stubs = new Stubs();

  databaseSuite(stubs, (a, d) => ((api = a), (database = d)), () => writeWorkspaceFile('migrations/20240104000000_add_orders.sql', FAILING));

  it('is rolled back, records nothing, and shows a diagnostic on the failing line and a message with Open File', async () => {
    const messages = stubs.collectMessages();
    const file = vscode.Uri.file(workspacePath('migrations', '20240104000000_add_orders.sql'));
    await vscode.commands.executeCommand(Command.applyAll);

    assert.deepEqual(await appliedVersions(database.url), ['20240101000000', '20240102000000', '20240103000000']);
    const diagnostics = vscode.languages.getDiagnostics(file).filter(isRunDiagnostic);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic!.range.start.line, 6);
    assert.equal(diagnostic!.range.start.character, 12);
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic!.source, 'strata');
    assert.match(diagnostic!.message, /relation "missing_table" does not exist/);
    assert.equal((diagnostic!.code as { value: string }).value, '42P01');

    assert.equal(messages.errors.length, 1);
    assert.match(messages.errors[0]!, /Applied 3 migrations .*then apply failed at 20240104000000_add_orders\.sql:7:13: 42P01 relation "missing_table" does not exist/);
    assert.deepEqual(stubs.calls.get('showErrorMessage')![0]!.slice(1), ['Open File', 'Show Output']);
  });

  it('appears under Problems as failed until the next run', async () => {
    const tree = await treeText(api);
    assert.ok(tree.includes('Problems (1)'), tree.join('\n'));
    const item = api.tree.getTreeItem(await findNode(api, '20240104000000'));
    assert.equal(item.description, 'failed');
    assert.equal(item.contextValue, 'migration failed pending hasDown');
  });

  it('loses its diagnostic when the file is edited, and applies once fixed', async () => {
    stubs.collectMessages();
    const file = workspacePath('migrations', '20240104000000_add_orders.sql');
    const document = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(document);
    const line = document.lineAt(6);
    await editor.edit((edit) => edit.replace(line.range, 'INSERT INTO orders (id) VALUES (1);'));
    // Lint findings on the edited text may arrive too (debounced); the run's diagnostic must be gone.
    assert.deepEqual(vscode.languages.getDiagnostics(document.uri).filter(isRunDiagnostic), []);
    await document.save();
    await vscode.commands.executeCommand(Command.applyAll);
    assert.deepEqual((await appliedVersions(database.url)).at(-1), '20240104000000');
    assert.ok(!(await treeText(api)).some((line) => line.startsWith('Problems')));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

/** isRunDiagnostic tells a run failure's diagnostic (coded with its SQLSTATE) from lint findings (coded with a rule page). */
function isRunDiagnostic(diagnostic: vscode.Diagnostic): boolean {
  const code = diagnostic.code;
  const target = typeof code === 'object' && code !== null && 'target' in code ? code.target.toString() : '';
  return !target.includes('/docs/rules/');
}
