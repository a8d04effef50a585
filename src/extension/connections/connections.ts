import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import * as vscode from 'vscode';
import { defaultConnection, fromEnvironment, fromSetting, type Connection, type ConnectionSetting } from './connection';

const SELECTION_KEY = 'strata.selectedConnection';

/**
 * Connections lists the databases a project folder can use and remembers which one is selected.
 * Settings connections never hold passwords: those live in SecretStorage under Connection.secretKey.
 */
export class Connections implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** onDidChange fires when the selection, the settings or a stored password changes. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('strata.connections')) this.changed.fire();
      }),
      context.secrets.onDidChange((event) => {
        if (event.key.startsWith('strata.password:')) this.changed.fire();
      }),
    );
  }

  /** list returns the folder's connections: settings first, then DATABASE_URL/POSTGRES_URL from the environment and .env. */
  async list(folder: vscode.WorkspaceFolder): Promise<Connection[]> {
    const settings = vscode.workspace.getConfiguration('strata', folder.uri).get<ConnectionSetting[]>('connections') ?? [];
    const fromSettings = (Array.isArray(settings) ? settings : []).map((setting, index) => fromSetting(setting ?? {}, index));
    return [...fromSettings, ...fromEnvironment(process.env, await readDotenv(folder.uri.fsPath))];
  }

  /** selected is the connection chosen for the folder, else the default one, else null. */
  async selected(folder: vscode.WorkspaceFolder): Promise<Connection | null> {
    const connections = await this.list(folder);
    const chosen = this.selections()[folder.uri.toString()];
    return connections.find((connection) => connection.id === chosen) ?? defaultConnection(connections);
  }

  /** select remembers the folder's connection (per workspace, not in settings: it is a per-user choice). */
  async select(folder: vscode.WorkspaceFolder, connection: Connection): Promise<void> {
    await this.context.workspaceState.update(SELECTION_KEY, { ...this.selections(), [folder.uri.toString()]: connection.id });
    this.changed.fire();
  }

  /** password reads a settings connection's password from SecretStorage. */
  async password(connection: Connection): Promise<string | null> {
    if (!connection.secretKey) return null;
    return (await this.context.secrets.get(connection.secretKey)) ?? null;
  }

  /** storePassword keeps a settings connection's password in SecretStorage. */
  async storePassword(connection: Connection, password: string): Promise<void> {
    if (!connection.secretKey) throw new Error(`${connection.name} comes from ${connection.origin}; its password is part of that URL.`);
    await this.context.secrets.store(connection.secretKey, password);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private selections(): Record<string, string> {
    return this.context.workspaceState.get<Record<string, string>>(SELECTION_KEY) ?? {};
  }
}

/** readDotenv reads DATABASE_URL and friends from the folder's .env, as the CLI does; a missing file is empty. */
export async function readDotenv(root: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(join(root, '.env'), 'utf8');
  } catch {
    return {};
  }
  const parsed = parseEnv(text);
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
