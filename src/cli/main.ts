import { UsageError } from './args';
import * as commands from './commands';
import type { CommandEnv } from './commands';
import type { CliIo } from './io';
import { adopt } from './adopt';
import { confirmProduction } from './confirm';
import { lint, loadLintProject } from './lint';
import { loadProject } from './project';
import { runCommandLine, startProcess } from './run';
import { statusCommand } from './status';

/**
 * runCli runs one command line and returns its exit code; it never calls process.exit itself. (dist/cli.js
 * runs status and pending from their own bundle, src/cli/statusMain.ts; in-process callers run them here.)
 */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const runStatus = statusCommand();
  return runCommandLine(argv, io, async (options, safe, logger, addSecrets) => {
    if (options.command === 'status' || options.command === 'pending') return await runStatus(options, safe, logger, addSecrets);
    const project = options.command === 'lint' ? await loadLintProject(options, safe) : await loadProject(options, safe);
    try {
      addSecrets(project.secrets);
      const env: CommandEnv = { options, project, io: safe, logger };
      await confirmProduction(env);
      return await dispatch(env);
    } finally {
      // A session started while the folder was read and not used (the command stopped before it ran).
      project.session?.close();
    }
  });
}

/** main runs this process's command line (dist/cli.js calls it for every command but status and pending). */
export function main(): void {
  startProcess(runCli);
}

function dispatch(env: CommandEnv): Promise<number> {
  switch (env.options.command) {
    case 'up':
      return commands.up(env);
    case 'down':
      return commands.down(env);
    case 'plan':
      return commands.plan(env);
    case 'rehearse':
      return commands.rehearse(env);
    case 'verify':
      return commands.verify(env);
    case 'create':
      return commands.create(env);
    case 'repair':
      return commands.repair(env);
    case 'baseline':
      return commands.baseline(env);
    case 'lint':
      return lint(env);
    case 'adopt':
      return adopt(env);
    default:
      throw new UsageError(`unknown command "${env.options.command}"`);
  }
}

if (require.main === module) main();
