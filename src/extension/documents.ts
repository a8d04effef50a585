import * as vscode from 'vscode';

/** SCHEME is the URI scheme of Strata's read-only documents (plans, applied scripts). */
export const SCHEME = 'strata';

/**
 * ReadOnlyDocuments serves generated text (a plan, the script a migration was applied with) as
 * documents of the `strata:` scheme, which VS Code opens read-only.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private counter = 0;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** create stores content under a fresh URI whose file name is `name` (its extension picks the language). */
  create(name: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}`, query: String(++this.counter) });
    this.contents.set(uri.toString(), content);
    return uri;
  }

  /** open shows generated text in a read-only editor. */
  async open(name: string, content: string): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(this.create(name, content));
    return vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}
