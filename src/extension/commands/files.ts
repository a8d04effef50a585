import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { loadConfig, resolveMigrationsDir, type ProjectConfig } from '../../core/config';
import { createMigration, type CreatedMigration } from '../../core/create';
import { discoverMigrations } from '../../core/discover';
import { Command } from '../commandIds';
import type { MigrationProject } from '../project/project';
import type { Services } from '../services';
import { Cancelled } from './guard';
import { openAt } from './runSupport';
import { isStrataError } from '../strataError';

/** migrationsDirFor is the project's migrations folder, or where a new one goes (as `strata create` decides). */
async function migrationsDirFor(config: ProjectConfig): Promise<string> {
  try {
    return await resolveMigrationsDir(config);
  } catch (error) {
    if (!isStrataError(error) || error.code !== 'migrations-dir-missing') throw error;
    return config.migrationsDir ?? join(config.root, 'migrations');
  }
}

/**
 * createMigrationFile asks for a description, writes the next correctly named migration from the
 * template (the engine's createMigration), opens it and puts the cursor in UP.
 */
export async function createMigrationFile(services: Services, project: MigrationProject, description?: unknown): Promise<CreatedMigration> {
  const config = await loadConfig(project.folder.uri.fsPath);
  const dir = await migrationsDirFor(config);
  const text = typeof description === 'string' ? description : await askDescription();
  const existing = existsSync(dir) ? await discoverMigrations(dir) : { dir, migrations: [], problems: [] };
  const created = await createMigration({ dir, description: text, config, existing });
  services.output.info(`Created ${vscode.workspace.asRelativePath(created.file)}${created.downFile ? ` and ${vscode.workspace.asRelativePath(created.downFile)}` : ''}`);
  await openAt(created.file, created.upLine, 1);
  await services.projects.refresh(project);
  return created;
}

async function askDescription(): Promise<string> {
  const description = await vscode.window.showInputBox({
    title: 'Create Migration',
    prompt: 'Describe the change; the description names the file and heads it.',
    placeHolder: 'add user indexes',
    validateInput: (value) => (/[\p{L}\p{N}]/u.test(value) ? null : 'Use letters or digits: they name the file.'),
  });
  if (description === undefined) throw new Cancelled();
  return description;
}

/** createMigrationsFolder creates the configured migrations folder, or `migrations/`, for a project without one. */
export async function createMigrationsFolder(services: Services, project: MigrationProject): Promise<string> {
  const config = await loadConfig(project.folder.uri.fsPath);
  const dir = await migrationsDirFor(config);
  await mkdir(dir, { recursive: true });
  services.output.info(`Created the migrations folder ${vscode.workspace.asRelativePath(dir)}`);
  await services.projects.refresh(project);
  void vscode.window
    .showInformationMessage(`Created ${vscode.workspace.asRelativePath(dir)}/. Create the first migration?`, 'Create Migration')
    .then((picked) => picked && vscode.commands.executeCommand(Command.create, { folder: project.folder.uri.toString() }));
  return dir;
}
