import * as vscode from 'vscode';
import { countStatus } from '../core/status';
import { Command } from './commandIds';
import type { MigrationProject } from './project/project';
import type { Projects } from './project/projects';

/**
 * StatusBar shows the active folder's connection and pending count (`local · 2 pending`) and opens the
 * connection quick pick. The active folder is the one of the active editor, else the first with migrations.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('strata.connection', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly projects: Projects) {
    this.item.name = 'Strata Connection';
    this.disposables = [
      this.item,
      projects.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    ];
    // The status bar is visible from the start, so it is what triggers the first (background) load.
    void projects.ready();
  }

  /** text is what the item shows now (tests read it through the extension's API). */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private activeProject(): MigrationProject | undefined {
    const editor = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = editor ? this.projects.forUri(editor) : undefined;
    if (fromEditor && fromEditor.state.kind === 'ready') return fromEditor;
    return this.projects.all().find((project) => project.state.kind === 'ready');
  }

  private update(): void {
    const project = this.activeProject();
    if (!project || project.state.kind !== 'ready') {
      this.item.hide();
      return;
    }
    const { database } = project.state;
    const folder = this.projects.all().length > 1 ? ` (${project.name})` : '';
    this.item.command = { command: Command.selectConnection, title: 'Select Connection', arguments: [{ folder: project.folder.uri.toString() }] };
    this.item.backgroundColor = undefined;
    switch (database.kind) {
      case 'untrusted':
        this.item.text = '$(shield) Strata: restricted';
        this.item.tooltip = 'Strata runs no SQL in an untrusted workspace.';
        this.item.command = 'workbench.trust.manage';
        break;
      case 'no-connection':
        this.item.text = '$(database) Strata: no connection';
        this.item.tooltip = `Select or add a database connection${folder}`;
        break;
      case 'error':
        this.item.text = `$(warning) ${database.connection.name} · offline`;
        this.item.tooltip = `${database.connection.name}${folder}: ${database.message}\nClick to select a connection.`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      case 'connected': {
        const { pending, problems } = countStatus(database.statuses);
        const production = database.connection.production ? ' $(warning)' : '';
        this.item.text = `$(database) ${database.connection.name}${production} · ${pending} pending`;
        this.item.tooltip = `Strata${folder}: ${database.where}${database.connection.production ? ' (production)' : ''}\n${pending} pending, ${problems} with problems. Click to switch connection.`;
        break;
      }
    }
    this.item.show();
  }
}
