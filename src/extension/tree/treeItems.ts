import * as vscode from 'vscode';
import type { MigrationStatus } from '../../core/types';
import { formatDuration, relativeTime } from '../format';
import type { FolderNode, GroupNode, MessageNode, MigrationNode } from './nodes';

const GROUP_LABELS = { pending: 'Pending', applied: 'Applied', problems: 'Problems', files: 'Migrations (state unknown)' } as const;

const STATE_ICONS: Record<MigrationStatus['state'] | 'unknown', [string, string | null]> = {
  applied: ['pass-filled', 'testing.iconPassed'],
  pending: ['circle-large-outline', null],
  drifted: ['diff-modified', 'list.warningForeground'],
  missing: ['question', 'list.errorForeground'],
  'out-of-order': ['arrow-swap', 'list.warningForeground'],
  failed: ['error', 'list.errorForeground'],
  invalid: ['warning', 'list.errorForeground'],
  unknown: ['circle-large-outline', 'disabledForeground'],
};

const STATE_WORDS: Record<MigrationStatus['state'], string> = {
  applied: 'applied',
  pending: 'pending',
  drifted: 'edited after applied',
  missing: 'file missing',
  'out-of-order': 'out of order',
  failed: 'failed',
  invalid: 'not a migration',
};

/** folderItem is a workspace folder in a multi-root workspace. */
export function folderItem(node: FolderNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.project.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `folder:${node.project.folder.uri.toString()}`;
  item.iconPath = vscode.ThemeIcon.Folder;
  item.resourceUri = node.project.folder.uri;
  item.contextValue = 'folder';
  const statuses = node.project.statuses;
  if (statuses) item.description = `${statuses.filter((s) => s.state === 'pending' || s.state === 'out-of-order').length} pending`;
  return item;
}

/** groupItem is Pending / Applied / Problems with its count. */
export function groupItem(node: GroupNode): vscode.TreeItem {
  const collapsed = node.group === 'applied' && node.statuses.length > 50;
  const state = collapsed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
  const item = new vscode.TreeItem(GROUP_LABELS[node.group], node.statuses.length === 0 ? vscode.TreeItemCollapsibleState.None : state);
  // An empty group is a different element: VS Code would keep a group that was empty collapsed once it has items.
  item.id = `group:${node.project.folder.uri.toString()}:${node.group}${node.statuses.length === 0 ? ':empty' : ''}`;
  item.description = String(node.statuses.length);
  item.contextValue = `group ${node.group}`;
  return item;
}

/** contextValue encodes a migration's state for menus: `migration <state> [pending|applied] [hasDown]`. */
export function contextValue(node: MigrationNode): string {
  const { status } = node;
  if (!node.known) return status.state === 'invalid' ? 'migration invalid' : 'migration unknown';
  const tokens = ['migration', status.state === 'out-of-order' ? 'outOfOrder' : status.state];
  if (status.state === 'out-of-order' || status.state === 'failed') tokens.push('pending');
  if (status.state === 'drifted') tokens.push('applied');
  if (status.migration?.down) tokens.push('hasDown');
  return tokens.join(' ');
}

/** migrationItem shows version and description, applied time as description, details in the tooltip. */
export function migrationItem(node: MigrationNode): vscode.TreeItem {
  const { status } = node;
  const label = status.version ? `${status.version} ${status.description}` : status.description;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `migration:${node.project.folder.uri.toString()}:${status.version}:${status.file ?? status.name}`;
  item.contextValue = contextValue(node);
  const [icon, color] = STATE_ICONS[node.known ? status.state : 'unknown'];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.description = description(node);
  item.tooltip = tooltip(node);
  if (status.file) {
    const uri = vscode.Uri.file(status.file);
    item.resourceUri = uri;
    item.command = { command: 'vscode.open', title: 'Open Migration', arguments: [uri] };
  }
  item.accessibilityInformation = { label: `${label}, ${node.known ? STATE_WORDS[status.state] : 'state unknown'}` };
  return item;
}

function description(node: MigrationNode): string {
  const { status } = node;
  if (!node.known) return status.state === 'invalid' ? 'not a migration' : '';
  if (status.state === 'applied' && status.applied) return status.applied.appliedAt.getTime() > 0 ? relativeTime(status.applied.appliedAt) : 'applied';
  if (status.state === 'pending') return '';
  return STATE_WORDS[status.state];
}

function tooltip(node: MigrationNode): vscode.MarkdownString {
  const { status } = node;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(status.version ? `${status.version} ${status.description}` : status.description)}**\n\n`);
  const lines: string[] = [`State: ${node.known ? STATE_WORDS[status.state] : 'unknown (not connected)'}`];
  if (status.applied) {
    // Another tool's table may not record when, by whom or how long (dbmate, golang-migrate): say only what it has.
    const { appliedAt, appliedBy, checksumKind } = status.applied;
    lines.push(appliedAt.getTime() > 0 ? `Applied: ${appliedAt.toLocaleString()} (${relativeTime(appliedAt)})` : 'Applied: time not recorded by the tracking table');
    if (appliedBy) lines.push(`Applied by: ${appliedBy}`);
    if (!checksumKind || status.applied.executionMs > 0) lines.push(`Duration: ${formatDuration(status.applied.executionMs)}`);
    if (status.migration && checksumKind === 'none') lines.push('Checksum: not kept by the tracking table (edits are not detected)');
    else if (status.migration) lines.push(`Checksum: ${status.state === 'drifted' ? 'differs: the file was edited after it was applied' : 'matches the file'}`);
  }
  if (status.migration && node.known) lines.push(status.migration.down ? 'Has a DOWN section' : 'Forward-only (no DOWN)');
  if (status.problem && status.state !== 'applied' && status.state !== 'pending') lines.push(`Problem: ${status.problem}`);
  if (status.file) lines.push(`File: ${vscode.workspace.asRelativePath(status.file)}`);
  md.appendMarkdown(lines.map(escape).join('  \n'));
  return md;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** messageItem explains a problem in place and carries the command that fixes it. */
export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.tooltip = node.tooltip;
  const colors = { error: 'list.errorForeground', warning: 'list.warningForeground', info: undefined } as const;
  const color = colors[node.icon];
  item.iconPath = new vscode.ThemeIcon(node.icon, color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = `message ${node.icon}`;
  if (node.command) item.command = node.command;
  return item;
}
