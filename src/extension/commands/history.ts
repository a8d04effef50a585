import { basename } from 'node:path';
import * as vscode from 'vscode';
import { StrataError } from '../../core/errors';
import type { RunContext } from '../../core/context';
import type { MigrationSet, MigrationStatus } from '../../core/types';
import { compareVersions } from '../../core/types';
import { migrationLabel } from '../format';
import type { Engine } from '../lazyEngine';
import type { MigrationProject } from '../project/project';
import type { Services } from '../services';
import { withSession } from '../session';
import { confirm, knownStatuses, runContext, withConnecting } from './runSupport';
import { pickMigration, requireTrust } from './targets';

/** findStatus is the status of one version in a project. */
function findStatus(statuses: readonly MigrationStatus[], version: string): MigrationStatus {
  const found = statuses.find((status) => status.migration && compareVersions(status.version, version) === 0);
  if (!found) throw new StrataError('target-not-found', `No migration with version ${version} in the migrations folder.`);
  return found;
}

/**
 * showAppliedDiff compares the UP a drifted migration was applied with (stored in the tracking table)
 * with its UP section now, side by side, both read-only.
 */
export async function showAppliedDiff(services: Services, project: MigrationProject, arg: unknown): Promise<void> {
  const statuses = await knownStatuses(services, project);
  const drifted = statuses.filter((status) => status.state === 'drifted');
  const version = await pickMigration(arg, drifted, 'Which migration?', 'No migration was edited after it was applied.');
  const status = findStatus(statuses, version);
  if (!status.applied || !status.migration) throw new StrataError('target-not-found', `${migrationLabel(status)} is not applied.`);
  const script = await appliedScript(services, project, status.applied.version);
  if (script === null) {
    throw new StrataError('target-not-found', `The tracking table has no script for ${migrationLabel(status)} (it was recorded without one), so there is nothing to compare.`);
  }
  const name = basename(status.migration.file, '.sql');
  const left = services.documents.create(`${name} (applied UP).sql`, script);
  const right = services.documents.create(`${name} (current UP).sql`, status.migration.up.text);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: applied UP ↔ current UP`);
}

/** appliedScript reads the UP text a migration was applied with from the tracking table (the tree's status leaves it out). */
async function appliedScript(services: Services, project: MigrationProject, version: string): Promise<string | null> {
  requireTrust();
  const files = await project.files();
  const connection = await project.connection();
  return withConnecting(connection, () =>
    withSession(services.connections, services.output, connection, async (session) => {
      const history = new session.engine.HistoryTable(files.config.schema, files.config.table, { history: files.config.history, set: files.set });
      const row = (await history.read(session.client)).find((applied) => applied.version === version);
      return row?.script ?? null;
    }),
  );
}

/** acceptChecksum records a drifted migration's current UP as what was applied (repair), after a modal. */
export async function acceptChecksum(services: Services, project: MigrationProject, arg: unknown): Promise<void> {
  requireTrust();
  const statuses = await knownStatuses(services, project);
  const drifted = statuses.filter((status) => status.state === 'drifted');
  const version = await pickMigration(arg, drifted, 'Accept the current checksum of which migration?', 'No migration was edited after it was applied.');
  const status = findStatus(statuses, version);
  const connection = await project.connection();
  await confirm(
    `Accept the current ${basename(status.file ?? '')} as what was applied on "${connection.name}"?`,
    'Only the recorded checksum and script change; no SQL of the migration runs. Do this when the edit was intended and the database already matches it.',
    'Accept Checksum',
  );
  await withHistoryRun(services, project, async (engine, ctx, set) => {
    const repaired = await engine.repairChecksums(ctx, set, version);
    void vscode.window.showInformationMessage(repaired.length > 0 ? `Accepted the current checksum of ${migrationLabel(status)}.` : `${migrationLabel(status)} is no longer drifted.`);
  });
}

/** markApplied records pending migrations up to a version as applied without running them (baseline). */
export async function markApplied(services: Services, project: MigrationProject, arg: unknown): Promise<void> {
  requireTrust();
  const statuses = await knownStatuses(services, project);
  const pending = statuses.filter((status) => status.state === 'pending' || status.state === 'out-of-order');
  const version = await pickMigration(arg, pending, 'Mark pending migrations as applied up to which one?', 'No pending migrations.');
  const status = findStatus(statuses, version);
  const chosen = pending.filter((p) => compareVersions(p.version, version) <= 0);
  const connection = await project.connection();
  await confirm(
    `Mark ${chosen.length === 1 ? migrationLabel(status) : `${chosen.length} migrations up to ${version}`} as applied on "${connection.name}" without running ${chosen.length === 1 ? 'it' : 'them'}?`,
    `Do this when the database already contains what they create (a baseline).\n${chosen.map((p) => `• ${migrationLabel(p)}`).join('\n')}`,
    'Mark as Applied',
  );
  await withHistoryRun(services, project, async (engine, ctx, set) => {
    const recorded = await engine.baselineTo(ctx, set, version);
    void vscode.window.showInformationMessage(`Recorded ${recorded.length} migration(s) as applied (not run): ${recorded.join(', ')}.`);
  });
}

type HistoryWork = (engine: Engine, ctx: RunContext, set: MigrationSet) => Promise<void>;

/** withHistoryRun opens a session with the run lock's context for commands that only write history. */
async function withHistoryRun(services: Services, project: MigrationProject, work: HistoryWork): Promise<void> {
  const files = await project.files();
  const connection = await project.connection();
  try {
    await withConnecting(connection, () =>
      withSession(services.connections, services.output, connection, async (session) => {
        const history = new session.engine.HistoryTable(files.config.schema, files.config.table, { history: files.config.history, set: files.set });
        await work(session.engine, runContext(services, session, files, history, new AbortController().signal), files.set);
      }),
    );
  } finally {
    await services.projects.refresh(project);
  }
}
