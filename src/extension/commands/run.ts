import * as vscode from 'vscode';
import type { HistoryTable } from '../../core/history';
import type { Direction } from '../../core/prepare';
import type { RunResult } from '../../core/runner';
import { assertReversible, assertUsableFolder, selectPending, selectRollback, type SelectOptions } from '../../core/select';
import { computeStatus } from '../../core/status';
import type { MigrationFile } from '../../core/types';
import type { Connection } from '../connections/connection';
import { formatDuration, migrationLabel, plural } from '../format';
import type { MigrationProject, ProjectFiles } from '../project/project';
import type { Services } from '../services';
import { withSession, type Session } from '../session';
import { confirm, reportRunError, runContext, withConnecting, withRunProgress } from './runSupport';
import { requireTrust } from './targets';
import { isStrataError } from '../strataError';

/**
 * runMigrations applies (up) or rolls back (down) in one project: it reads the files afresh, says what
 * would run (or that nothing would), asks where a human must agree (every rollback, anything on a
 * production connection, out-of-order migrations), runs under a cancellable progress notification, and
 * shows the outcome: a message, and for a failure a diagnostic on the failing line.
 */
export async function runMigrations(services: Services, project: MigrationProject, direction: Direction, options: SelectOptions): Promise<RunResult | null> {
  requireTrust();
  const files = await project.files();
  if (direction === 'up') assertUsableFolder(files.set);
  const connection = await project.connection();
  const select: SelectOptions = { ...options, outOfOrder: options.outOfOrder ?? files.config.outOfOrder };
  try {
    return await withConnecting(connection, () =>
      withSession(services.connections, services.output, connection, (session) => runInSession(services, project, files, session, direction, select), { pipeline: true }),
    );
  } finally {
    await services.projects.refresh(project);
  }
}

async function runInSession(
  services: Services,
  project: MigrationProject,
  files: ProjectFiles,
  session: Session,
  direction: Direction,
  select: SelectOptions,
): Promise<RunResult | null> {
  const history = new session.engine.HistoryTable(files.config.schema, files.config.table, { history: files.config.history, set: files.set });
  const chosen = direction === 'up' ? await choosePending(session, history, files, select) : await chooseRollback(session, history, files, select);
  if (chosen.length === 0) {
    void vscode.window.showInformationMessage(
      direction === 'up' ? `Nothing to apply: ${session.connection.name} is up to date.` : `Nothing to roll back on ${session.connection.name}.`,
    );
    return null;
  }
  await confirmRun(session.connection, direction, chosen);
  await session.engine.loadParser();
  const verb = direction === 'up' ? 'Applying' : 'Rolling back';
  const title = `Strata: ${verb.toLowerCase()} ${plural(chosen.length, 'migration')} ${direction === 'up' ? 'to' : 'on'} ${session.connection.name}`;
  services.output.info(`${verb} ${chosen.map((m) => m.version).join(', ')} (${project.name}, ${session.connection.name})`);
  services.runDiagnostics.clear();
  project.lastFailure = null;
  const result = await withRunProgress(title, (signal, report) => {
    const ctx = runContext(services, session, files, history, signal, report);
    return direction === 'up' ? session.engine.migrateUp(ctx, files.set, select) : session.engine.migrateDown(ctx, files.set, select);
  });
  presentRun(services, project, session.connection, result);
  return result;
}

/** choosePending is what `up` would apply; out-of-order migrations are applied only when the user agrees. */
async function choosePending(session: Session, history: HistoryTable, files: ProjectFiles, select: SelectOptions): Promise<MigrationFile[]> {
  const statuses = computeStatus(files.set, await history.read(session.client));
  try {
    return selectPending(statuses, select);
  } catch (error) {
    if (!isStrataError(error) || error.code !== 'out-of-order') throw error;
    const versions = Array.isArray(error.details.versions) ? error.details.versions.join(', ') : '';
    await confirm(
      'Apply migrations older than the newest applied one?',
      `${versions} are pending but older than migrations already applied (for example after a merge). Check that they do not conflict with what ran since. To allow this always, set "outOfOrder": true in strata.json.`,
      'Apply Out of Order',
    );
    select.outOfOrder = true;
    return selectPending(statuses, select);
  }
}

/** chooseRollback is what `down` would roll back; it refuses before anything runs when one has no DOWN. */
async function chooseRollback(session: Session, history: HistoryTable, files: ProjectFiles, select: SelectOptions): Promise<MigrationFile[]> {
  const applied = await history.read(session.client);
  const targets = selectRollback(applied, files.set, select);
  assertReversible(targets);
  return targets.map((target) => target.migration!);
}

/** confirmRun: every rollback asks, and anything on a production connection asks, in a modal. */
async function confirmRun(connection: Connection, direction: Direction, chosen: readonly MigrationFile[]): Promise<void> {
  const list = chosen.map((migration) => `• ${migrationLabel(migration)}`).join('\n');
  const count = plural(chosen.length, 'migration');
  if (direction === 'up') {
    if (!connection.production) return;
    await confirm(`Apply ${count} to the production database "${connection.name}"?`, list, 'Apply to Production');
    return;
  }
  const where = connection.production ? `the production database "${connection.name}"` : `"${connection.name}"`;
  await confirm(`Roll back ${count} on ${where}?`, `Their DOWN sections run, newest first:\n${list}`, connection.production ? 'Roll Back Production' : 'Roll Back');
}

/** presentRun reports the outcome of a run. */
function presentRun(services: Services, project: MigrationProject, connection: Connection, result: RunResult): void {
  const verb = result.direction === 'up' ? 'Applied' : 'Rolled back';
  const done = result.migrations;
  const total = formatDuration(done.reduce((sum, record) => sum + record.executionMs, 0));
  const summary = `${verb} ${plural(done.length, 'migration')} ${result.direction === 'up' ? 'to' : 'on'} ${connection.name} (${total})`;
  services.output.info(summary);
  // A cancelled run may end with the error of the statement the server cancelled: that is what the
  // user asked for, not a failure to put on the file.
  if (result.cancelled) {
    services.output.info(`Cancelled by the user${result.error ? ` while ${result.error.version} was running; it was rolled back` : ''}.`);
    vscode.window.setStatusBarMessage(`Strata: cancelled. ${summary} before stopping.`, 10_000);
    return;
  }
  if (result.error) {
    const before = done.length > 0 ? `${summary}; then ` : '';
    reportRunError(services, project, result.error, `${before}${result.direction === 'up' ? 'apply' : 'rollback'} failed at `);
    return;
  }
  const notes = result.warnings.length > 0 ? ` ${plural(result.warnings.length, 'warning')} in the Strata output.` : '';
  void vscode.window.showInformationMessage(`${summary}.${notes}`);
}
