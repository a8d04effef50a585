import * as vscode from 'vscode';
import { loadConfig, resolveMigrationsDir, type ProjectConfig } from '../../core/config';
import { discoverMigrations, type DiscoverOptions } from '../../core/discover';
import { StrataError, type MigrationErrorDetails } from '../../core/errors';
import { computeStatus } from '../../core/status';
import type { AppliedMigration, MigrationSet, MigrationStatus } from '../../core/types';
import type { Connection } from '../connections/connection';
import type { Connections } from '../connections/connections';
import type { Output } from '../output';
import { describe, withSession } from '../session';
import { isStrataError } from '../strataError';

/** DatabaseState is what the project knows about its database. */
export type DatabaseState =
  | { kind: 'untrusted' }
  | { kind: 'no-connection' }
  | { kind: 'error'; connection: Connection; message: string; sqlstate: string | null }
  | { kind: 'connected'; connection: Connection; where: string; statuses: MigrationStatus[] };

/** ProjectState is one workspace folder seen by Strata. */
export type ProjectState =
  | { kind: 'loading' }
  | { kind: 'config-error'; message: string; file: string | null }
  | { kind: 'no-migrations'; message: string; config: ProjectConfig }
  | { kind: 'ready'; config: ProjectConfig; dir: string; set: MigrationSet; database: DatabaseState };

/** ProjectFiles is a fresh read of the folder: configuration, migrations folder and its migrations. */
export interface ProjectFiles {
  config: ProjectConfig;
  dir: string;
  set: MigrationSet;
}

/**
 * MigrationProject is one workspace folder: its strata.json, its migrations, and their state in the
 * selected database. `refresh` reloads everything, trusting the file watcher (Projects tells discovery
 * which files changed); runs read the files with `files()`, which checks every file's stat.
 */
export class MigrationProject {
  state: ProjectState = { kind: 'loading' };
  /** lastFailure is the error of the last run in this folder, shown as a failed migration until the next run. */
  lastFailure: MigrationErrorDetails | null = null;
  private generation = 0;
  /** scriptsAsked: applied migrations whose applied text was fetched for drift diagnostics since the last refresh. */
  private scriptsAsked = new WeakSet<AppliedMigration>();

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly connections: Connections,
    private readonly output: Output,
  ) {}

  /** name is the folder's name, as shown in multi-root workspaces. */
  get name(): string {
    return this.folder.name;
  }

  /** statuses is the last known status of every migration, or null when the database state is unknown. */
  get statuses(): MigrationStatus[] | null {
    return this.state.kind === 'ready' && this.state.database.kind === 'connected' ? this.state.database.statuses : null;
  }

  /** files reads strata.json and the migrations folder now; it throws a StrataError a user can act on. */
  async files(options: DiscoverOptions = {}): Promise<ProjectFiles> {
    const config = await loadConfig(this.folder.uri.fsPath);
    const dir = await resolveMigrationsDir(config);
    return { config, dir, set: await discoverMigrations(dir, options) };
  }

  /** connection is the selected connection, or a StrataError telling how to add one. */
  async connection(): Promise<Connection> {
    const connection = await this.connections.selected(this.folder);
    if (connection) return connection;
    throw new StrataError(
      'connection-failed',
      `No database connection for ${this.name}: add one to the strata.connections setting, or set DATABASE_URL in the folder's .env.`,
      { reason: 'no-connection' },
    );
  }

  /** refresh reloads files and status; a newer refresh wins over one still running. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const state = await this.load();
    if (generation === this.generation) this.state = state;
  }

  private async load(): Promise<ProjectState> {
    let files: ProjectFiles;
    try {
      files = await this.files({ trustRemembered: true });
    } catch (error) {
      return this.filesProblem(error);
    }
    return { kind: 'ready', ...files, database: await this.loadDatabase(files) };
  }

  private async filesProblem(error: unknown): Promise<ProjectState> {
    if (!isStrataError(error)) {
      // Not a problem the engine names (a bug, or the file system failing): still a state the tree can show.
      const message = error instanceof Error ? error.message : String(error);
      this.output.error(`${this.name}: ${error instanceof Error ? (error.stack ?? message) : message}`);
      return { kind: 'config-error', message: `Strata could not read ${this.name}: ${message}`, file: null };
    }
    if (error.code === 'migrations-dir-missing') {
      return { kind: 'no-migrations', message: error.message, config: await loadConfig(this.folder.uri.fsPath) };
    }
    const file = typeof error.details.file === 'string' ? error.details.file : null;
    return { kind: 'config-error', message: error.message, file };
  }

  /**
   * appliedScript fills in the applied text of an applied migration, which a refresh reads only for
   * drifted ones: an unsaved edit of an applied file is drift too, and its diagnostic needs the text
   * to tell a cosmetic edit from a real one and to offer "revert". Asked once per row and refresh;
   * a failure leaves the text unknown (the diagnostic says so) and is logged.
   */
  async appliedScript(applied: AppliedMigration): Promise<void> {
    if (applied.script !== null || this.scriptsAsked.has(applied) || !vscode.workspace.isTrusted) return;
    this.scriptsAsked.add(applied);
    const state = this.state;
    if (state.kind !== 'ready' || state.database.kind !== 'connected') return;
    const { connection } = state.database;
    const { schema, table } = state.config;
    try {
      await withSession(this.connections, this.output, connection, async (session) => {
        const history = new session.engine.HistoryTable(schema, table, { history: state.config.history });
        applied.script = (await history.scripts(session.client, [applied.version])).get(applied.version) ?? null;
      });
    } catch (error) {
      this.output.warn(`${this.name}: could not read the applied text of ${applied.version}: ${this.output.redact(error instanceof Error ? error.message : String(error))}`);
    }
  }

  /** loadDatabase reads the tracking table; in an untrusted workspace it runs no SQL at all. */
  private async loadDatabase(files: ProjectFiles): Promise<DatabaseState> {
    if (!vscode.workspace.isTrusted) return { kind: 'untrusted' };
    const connection = await this.connections.selected(this.folder);
    if (!connection) return { kind: 'no-connection' };
    try {
      return await withSession(this.connections, this.output, connection, async (session) => {
        const history = new session.engine.HistoryTable(files.config.schema, files.config.table, { history: files.config.history, set: files.set });
        // Applied scripts (kilobytes each) are read only for drifted migrations, whose diagnostics
        // classify the change and offer to revert it.
        const statuses = computeStatus(files.set, await history.read(session.client, { withScripts: false }));
        const drifted = statuses.flatMap((status) => (status.state === 'drifted' && status.applied ? [status.applied] : []));
        const scripts = await history.scripts(session.client, drifted.map((applied) => applied.version));
        for (const applied of drifted) applied.script = scripts.get(applied.version) ?? null;
        return { kind: 'connected', connection, where: describe(session.engine, session.target), statuses };
      });
    } catch (error) {
      const message = this.output.redact(error instanceof Error ? error.message : String(error));
      this.output.warn(`${this.name}: ${message}`);
      const sqlstate = isStrataError(error) && typeof error.details.sqlstate === 'string' ? error.details.sqlstate : null;
      return { kind: 'error', connection, message, sqlstate };
    }
  }
}
