import * as vscode from 'vscode';

/**
 * activate wires the extension up. The editor features (tree, commands, diagnostics) arrive with
 * the editor work; today the extension contributes the output channel and the SQL injection grammar.
 */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Strata', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('strata.showOutput', () => output.show()),
  );
}

/** deactivate has nothing to release: everything is in context.subscriptions. */
export function deactivate(): void {}
