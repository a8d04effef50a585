import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { RunContext, RunEvent } from '../../core/context';
import type { MigrationErrorDetails } from '../../core/errors';
import { StrataError } from '../../core/errors';
import type { HistoryTable } from '../../core/history';
import type { MigrationStatus } from '../../core/types';
import type { Connection } from '../connections/connection';
import type { MigrationProject, ProjectFiles } from '../project/project';
import type { Services } from '../services';
import type { Session } from '../session';
import { Cancelled } from './guard';
import { requireTrust } from './targets';

/** confirm asks in a modal and throws Cancelled unless the user presses `button`. */
export async function confirm(message: string, detail: string, button: string): Promise<void> {
  const picked = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
  if (picked !== button) throw new Cancelled();
}

/** confirmProduction asks before anything that changes or locks a production database. */
export async function confirmProduction(connection: Connection, action: string, detail: string): Promise<void> {
  if (!connection.production) return;
  await confirm(`${action} on the production database "${connection.name}"?`, detail, 'Continue on Production');
}

/** runContext builds the engine's RunContext for a session, wired to cancellation and progress. */
export function runContext(
  services: Services,
  session: Session,
  files: ProjectFiles,
  history: HistoryTable,
  signal: AbortSignal,
  onEvent?: (event: RunEvent) => void,
): RunContext {
  return {
    client: session.client,
    history,
    logger: services.output.logger,
    lockTimeoutMs: files.config.lockTimeoutMs,
    statementTimeoutMs: files.config.statementTimeoutMs,
    signal,
    cancelBackend: (pid) => session.cancelBackend(pid),
    onEvent,
  };
}

/**
 * withRunProgress runs work under a cancellable progress notification. Cancelling aborts the signal:
 * the engine stops between migrations and cancels a running statement on the server.
 */
export function withRunProgress<T>(title: string, work: (signal: AbortSignal, report: (event: RunEvent) => void) => Promise<T>): Promise<T> {
  const running = vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    const report = (event: RunEvent): void => {
      if (event.type !== 'start') return;
      const verb = event.direction === 'up' ? 'applying' : 'rolling back';
      progress.report({ message: `${event.index + 1}/${event.total}: ${verb} ${basename(event.file)}`, increment: event.index === 0 ? 0 : 100 / event.total });
    };
    try {
      return await work(abort.signal, report);
    } finally {
      subscription.dispose();
    }
  });
  return Promise.resolve(running);
}

/** withConnecting shows a status-bar progress while a command talks to the database (connecting, reading history). */
export function withConnecting<T>(connection: Connection, work: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Strata: ${connection.name}` }, work));
}

/** reportRunError puts a failure on its line as a diagnostic and shows it with a button to open the file. */
export function reportRunError(services: Services, project: MigrationProject, error: MigrationErrorDetails, prefix: string): void {
  project.lastFailure = error;
  services.runDiagnostics.report(error);
  const where = `${basename(error.file)}:${error.line}:${error.column}`;
  const message = services.output.redact(`${prefix}${where}: ${error.sqlstate ? `${error.sqlstate} ` : ''}${error.message}`);
  void vscode.window.showErrorMessage(message, 'Open File', 'Show Output').then((picked) => {
    if (picked === 'Open File') void openAt(error.file, error.line, error.column);
    if (picked === 'Show Output') services.output.show();
  });
}

/** openAt opens a file with the cursor at a 1-based line and column. */
export async function openAt(file: string, line: number, column: number): Promise<vscode.TextEditor> {
  const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  return vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position) });
}

/**
 * knownStatuses returns the project's statuses, refreshing once when they are unknown; when the
 * database cannot be read it throws the reason (untrusted, no connection, connection error).
 */
export async function knownStatuses(services: Services, project: MigrationProject): Promise<MigrationStatus[]> {
  if (!project.statuses) await services.projects.refresh(project);
  if (project.statuses) return project.statuses;
  const { state } = project;
  if (state.kind !== 'ready') await project.files(); // throws the configuration or folder problem
  requireTrust();
  if (state.kind === 'ready' && state.database.kind === 'error') {
    throw new StrataError('connection-failed', state.database.message, { sqlstate: state.database.sqlstate });
  }
  await project.connection(); // throws "no connection"
  throw new StrataError('connection-failed', `The state of ${project.name}'s database is unknown; see the Strata output.`);
}
