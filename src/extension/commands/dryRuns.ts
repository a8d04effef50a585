import * as vscode from 'vscode';
import type { PlanResult } from '../../core/plan';
import type { Direction } from '../../core/prepare';
import type { SelectOptions } from '../../core/select';
import { formatDuration, plural } from '../format';
import { loadEngineWithParser } from '../lazyEngine';
import type { MigrationProject } from '../project/project';
import type { Services } from '../services';
import { targetOf, withSession } from '../session';
import { confirmProduction, reportRunError, runContext, withConnecting, withRunProgress } from './runSupport';
import { requireTrust } from './targets';

/**
 * planMigrations shows, in a read-only editor, the SQL `up` or `down` would run, in order, with notes
 * (statements outside a transaction, BEGIN/COMMIT Strata leaves out). It writes nothing and takes no lock.
 */
export async function planMigrations(services: Services, project: MigrationProject, direction: Direction, options: SelectOptions): Promise<vscode.TextEditor> {
  requireTrust();
  const files = await project.files();
  const connection = await project.connection();
  const result = await withConnecting(connection, () =>
    withSession(services.connections, services.output, connection, async (session) => {
      await session.engine.loadParser();
      const history = new session.engine.HistoryTable(files.config.schema, files.config.table, { history: files.config.history, set: files.set });
      return session.engine.planRun(session.client, history, files.set, direction, { outOfOrder: files.config.outOfOrder, ...options });
    }),
  );
  if (result.error) reportRunError(services, project, result.error, 'The plan stopped: ');
  const name = `Plan ${direction === 'up' ? 'apply' : 'rollback'} (${project.name}, ${connection.name}).sql`;
  return services.documents.open(name, renderPlan(result, direction, connection.name));
}

/** renderPlan is the plan as an SQL document: one commented header per migration, then its SQL. */
export function renderPlan(result: PlanResult, direction: Direction, connection: string): string {
  const header = `-- Strata plan: what ${direction === 'up' ? 'applying' : 'rolling back'} would run on ${connection}, in order. Nothing has run.`;
  const parts = [header, ''];
  for (const step of result.steps) {
    parts.push(`-- ${step.direction.toUpperCase()} ${step.version}  ${vscode.workspace.asRelativePath(step.file)}  (${step.transactional ? 'in a transaction' : 'outside a transaction, not atomic'})`);
    for (const note of step.notes) parts.push(`-- note: ${note}`);
    parts.push(step.sql.trim(), '');
  }
  if (result.steps.length === 0 && !result.error) parts.push(direction === 'up' ? '-- Nothing to apply: the database is up to date.' : '-- Nothing to roll back.');
  if (result.error) parts.push(`-- Stopped: ${vscode.workspace.asRelativePath(result.error.file)}:${result.error.line}:${result.error.column}: ${result.error.message}`);
  return `${parts.join('\n')}\n`;
}

/**
 * rehearseMigrations executes the pending migrations against the database inside one transaction and
 * rolls it back, reporting each migration's time, the statements it had to skip, and the first error.
 */
export async function rehearseMigrations(services: Services, project: MigrationProject): Promise<void> {
  requireTrust();
  const files = await project.files();
  const connection = await project.connection();
  await confirmProduction(connection, 'Rehearse the pending migrations', 'They run inside one transaction that is rolled back, taking the same locks as a real run while it lasts.');
  const { output } = services;
  const result = await withRunProgress(`Strata: rehearsing on ${connection.name}`, (signal, report) =>
    withSession(services.connections, output, connection, async (session) => {
      await session.engine.loadParser();
      const history = new session.engine.HistoryTable(files.config.schema, files.config.table, { history: files.config.history, set: files.set });
      services.runDiagnostics.clear();
      project.lastFailure = null;
      return session.engine.rehearseUp(runContext(services, session, files, history, signal, report), files.set, { outOfOrder: files.config.outOfOrder });
    }, { pipeline: true }),
  );
  for (const record of result.migrations) output.info(`Rehearsed ${record.version} ${vscode.workspace.asRelativePath(record.file)} in ${formatDuration(record.executionMs)}`);
  for (const skip of result.skipped) output.warn(`Skipped ${vscode.workspace.asRelativePath(skip.file)}:${skip.line}: ${skip.reason} cannot run inside the rehearsal's transaction`);
  if (result.error) {
    reportRunError(services, project, result.error, `Rehearsal failed after ${plural(result.migrations.length, 'migration')}; everything was rolled back. `);
    return;
  }
  if (result.migrations.length === 0) {
    void vscode.window.showInformationMessage(`Nothing to rehearse: ${connection.name} is up to date.`);
    return;
  }
  const timings = result.migrations.map((record) => `${record.version} ${formatDuration(record.executionMs)}`).join(', ');
  const skipped = result.skipped.length > 0 ? ` ${plural(result.skipped.length, 'statement')} could not run in the rehearsal's transaction and were skipped.` : '';
  const message = `Rehearsal succeeded on ${connection.name}: ${timings}. Everything was rolled back.${skipped}`;
  output.info(message);
  void vscode.window.showInformationMessage(message, 'Show Output').then((picked) => picked && output.show());
}

/**
 * verifyProject applies every migration on a scratch database (a temporary database on the selected
 * connection's server, or an embedded PostgreSQL without a connection), rolls all back and applies them
 * again, and reports each DOWN that does not undo its UP. The selected database itself is never touched.
 */
export async function verifyProject(services: Services, project: MigrationProject): Promise<void> {
  requireTrust();
  const files = await project.files();
  const connection = await services.connections.selected(project.folder);
  if (connection) await confirmProduction(connection, 'Create a temporary database', 'Verify creates a scratch database on that server, runs every migration up, down and up again in it, and drops it.');
  const { output } = services;
  const result = await withRunProgress(`Strata: verifying ${plural(files.set.migrations.length, 'migration')}`, async () => {
    const engine = await loadEngineWithParser();
    const password = connection ? await services.connections.password(connection) : null;
    if (connection) output.addSecrets(engine.redactSecrets, [password, connection.url ? engine.passwordOf(connection.url) : null]);
    return engine.verifyMigrations(files.set, {
      target: connection ? targetOf(engine, connection, password) : null,
      connectOptions: { password, env: process.env },
      schema: files.config.schema,
      table: files.config.table,
      logger: output.logger,
    });
  });
  output.info(`Verified ${plural(result.checked, 'migration')} on ${result.scratch}.`);
  if (result.forwardOnly.length > 0) output.info(`Forward-only (no DOWN; rollback not checked past them): ${result.forwardOnly.join(', ')}`);
  for (const problem of result.problems) {
    output.warn(`${vscode.workspace.asRelativePath(problem.file)}: ${problem.problem}${problem.objects.length ? `: ${problem.objects.join(', ')}` : ''}`);
  }
  if (result.problems.length === 0) {
    void vscode.window.showInformationMessage(`Verified ${plural(result.checked, 'migration')} on ${result.scratch}: every DOWN undoes its UP.`);
    return;
  }
  const first = result.problems[0]!;
  const message = `Verify found ${plural(result.problems.length, 'problem')}: ${vscode.workspace.asRelativePath(first.file)}: ${first.problem}`;
  void vscode.window.showWarningMessage(message, 'Show Output').then((picked) => picked && output.show());
}
