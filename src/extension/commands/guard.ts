import * as vscode from 'vscode';
import { Command } from '../commandIds';
import type { Output } from '../output';
import { isStrataError } from '../strataError';

/** Cancelled is thrown when the user dismisses a prompt: the command stops without a message. */
export class Cancelled extends Error {
  override name = 'Cancelled';
  constructor() {
    super('cancelled by the user');
  }
}

/** isCancellation is true for every way a user stops a command. */
export function isCancellation(error: unknown): boolean {
  if (error instanceof Cancelled || error instanceof vscode.CancellationError) return true;
  return isStrataError(error) && error.code === 'cancelled';
}

type Action = { title: string; run: () => unknown };

/**
 * guard wraps every command: errors become one message (password hidden, with the button that fixes
 * the cause) and the log gets the details; cancellation is silent. Messages are not awaited, so a
 * command finishes when its work does, not when the user closes the notification.
 */
export function guard<A extends unknown[]>(output: Output, id: string, handler: (...args: A) => unknown): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await handler(...args);
    } catch (error) {
      if (isCancellation(error)) {
        output.info(`${id}: cancelled`);
        return;
      }
      showError(output, id, error);
    }
  };
}

/** showError presents an error from a command. */
export function showError(output: Output, id: string, error: unknown): void {
  const full = output.redact(error instanceof Error ? error.message : String(error));
  if (isStrataError(error)) output.error(`${id}: ${full}`);
  else output.error(`${id}: ${output.redact(error instanceof Error ? (error.stack ?? full) : full)}`);
  const [first = full] = full.split('\n');
  const shown = isStrataError(error) ? first : `Strata: unexpected error: ${first}`;
  const more = full.includes('\n') ? ' (details in the Strata output)' : '';
  const actions = actionsFor(error, output);
  void vscode.window.showErrorMessage(`${shown}${more}`, ...actions.map((a) => a.title)).then((picked) => actions.find((a) => a.title === picked)?.run());
}

function actionsFor(error: unknown, output: Output): Action[] {
  const showOutput = { title: 'Show Output', run: () => output.show() };
  if (!isStrataError(error)) return [showOutput];
  const command = (title: string, id: string, ...args: unknown[]): Action => ({ title, run: () => vscode.commands.executeCommand(id, ...args) });
  switch (error.code) {
    case 'connection-failed':
      if (error.details.reason === 'no-connection') return [command('Add Connection', Command.addConnection), command('Select Connection', Command.selectConnection)];
      if (error.details.sqlstate === '28P01' || error.details.sqlstate === '28000') return [command('Set Password', Command.setPassword), command('Select Connection', Command.selectConnection)];
      return [command('Select Connection', Command.selectConnection), showOutput];
    case 'config-invalid':
      return typeof error.details.file === 'string' ? [command('Open File', 'vscode.open', vscode.Uri.file(error.details.file))] : [showOutput];
    case 'migrations-dir-missing':
      return [command('Create Migrations Folder', Command.createMigrationsFolder)];
    default:
      return [showOutput];
  }
}
