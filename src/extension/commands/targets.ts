import * as vscode from 'vscode';
import { StrataError } from '../../core/errors';
import type { MigrationStatus } from '../../core/types';
import { compareVersions } from '../../core/types';
import { migrationLabel } from '../format';
import type { MigrationProject } from '../project/project';
import type { Projects } from '../project/projects';
import { Cancelled } from './guard';

/**
 * CommandArg is what commands accept: a tree node (context menus), `{ folder }` (welcome views,
 * messages), `{ folder, version }` (CodeLens, keybindings, tests), or nothing (the palette).
 */
export interface CommandArg {
  kind?: string;
  folder?: string;
  version?: string;
  project?: MigrationProject;
  status?: MigrationStatus;
}

function asArg(value: unknown): CommandArg {
  return typeof value === 'object' && value !== null ? value : {};
}

/** versionOf is the migration version an argument names, if any. */
export function versionOf(value: unknown): string | undefined {
  const arg = asArg(value);
  return arg.status?.version ?? arg.version;
}

/**
 * pickProject finds the folder a command acts on: the argument's, else the active editor's, else the
 * only folder with migrations, else the user's choice.
 */
export async function pickProject(projects: Projects, value: unknown, options: { needMigrations?: boolean } = {}): Promise<MigrationProject> {
  await projects.ready();
  const arg = asArg(value);
  if (arg.project) return arg.project;
  const all = projects.all();
  if (arg.folder) {
    const found = all.find((project) => project.folder.uri.toString() === arg.folder);
    if (found) return found;
  }
  if (all.length === 0) throw new StrataError('invalid-argument', 'Open a folder with migrations first: Strata works on the folders of the workspace.');
  const candidates = options.needMigrations === false ? all : all.filter((project) => project.state.kind !== 'no-migrations');
  const editor = vscode.window.activeTextEditor?.document.uri;
  const fromEditor = editor ? projects.forUri(editor) : undefined;
  if (fromEditor && candidates.includes(fromEditor)) return fromEditor;
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new StrataError('migrations-dir-missing', 'No migrations folder in this workspace. Create one, or set `migrationsDir` in strata.json.');
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((project) => ({ label: project.name, description: project.folder.uri.fsPath, project })),
    { placeHolder: 'Which folder?' },
  );
  if (!picked) throw new Cancelled();
  return picked.project;
}

/**
 * pickMigration returns the version named by the argument, else asks among `statuses` (already filtered
 * to those the command applies to). With none, it says so in `nothing` and stops.
 */
export async function pickMigration(value: unknown, statuses: readonly MigrationStatus[], placeHolder: string, nothing: string): Promise<string> {
  const version = versionOf(value);
  if (version !== undefined) return version;
  if (statuses.length === 0) {
    void vscode.window.showInformationMessage(nothing);
    throw new Cancelled();
  }
  const items = [...statuses]
    .sort((a, b) => compareVersions(b.version, a.version))
    .map((status) => ({ label: migrationLabel(status), description: status.state === 'applied' || status.state === 'pending' ? '' : status.state, version: status.version }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder });
  if (!picked) throw new Cancelled();
  return picked.version;
}

/** requireTrust stops a command that would run SQL in an untrusted workspace. */
export function requireTrust(): void {
  if (vscode.workspace.isTrusted) return;
  throw new StrataError('invalid-argument', 'Strata runs no SQL in an untrusted workspace. Trust the workspace (Workspaces: Manage Workspace Trust) to connect.');
}
