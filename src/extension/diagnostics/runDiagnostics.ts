import * as vscode from 'vscode';
import type { MigrationErrorDetails } from '../../core/errors';

const SQLSTATE_DOCS = 'https://www.postgresql.org/docs/current/errcodes-appendix.html';

/**
 * RunDiagnostics shows the error of the last run on the failing line of its file. The diagnostic goes
 * away at the next run, or as soon as the file is edited (its position would no longer be right).
 *
 * Lint findings will be a collection of their own beside this one (in this folder), scheduled on
 * document changes; this class only ever holds what the database said.
 */
export class RunDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('strata-run');
  private readonly subscription = vscode.workspace.onDidChangeTextDocument((event) => {
    if (event.contentChanges.length > 0 && this.collection.has(event.document.uri)) this.collection.delete(event.document.uri);
  });

  /** clear removes every run diagnostic (a new run starts). */
  clear(): void {
    this.collection.clear();
  }

  /** report puts a run error on its file, line and column. */
  report(error: MigrationErrorDetails): vscode.Diagnostic {
    const line = Math.max(0, error.line - 1);
    const column = Math.max(0, error.column - 1);
    const range = new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER);
    const parts = [error.message];
    if (error.detail) parts.push(`Detail: ${error.detail}`);
    if (error.hint) parts.push(`Hint: ${error.hint}`);
    if (error.where) parts.push(`Where: ${error.where}`);
    const diagnostic = new vscode.Diagnostic(range, parts.join('\n'), vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'strata';
    diagnostic.code = error.sqlstate ? { value: error.sqlstate, target: vscode.Uri.parse(SQLSTATE_DOCS) } : 'migration-failed';
    this.collection.set(vscode.Uri.file(error.file), [diagnostic]);
    return diagnostic;
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
