import * as vscode from 'vscode';
import type { Direction } from '../../core/prepare';
import type { MigrationStatus } from '../../core/types';
import { Command, type CommandId } from '../commandIds';
import type { Services } from '../services';
import { addConnection, selectConnection, setPassword, testConnection } from './connectionCommands';
import { planMigrations, rehearseMigrations, verifyProject } from './dryRuns';
import { createMigrationFile, createMigrationsFolder } from './files';
import { Cancelled, guard } from './guard';
import { showTrackingTable } from './adopt';
import { acceptChecksum, markApplied, showAppliedDiff } from './history';
import { runMigrations } from './run';
import { knownStatuses } from './runSupport';
import { pickMigration, pickProject, versionOf, type CommandArg } from './targets';

type Handler = (...args: unknown[]) => unknown;

/** registerCommands registers every id of the Command table through the error-handling guard. */
export function registerCommands(services: Services): vscode.Disposable[] {
  const handlers = commandHandlers(services);
  return (Object.keys(handlers) as CommandId[]).map((id) => vscode.commands.registerCommand(id, guard(services.output, id, handlers[id])));
}

const isPending = (status: MigrationStatus): boolean => status.state === 'pending' || status.state === 'out-of-order';
const isApplied = (status: MigrationStatus): boolean => status.state === 'applied' || status.state === 'drifted';

/** commandHandlers maps each command id to what it does; the Record type makes a missing id a compile error. */
function commandHandlers(services: Services): Record<CommandId, Handler> {
  const { projects } = services;
  const project = (arg: unknown) => pickProject(projects, arg);
  return {
    [Command.create]: async (arg, description) => createMigrationFile(services, await pickProject(projects, arg, { needMigrations: false }), description),
    [Command.createMigrationsFolder]: async (arg) => createMigrationsFolder(services, await pickProject(projects, arg, { needMigrations: false })),
    [Command.applyAll]: async (arg) => runMigrations(services, await project(arg), 'up', {}),
    [Command.applyNext]: async (arg) => runMigrations(services, await project(arg), 'up', { steps: 1 }),
    [Command.applyUpTo]: async (arg) => {
      const target = await project(arg);
      const pending = versionOf(arg) === undefined ? (await knownStatuses(services, target)).filter(isPending) : [];
      const to = await pickMigration(arg, pending, 'Apply pending migrations up to and including…', 'Nothing to apply: the database is up to date.');
      return runMigrations(services, target, 'up', { to });
    },
    [Command.rollbackLast]: async (arg) => runMigrations(services, await project(arg), 'down', { steps: 1 }),
    [Command.rollbackTo]: async (arg) => {
      const target = await project(arg);
      const to = versionOf(arg) ?? (await pickRollbackTarget(services, target));
      return runMigrations(services, target, 'down', { to });
    },
    [Command.plan]: async (arg) => {
      const target = await project(arg);
      const { direction, to } = await planTarget(arg);
      return planMigrations(services, target, direction, to === undefined ? {} : { to });
    },
    [Command.rehearse]: async (arg) => rehearseMigrations(services, await project(arg)),
    [Command.verify]: async (arg) => verifyProject(services, await project(arg)),
    [Command.refresh]: async () => projects.refreshAll({ reread: true }),
    [Command.selectConnection]: async (arg) => selectConnection(services, await pickProject(projects, arg, { needMigrations: false })),
    [Command.addConnection]: async (arg) => addConnection(services, await pickProject(projects, arg, { needMigrations: false })),
    [Command.testConnection]: async (arg) => testConnection(services, await pickProject(projects, arg, { needMigrations: false })),
    [Command.setPassword]: async (arg) => setPassword(services, await pickProject(projects, arg, { needMigrations: false })),
    [Command.showAppliedDiff]: async (arg) => showAppliedDiff(services, await project(arg), arg),
    [Command.acceptChecksum]: async (arg) => acceptChecksum(services, await project(arg), arg),
    [Command.markApplied]: async (arg) => markApplied(services, await project(arg), arg),
    [Command.showOutput]: () => services.output.show(),
    [Command.showTrackingTable]: async (arg) => showTrackingTable(services, await project(arg)),
  };
}

/** pickRollbackTarget asks which applied migration stays the newest; "all" rolls every migration back. */
async function pickRollbackTarget(services: Services, project: Awaited<ReturnType<typeof pickProject>>): Promise<string> {
  const applied = (await knownStatuses(services, project)).filter(isApplied);
  if (applied.length === 0) {
    void vscode.window.showInformationMessage(`Nothing to roll back: no migration is applied on ${project.name}'s database.`);
    throw new Cancelled();
  }
  const newest = applied[applied.length - 1]!;
  const candidates = applied.filter((status) => status !== newest);
  const items = [
    ...candidates.reverse().map((status) => ({ label: `${status.version} ${status.description}`, description: 'stays applied; everything newer is rolled back', version: status.version })),
    { label: 'All migrations', description: 'roll back every applied migration', version: '0' },
  ];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Roll back to which migration? It stays applied; newer ones are rolled back.' });
  if (!picked) throw new Cancelled();
  return picked.version;
}

/** planTarget reads what to plan from the argument: a pending item plans up to it, an applied one a rollback to it. */
async function planTarget(value: unknown): Promise<{ direction: Direction; to: string | undefined }> {
  const arg = (typeof value === 'object' && value !== null ? value : {}) as CommandArg & { direction?: Direction };
  if (arg.status) return { direction: isApplied(arg.status) ? 'down' : 'up', to: arg.status.version };
  if (arg.direction) return { direction: arg.direction, to: arg.version };
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Apply all pending migrations', direction: 'up' as const },
      { label: 'Roll back the last migration', direction: 'down' as const },
    ],
    { placeHolder: 'Plan what?' },
  );
  if (!picked) throw new Cancelled();
  return { direction: picked.direction, to: undefined };
}
