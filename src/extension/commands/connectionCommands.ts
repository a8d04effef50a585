import * as vscode from 'vscode';
import { StrataError } from '../../core/errors';
import { hasPasswordInUrl, withoutPassword, type Connection, type ConnectionSetting } from '../connections/connection';
import { loadEngine } from '../lazyEngine';
import type { MigrationProject } from '../project/project';
import type { Services } from '../services';
import { describe, targetOf, withSession } from '../session';
import { Cancelled } from './guard';
import { requireTrust } from './targets';

/** selectConnection lets the user choose the folder's connection in a quick pick. */
export async function selectConnection(services: Services, project: MigrationProject): Promise<Connection | null> {
  const { connections } = services;
  const [list, current, engine] = await Promise.all([connections.list(project.folder), connections.selected(project.folder), loadEngine()]);
  type Item = vscode.QuickPickItem & { connection?: Connection };
  const items: Item[] = list.map((connection) => ({
    label: `${connection.id === current?.id ? '$(check) ' : ''}${connection.name}`,
    description: connection.problem ? 'cannot be used' : safeDescribe(engine, connection),
    detail: [connection.production ? '$(warning) production: runs ask for confirmation' : '', connection.problem ?? '', `from ${connection.origin}`].filter(Boolean).join(' · '),
    connection,
  }));
  items.push({ label: '$(add) Add Connection…' });
  const picked = await vscode.window.showQuickPick(items, { title: `Strata connection for ${project.name}`, placeHolder: 'Select the database to show and migrate' });
  if (!picked) throw new Cancelled();
  if (!picked.connection) return addConnection(services, project);
  if (picked.connection.problem) throw new StrataError('config-invalid', picked.connection.problem);
  await connections.select(project.folder, picked.connection);
  return picked.connection;
}

function safeDescribe(engine: Awaited<ReturnType<typeof loadEngine>>, connection: Connection): string {
  try {
    return describe(engine, targetOf(engine, connection));
  } catch {
    return 'invalid URL';
  }
}

/**
 * addConnection asks for a name, a URL and whether it is production, saves it to the workspace's
 * `strata.connections` without the password (which goes to SecretStorage), and selects it.
 */
export async function addConnection(services: Services, project: MigrationProject): Promise<Connection> {
  const engine = await loadEngine();
  const name = await vscode.window.showInputBox({
    title: 'Add Connection (1/3)',
    prompt: 'A name for the connection',
    placeHolder: 'local',
    validateInput: (value) => (value.trim() === '' ? 'Give the connection a name.' : null),
  });
  if (name === undefined) throw new Cancelled();
  const url = await vscode.window.showInputBox({
    title: 'Add Connection (2/3)',
    prompt: 'Connection URL. A password in it is moved to VS Code\'s secret storage, never to settings.',
    placeHolder: 'postgres://user@localhost:5432/database',
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        engine.checkedTarget(value.trim(), 'this URL');
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
  });
  if (url === undefined) throw new Cancelled();
  const kind = await vscode.window.showQuickPick(['Development', 'Production (ask before every apply and rollback)'], { title: 'Add Connection (3/3)', placeHolder: 'Is this a production database?' });
  if (kind === undefined) throw new Cancelled();
  const connectionName = name.trim();
  const setting: ConnectionSetting = { name: connectionName, url: url.trim(), production: kind.startsWith('Production') };
  const password = engine.passwordOf(url.trim());
  if (password) setting.url = withoutPassword(url.trim());
  const settings = vscode.workspace.getConfiguration('strata', project.folder.uri);
  const existing = (settings.inspect<ConnectionSetting[]>('connections')?.workspaceValue ?? []).filter((c) => c.name !== connectionName);
  await settings.update('connections', [...existing, setting], vscode.ConfigurationTarget.Workspace);
  const connection = (await services.connections.list(project.folder)).find((c) => c.origin === 'settings' && c.name === connectionName);
  if (!connection) throw new StrataError('config-invalid', `The connection "${connectionName}" was saved but is hidden by a folder setting of the same name.`);
  if (password) await services.connections.storePassword(connection, password);
  await services.connections.select(project.folder, connection);
  void vscode.window.showInformationMessage(`Added the connection "${connection.name}"${password ? ' (its password is in VS Code\'s secret storage)' : ''}.`, 'Test Connection').then(
    (picked) => picked && vscode.commands.executeCommand('strata.testConnection', { folder: project.folder.uri.toString() }),
  );
  return connection;
}

/** testConnection connects to the selected connection and reports the server version. */
export async function testConnection(services: Services, project: MigrationProject): Promise<string> {
  requireTrust();
  const connection = await project.connection();
  const started = performance.now();
  const version = await withSession(services.connections, services.output, connection, async (session) => {
    const result = await session.client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  });
  const message = `Connected to ${connection.name}: PostgreSQL ${version} (${Math.round(performance.now() - started)} ms).`;
  services.output.info(message);
  void vscode.window.showInformationMessage(message);
  await services.projects.refresh(project);
  return version;
}

/** setPassword stores a settings connection's password in SecretStorage. */
export async function setPassword(services: Services, project: MigrationProject): Promise<void> {
  const candidates = (await services.connections.list(project.folder)).filter((connection) => connection.secretKey);
  if (candidates.length === 0) {
    throw new StrataError('config-invalid', 'Only connections from the strata.connections setting keep a password in secret storage; DATABASE_URL carries its own.');
  }
  const selected = await services.connections.selected(project.folder);
  const connection = candidates.length === 1 ? candidates[0]! : await pickConnection(candidates, selected);
  const password = await vscode.window.showInputBox({ title: `Password for ${connection.name}`, prompt: 'Stored in VS Code\'s secret storage, never in settings or logs.', password: true, ignoreFocusOut: true });
  if (password === undefined) throw new Cancelled();
  await services.connections.storePassword(connection, password);
  void vscode.window.showInformationMessage(`Stored the password of ${connection.name} in secret storage.`);
}

async function pickConnection(candidates: Connection[], selected: Connection | null): Promise<Connection> {
  const ordered = [...candidates].sort((a, b) => Number(b.id === selected?.id) - Number(a.id === selected?.id));
  const picked = await vscode.window.showQuickPick(ordered.map((connection) => ({ label: connection.name, connection })), { placeHolder: 'Set the password of which connection?' });
  if (!picked) throw new Cancelled();
  return picked.connection;
}

const offered = new Set<string>();

/**
 * offerToMovePasswords finds settings connections whose URL carries a password and offers, once per
 * session, to move it to SecretStorage (the URL in settings is rewritten without it).
 */
export async function offerToMovePasswords(services: Services, project: MigrationProject): Promise<void> {
  const connections = await services.connections.list(project.folder);
  for (const connection of connections) {
    if (connection.origin !== 'settings' || !hasPasswordInUrl(connection.url) || offered.has(connection.id)) continue;
    offered.add(connection.id);
    const picked = await vscode.window.showWarningMessage(
      `The connection "${connection.name}" has its password in settings. Move it to VS Code's secret storage?`,
      'Move Password',
      'Not Now',
    );
    if (picked === 'Move Password') await movePassword(services, project, connection);
  }
}

async function movePassword(services: Services, project: MigrationProject, connection: Connection): Promise<void> {
  const engine = await loadEngine();
  const password = engine.passwordOf(connection.url);
  if (!password || !connection.url) return;
  await services.connections.storePassword(connection, password);
  const settings = vscode.workspace.getConfiguration('strata', project.folder.uri);
  const inspected = settings.inspect<ConnectionSetting[]>('connections');
  const scopes = [
    [inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
    [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
    [inspected?.globalValue, vscode.ConfigurationTarget.Global],
  ] as const;
  for (const [value, target] of scopes) {
    if (!Array.isArray(value) || !value.some((c) => c.name === connection.name && typeof c.url === 'string' && hasPasswordInUrl(c.url))) continue;
    const rewritten = value.map((c) => (c.name === connection.name && typeof c.url === 'string' ? { ...c, url: withoutPassword(c.url) } : c));
    await settings.update('connections', rewritten, target);
  }
  services.output.info(`Moved the password of ${connection.name} from settings to secret storage.`);
}
