import * as vscode from 'vscode';
import { markerKind } from '../core/sections';
import { compareVersions, type MigrationFile, type MigrationStatus } from '../core/types';
import { Command } from './commandIds';
import { relativeTime } from './format';
import type { MigrationProject } from './project/project';
import type { Projects } from './project/projects';

/**
 * MigrationCodeLens puts apply / roll back / plan on the `-- UP` and `-- DOWN` markers of migration
 * files (on the first line of files without markers and of `.up.sql`/`.down.sql` pairs). What it
 * offers follows the migration's state when the database is known.
 */
export class MigrationCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly projects: Projects) {
    this.subscription = projects.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const project = this.projects.forUri(document.uri);
    if (!project || project.state.kind !== 'ready') return [];
    const file = document.uri.fsPath;
    const migration = project.state.set.migrations.find((m) => m.file === file || m.downFile === file);
    if (!migration) return [];
    const status = project.statuses?.find((s) => s.migration === migration) ?? null;
    const markers = markerLines(document);
    const upLine = migration.downFile === file ? null : (markers.up ?? 0);
    const downLine = migration.downFile === file ? 0 : markers.down;
    const lenses: vscode.CodeLens[] = [];
    if (upLine !== null) lenses.push(...upLenses(project, migration, status, upLine));
    if (downLine !== null && migration.down) lenses.push(...downLenses(project, migration, status, downLine));
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** markerLines finds the 0-based lines of the UP and DOWN markers as the document is now. */
function markerLines(document: vscode.TextDocument): { up: number | null; down: number | null } {
  const found: { up: number | null; down: number | null } = { up: null, down: null };
  for (let line = 0; line < document.lineCount; line++) {
    const kind = markerKind(document.lineAt(line).text);
    if (kind && found[kind] === null) found[kind] = line;
  }
  return found;
}

function lens(line: number, title: string, command = '', args: unknown[] = []): vscode.CodeLens {
  return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title, command, arguments: args });
}

function upLenses(project: MigrationProject, migration: MigrationFile, status: MigrationStatus | null, line: number): vscode.CodeLens[] {
  const target = { folder: project.folder.uri.toString(), version: migration.version };
  if (status && (status.state === 'applied' || status.state === 'drifted') && status.applied) {
    const drift = status.state === 'drifted' ? ' · edited since' : '';
    const when = status.applied.appliedAt.getTime() > 0 ? ` ${relativeTime(status.applied.appliedAt)}` : '';
    const lenses = [lens(line, `$(pass) Applied${when}${drift}`)];
    if (status.state === 'drifted') lenses.push(lens(line, 'Show applied diff', Command.showAppliedDiff, [target]));
    return lenses;
  }
  // Applying this migration applies the pending ones before it too; the title says so.
  const older = (project.statuses ?? []).filter((s) => (s.state === 'pending' || s.state === 'out-of-order') && compareVersions(s.version, migration.version) < 0).length;
  return [
    lens(line, older > 0 ? `$(play) Apply (with ${older} older pending)` : '$(play) Apply', Command.applyUpTo, [target]),
    lens(line, 'Plan', Command.plan, [{ ...target, direction: 'up' }]),
  ];
}

function downLenses(project: MigrationProject, migration: MigrationFile, status: MigrationStatus | null, line: number): vscode.CodeLens[] {
  if (status && status.state !== 'applied' && status.state !== 'drifted') return [];
  // Rolling back this migration means rolling back to the applied migration just before it.
  const statuses = project.statuses ?? [];
  const before = statuses.filter((s) => (s.state === 'applied' || s.state === 'drifted') && compareVersions(s.version, migration.version) < 0);
  const newer = statuses.filter((s) => (s.state === 'applied' || s.state === 'drifted') && compareVersions(s.version, migration.version) > 0).length;
  const target = { folder: project.folder.uri.toString(), version: before.length > 0 ? before[before.length - 1]!.version : '0' };
  const title = newer > 0 ? `$(debug-step-back) Roll back (with ${newer} newer)` : '$(debug-step-back) Roll back';
  return [lens(line, title, Command.rollbackTo, [target]), lens(line, 'Plan rollback', Command.plan, [{ ...target, direction: 'down' }])];
}
