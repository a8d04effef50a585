/**
 * The entry point of `strata status` and `strata pending` (dist/cli-status.js): the same command line
 * handling as the full CLI (src/cli/main.ts), in a bundle without the runner, the parser and the linter,
 * which a status of 10,000 migrations would otherwise spend about 10 ms compiling at start.
 */
import { loadProjectBase } from './project';
import { runCommandLine, startProcess, statusFlags, withOptimizingCompiler } from './run';
import { status } from './status';
import type { CliIo } from './io';
import { UsageError } from './args';

/** runStatusCli runs a `status` or `pending` command line; tuning is called when the status cache is cold (see status). */
export function runStatusCli(argv: readonly string[], io: CliIo, tuning?: () => void): Promise<number> {
  return runCommandLine(argv, io, async (options, safe, logger, addSecrets) => {
    if (options.command !== 'status' && options.command !== 'pending') throw new UsageError(`${options.command} is not run by this entry point`);
    const project = await loadProjectBase(options, safe);
    addSecrets(project.secrets);
    return await status({ options, project, io: safe, logger }, options.command === 'pending', tuning);
  });
}

/** main runs this process's command line. */
export function main(): void {
  statusFlags();
  startProcess((argv, io) => runStatusCli(argv, io, withOptimizingCompiler));
}

if (require.main === module) main();
