import { sep } from 'node:path';
import * as vscode from 'vscode';
import { forgetReads } from '../../core/discover';
import { ContextKey } from '../commandIds';
import type { Connections } from '../connections/connections';
import type { Output } from '../output';
import { MigrationProject } from './project';

const DEBOUNCE_MS = 250;

/** ViewState is what the welcome views show when the tree is empty. */
export type ViewState = 'loading' | 'noMigrations' | 'noConnection' | 'untrusted' | 'ready';

/**
 * Projects keeps one MigrationProject per workspace folder (multi-root aware) and refreshes them when
 * migration files, strata.json, .env, settings, connections or workspace trust change.
 */
export class Projects implements vscode.Disposable {
  private readonly projects = new Map<string, MigrationProject>();
  private readonly changed = new vscode.EventEmitter<MigrationProject | undefined>();
  /** onDidChange fires after a project was refreshed (undefined: the set of folders changed). */
  readonly onDidChange = this.changed.event;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private loaded: Promise<void> | null = null;

  constructor(
    private readonly connections: Connections,
    private readonly output: Output,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{*.sql,strata.json,.env}');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.fileChanged(uri)),
      watcher.onDidChange((uri) => this.fileChanged(uri)),
      watcher.onDidDelete((uri) => this.fileChanged(uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.syncFolders()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refreshAll()),
      connections.onDidChange(() => void this.refreshAll()),
    );
    void vscode.commands.executeCommand('setContext', ContextKey.viewState, 'loading');
  }

  /** all returns the projects in workspace folder order. */
  all(): MigrationProject[] {
    return [...this.projects.values()].sort((a, b) => a.folder.index - b.folder.index);
  }

  /** ready waits for the first load of every folder (the tree and status bar call it lazily). */
  ready(): Promise<void> {
    this.loaded ??= this.syncFolders();
    return this.loaded;
  }

  /** forUri is the project whose folder contains uri. */
  forUri(uri: vscode.Uri): MigrationProject | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.projects.get(folder.uri.toString()) : undefined;
  }

  /** refresh reloads one project now and tells the listeners. */
  async refresh(project: MigrationProject): Promise<void> {
    this.clearTimer(project);
    await project.refresh();
    this.publish(project);
  }

  /** refreshAll reloads every project; `reread` reads every migration file again (the Refresh command). */
  async refreshAll(options: { reread?: boolean } = {}): Promise<void> {
    if (options.reread) forgetReads();
    await this.ready();
    await Promise.all(this.all().map((project) => this.refresh(project)));
  }

  /** viewState summarises all folders for the welcome views. */
  viewState(): ViewState {
    const states = this.all().map((project) => project.state);
    if (states.some((state) => state.kind === 'loading')) return 'loading';
    const ready = states.filter((state) => state.kind === 'ready');
    if (ready.length === 0) return states.some((state) => state.kind === 'config-error') ? 'ready' : 'noMigrations';
    if (ready.every((state) => state.database.kind === 'untrusted')) return 'untrusted';
    if (ready.every((state) => state.database.kind === 'no-connection')) return 'noConnection';
    return 'ready';
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private async syncFolders(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const keep = new Set(folders.map((folder) => folder.uri.toString()));
    for (const key of [...this.projects.keys()]) if (!keep.has(key)) this.projects.delete(key);
    const added = folders
      .filter((folder) => folder.uri.scheme === 'file' && !this.projects.has(folder.uri.toString()))
      .map((folder) => new MigrationProject(folder, this.connections, this.output));
    for (const project of added) this.projects.set(project.folder.uri.toString(), project);
    await Promise.all(added.map((project) => project.refresh()));
    this.publish(undefined);
  }

  /** fileChanged schedules a refresh of the folder a file belongs to, if the file can matter to it. */
  private fileChanged(uri: vscode.Uri): void {
    if (uri.scheme === 'file') forgetReads(uri.fsPath); // refreshes trust discovery's remembered reads of unchanged files
    const project = this.forUri(uri);
    if (!project || !this.matters(project, uri)) return;
    this.clearTimer(project);
    const key = project.folder.uri.toString();
    this.timers.set(key, setTimeout(() => void this.refresh(project), DEBOUNCE_MS));
  }

  private matters(project: MigrationProject, uri: vscode.Uri): boolean {
    if (!uri.path.endsWith('.sql')) return true; // strata.json or .env
    const { state } = project;
    if (state.kind !== 'ready') return true;
    return uri.fsPath.startsWith(state.dir + sep);
  }

  private clearTimer(project: MigrationProject): void {
    const key = project.folder.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  private publish(project: MigrationProject | undefined): void {
    void vscode.commands.executeCommand('setContext', ContextKey.viewState, this.viewState());
    this.changed.fire(project);
  }
}
