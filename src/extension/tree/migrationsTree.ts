import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { MigrationStatus } from '../../core/types';
import { Command } from '../commandIds';
import type { MigrationProject } from '../project/project';
import type { Projects } from '../project/projects';
import type { GroupKind, GroupNode, MessageNode, MigrationNode, TreeNode } from './nodes';
import { folderItem, groupItem, messageItem, migrationItem } from './treeItems';

/**
 * MigrationsTree is the sidebar: per folder Pending, Applied and (when non-empty) Problems. With one
 * folder the groups are the roots; with several, each folder is a root. When nothing can be shown the
 * tree is empty and a welcome view (package.json `viewsWelcome`) says what to do.
 */
export class MigrationsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly projects: Projects) {
    this.subscription = projects.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder':
        return folderItem(node);
      case 'group':
        return groupItem(node);
      case 'migration':
        return migrationItem(node);
      case 'message':
        return messageItem(node);
    }
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.roots();
    if (node.kind === 'folder') return folderChildren(node.project, true);
    if (node.kind === 'group') return node.statuses.map((status) => ({ kind: 'migration', project: node.project, status, known: node.group !== 'files' }));
    return [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async roots(): Promise<TreeNode[]> {
    await this.projects.ready();
    const all = this.projects.all();
    if (all.length === 1) return folderChildren(all[0]!, false);
    // In a multi-root workspace, folders without migrations are left out unless none has any.
    const shown = all.filter((project) => project.state.kind !== 'no-migrations');
    if (shown.length === 0 || this.projects.viewState() !== 'ready') return [];
    return shown.map((project) => ({ kind: 'folder', project }));
  }
}

/**
 * folderChildren is what one folder shows. `inFolder` is true in multi-root workspaces, where problems
 * that a welcome view explains for a single folder are shown as a message under the folder instead.
 */
export function folderChildren(project: MigrationProject, inFolder: boolean): TreeNode[] {
  const { state } = project;
  const key = project.folder.uri.toString();
  const message = (id: string, label: string, tooltip: string, icon: MessageNode['icon'], command: MessageNode['command']): MessageNode => ({
    kind: 'message', project, id: `message:${key}:${id}`, label, tooltip, icon, command,
  });
  const folderArg = { folder: key };
  switch (state.kind) {
    case 'loading':
      return [];
    case 'config-error': {
      const open = state.file ? { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(state.file)] } : null;
      const label = state.file ? `${basename(state.file)}: invalid configuration` : (state.message.split('\n')[0] ?? state.message);
      return [message('config', label, state.message, 'error', open)];
    }
    case 'no-migrations':
      return inFolder ? [message('no-migrations', 'No migrations folder: create one', state.message, 'info', { command: Command.createMigrationsFolder, title: 'Create', arguments: [folderArg] })] : [];
    case 'ready':
      break;
  }
  const { database } = state;
  const invalid = state.set.problems.map((problem): MigrationStatus => ({
    version: problem.version ?? '', name: basename(problem.file), description: basename(problem.file), state: 'invalid',
    migration: null, applied: null, file: problem.file, problem: problem.message,
  }));
  const unknown = (first: MessageNode): TreeNode[] => {
    const files = state.set.migrations.map((migration): MigrationStatus => ({
      version: migration.version, name: migration.name, description: migration.description, state: 'pending',
      migration, applied: null, file: migration.file, problem: null,
    }));
    const nodes: TreeNode[] = [first, group(project, 'files', files)];
    if (invalid.length > 0) nodes.push(group(project, 'problems', invalid));
    return nodes;
  };
  switch (database.kind) {
    case 'untrusted':
      return inFolder ? unknown(message('untrusted', 'Untrusted workspace: Strata runs no SQL', 'Trust this workspace to see and change the database state.', 'warning', { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' })) : [];
    case 'no-connection':
      return inFolder ? unknown(message('no-connection', 'No connection: add one', 'Add a connection to strata.connections, or DATABASE_URL to the folder\'s .env.', 'info', { command: Command.addConnection, title: 'Add Connection', arguments: [folderArg] })) : [];
    case 'error':
      return unknown(message('db-error', `Cannot read ${database.connection.name}: ${database.message}`, database.message, 'error', { command: Command.selectConnection, title: 'Select Connection', arguments: [folderArg] }));
    case 'connected':
      return connectedGroups(project, database.statuses);
  }
}

/** connectedGroups splits statuses into Pending, Applied and Problems (the last only when non-empty). */
function connectedGroups(project: MigrationProject, statuses: readonly MigrationStatus[]): TreeNode[] {
  const failure = project.lastFailure;
  const marked = statuses.map((status): MigrationStatus =>
    failure && status.state === 'pending' && status.version === failure.version
      ? { ...status, state: 'failed', problem: `the last run failed at line ${failure.line}: ${failure.message}` }
      : status,
  );
  const pending = marked.filter((status) => status.state === 'pending');
  const applied = marked.filter((status) => status.state === 'applied');
  const problems = marked.filter((status) => status.state !== 'pending' && status.state !== 'applied');
  const groups: TreeNode[] = [group(project, 'pending', pending), group(project, 'applied', applied)];
  if (problems.length > 0) groups.push(group(project, 'problems', problems));
  return groups;
}

function group(project: MigrationProject, kind: GroupKind, statuses: MigrationStatus[]): GroupNode {
  return { kind: 'group', project, group: kind, statuses };
}

/** isMigrationNode tells tree nodes that commands can act on. */
export function isMigrationNode(value: unknown): value is MigrationNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'migration';
}
