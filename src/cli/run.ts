import { sep } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { passwordOf, redactSecrets } from '../core/db';
import { StrataError } from '../core/errors';
import type { Logger } from '../core/logger';
import { parseCommandLine, UsageError, USAGE, type CliOptions } from './args';
import { EXIT } from './exit';
import { printChunks, processIo, type CliIo } from './io';
import { interrupt } from './project';

declare const STRATA_VERSION: string | undefined;

/** CommandRunner runs one parsed command; addSecrets names more values (the project's password) that output must never show. */
export type CommandRunner = (options: CliOptions, io: CliIo, logger: Logger, addSecrets: (secrets: readonly string[]) => void) => Promise<number>;

/**
 * runCommandLine parses a command line, answers help and version, and runs the command with output
 * that never shows a password; it reports errors and returns the exit code, never calling process.exit.
 */
export async function runCommandLine(argv: readonly string[], io: CliIo, run: CommandRunner): Promise<number> {
  const secrets = [io.env.PGPASSWORD, passwordOf(io.env.DATABASE_URL ?? null), passwordOf(io.env.POSTGRES_URL ?? null)];
  const safe = redactingIo(io, secrets);
  let options: CliOptions;
  try {
    options = parseCommandLine(argv);
  } catch (error) {
    const message = (error as Error).message;
    if (argv.includes('--json')) safe.stdout(JSON.stringify({ error: { code: 'usage', message } }, null, 2));
    safe.stderr(`strata: ${message}`);
    return EXIT.usage;
  }
  secrets.push(passwordOf(options.url ?? null));
  if (options.command === 'help') {
    safe.stdout(USAGE);
    return EXIT.ok;
  }
  if (options.command === 'version') {
    safe.stdout(typeof STRATA_VERSION === 'string' ? STRATA_VERSION : 'development');
    return EXIT.ok;
  }
  try {
    return await run(options, safe, cliLogger(safe, options.verbose), (more) => secrets.push(...more));
  } catch (error) {
    return reportError(error, options, safe);
  }
}

function reportError(error: unknown, options: CliOptions, io: CliIo): number {
  const usage = error instanceof UsageError || (error instanceof StrataError && (error.code === 'config-invalid' || error.code === 'confirmation-required'));
  const prefix = io.cwd.endsWith(sep) ? io.cwd : io.cwd + sep;
  const message = (error instanceof Error ? error.message : String(error)).split(prefix).join('');
  const code = error instanceof StrataError ? error.code : usage ? 'usage' : 'internal';
  if (options.json) io.stdout(JSON.stringify({ error: { code, message } }, null, 2));
  io.stderr(`strata: ${message}`);
  if (!(error instanceof StrataError) && !(error instanceof UsageError) && options.verbose && error instanceof Error && error.stack) {
    io.stderr(error.stack);
  }
  return usage ? EXIT.usage : EXIT.failure;
}

function redactingIo(io: CliIo, secrets: (string | null | undefined)[]): CliIo {
  return {
    ...io,
    stdout: (text) => io.stdout(redactSecrets(text, secrets)),
    stderr: (text) => io.stderr(redactSecrets(text, secrets)),
    stdoutChunks: (chunks) => printChunks(io, redactedChunks(chunks, secrets)),
  };
}

/**
 * redactedChunks redacts output given in pieces as redactSecrets would redact the pieces joined: text
 * that could be the start of a secret continued in the next piece is held back until that piece comes.
 */
export function* redactedChunks(chunks: Iterable<string>, secrets: readonly (string | null | undefined)[]): Generator<string> {
  const forms = secrets.flatMap((secret) => (secret ? [secret, encodeURIComponent(secret)] : []));
  const hold = forms.reduce((longest, form) => Math.max(longest, form.length - 1), 0);
  let carry = '';
  for (const chunk of chunks) {
    const text = carry + chunk;
    let cut = text.length - hold;
    // Move the cut before any secret that crosses it, until none does.
    for (let moved = cut > 0; moved; ) {
      moved = false;
      for (const form of forms) {
        const at = text.indexOf(form, Math.max(0, cut - form.length + 1));
        if (at !== -1 && at < cut) {
          cut = at;
          moved = true;
        }
      }
    }
    if (cut <= 0) {
      carry = text;
      continue;
    }
    yield redactSecrets(text.slice(0, cut), secrets);
    carry = text.slice(cut);
  }
  if (carry !== '') yield redactSecrets(carry, secrets);
}

// The engine names files by absolute path; the terminal shows them relative to where the user is.
function cliLogger(io: CliIo, verbose: boolean): Logger {
  const prefix = io.cwd.endsWith(sep) ? io.cwd : io.cwd + sep;
  const local = (message: string): string => message.split(prefix).join('');
  return {
    debug: (message) => verbose && io.stderr(local(message)),
    info: (message) => verbose && io.stderr(local(message)),
    warn: (message) => io.stderr(`warning: ${local(message)}`),
    error: (message) => verbose && io.stderr(local(message)),
  };
}

/**
 * keepRunningWhenOutputCloses: when the reader of stdout or stderr goes away (`strata status | head`,
 * a closed terminal), writing fails with EPIPE, which Node raises as an unhandled error that ends the
 * process with a stack trace, possibly in the middle of a run. The command instead finishes its work
 * (a migration is never cut short because nobody reads its log) and exits with its own code; what it
 * would have printed to that stream is dropped.
 */
function keepRunningWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

/** startProcess runs the command line of this process and sets its exit code (the CLI's entry points). */
export function startProcess(run: (argv: readonly string[], io: CliIo) => Promise<number>): void {
  // A command runs once and exits: V8's optimizing compile of the parser's 1.7 MB of WebAssembly costs
  // this short process more than it saves (`strata lint` of a 2 KB file: 0.21 s -> 0.12 s, of 1 MB: -4 %).
  // The baseline compiler alone is used; the editor, which parses all day, keeps V8's default.
  setFlagsFromString('--liftoff-only');
  keepRunningWhenOutputCloses();
  process.on('SIGINT', () => interrupt(130));
  process.on('SIGTERM', () => interrupt(143));
  run(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`strata: internal error: ${String(error)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}

/**
 * statusFlags sets V8 up for status, which keeps every migration and tracking row until it prints:
 * - the young generation stays at its initial size (growth factor 1): V8 doubled it up to 2 x 16 MB for
 *   10,000 migrations (peak RSS 104 -> 78 MB, same time);
 * - no optimizing compiler: with a warm cache, status checks each file with one `stat` and is over in a
 *   quarter of a second, and TurboFan's compile jobs ran on the other core for code that finished before
 *   their result arrived (-8 MB peak RSS, -30 to -40 ms of CPU, same wall time). status turns it back on
 *   (withOptimizingCompiler) when it has to read the files: the first run, CI, --no-cache (+65 ms without).
 * The flags are read when V8 acts on them (a growth, a compile), so they can be set at run time.
 */
export function statusFlags(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--no-opt');
}

/** withOptimizingCompiler undoes statusFlags' `--no-opt`, for a status that reads and splits every file. */
export function withOptimizingCompiler(): void {
  setFlagsFromString('--opt');
}
