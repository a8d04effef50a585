/**
 * The entry point of `strata status` and `strata pending` (dist/cli-status.js): the same command line
 * handling as the full CLI (src/cli/main.ts), in a bundle without the runner, the parser and the linter,
 * which a status of 10,000 migrations would otherwise spend about 10 ms compiling at start.
 */
import { runCommandLine, startProcess, statusFlags, withOptimizingCompiler } from './run';
import { statusCommand } from './status';
import type { CliIo } from './io';

/** runStatusCli runs a `status` or `pending` command line; tuning is called when the status cache is cold (see status). */
export function runStatusCli(argv: readonly string[], io: CliIo, tuning?: () => void): Promise<number> {
  return runCommandLine(argv, io, statusCommand(tuning));
}

/** main runs this process's command line. */
export function main(): void {
  statusFlags();
  startProcess((argv, io) => runStatusCli(argv, io, withOptimizingCompiler));
}

if (require.main === module) main();
