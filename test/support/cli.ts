/**
 * Runs the real CLI bundle (`node dist/cli.js`) as a child process, the way a user or CI does.
 * The bundle is not built here: `npm test` runs `npm run build` first; when running the CLI suite on its
 * own, build once with `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** CLI_PATH is the bundle under test. */
export const CLI_PATH = resolve(__dirname, '..', '..', 'dist', 'cli.js');

/** CliResult is what a CLI run left behind: its exit code, its output, and how long it took. */
export interface CliResult {
  /** code is the exit code; null when the process was killed (e.g. by the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** CliRunOptions: where to run, extra environment variables, and when to give up. */
export interface CliRunOptions {
  cwd: string;
  /** env is added to a clean copy of this process's environment (see cleanEnv). */
  env?: Record<string, string>;
  /** timeoutMs kills the child after this long (default 30 s); the result then has code null. */
  timeoutMs?: number;
}

// Variables that would point the child at a database (or change how node starts, or turn the status cache off) without the test saying so.
const INHERITED_CONNECTION = /^(PG[A-Z_]*|DATABASE_URL|POSTGRES_URL|NODE_OPTIONS|TEST_DATABASE_URL|STRATA_NO_CACHE)$/;

// The status cache of every CLI run goes to a folder of this test process, not the user's ~/.cache.
let cacheHome: string | null = null;
function testCacheHome(): string {
  if (cacheHome === null) {
    const dir = mkdtempSync(join(tmpdir(), 'strata-test-cache-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    cacheHome = dir;
  }
  return cacheHome;
}

/** cleanEnv is this process's environment without PG*, DATABASE_URL, POSTGRES_URL, NODE_OPTIONS and STRATA_NO_CACHE, with its own XDG_CACHE_HOME. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !INHERITED_CONNECTION.test(name)) env[name] = value;
  }
  return { ...env, XDG_CACHE_HOME: testCacheHome(), ...extra };
}

let checked = false;

/** assertBuilt fails with a clear message when the bundle has not been built, and warns (once) when it is older than src/. */
export function assertBuilt(): void {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} does not exist: build the CLI first with \`npm run build\` (\`npm test\` does this before the integration tests).`);
  }
  if (checked) return;
  checked = true;
  const built = statSync(CLI_PATH).mtimeMs;
  const newer = sourceFiles(resolve(__dirname, '..', '..', 'src')).filter((file) => statSync(file).mtimeMs > built);
  if (newer.length > 0) {
    process.stderr.write(`[strata tests] warning: dist/cli.js is older than ${newer.length} file(s) in src/ (e.g. ${newer[0]}); run \`npm run build\` to test the current code.\n`);
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** RunningCli is a CLI process still running: the child (to signal it) and its result once it exits. */
export interface RunningCli {
  child: ChildProcess;
  result: Promise<CliResult>;
}

/** startCli starts `node dist/cli.js ...args` in options.cwd without waiting for it. */
export function startCli(args: readonly string[], options: CliRunOptions): RunningCli {
  assertBuilt();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        ms: performance.now() - started,
      });
    });
  });
  return { child, result };
}

/** cli runs `node dist/cli.js ...args` in options.cwd and collects its exit code and output. */
export function cli(args: readonly string[], options: CliRunOptions): Promise<CliResult> {
  return startCli(args, options).result;
}

/** output is everything the run printed, stdout then stderr, for messages that may go to either. */
export function output(result: CliResult): string {
  return `${result.stdout}\n${result.stderr}`;
}

/** describeRun formats a result for assertion messages. */
export function describeRun(result: CliResult): string {
  return `exit ${String(result.code)} after ${Math.round(result.ms)} ms\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** parseJson parses a run's stdout as JSON, failing with the whole run in the message when it is not. */
export function parseJson<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(`stdout is not JSON (${String(error)})\n${describeRun(result)}`);
  }
}
