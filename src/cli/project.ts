import { existsSync, readFileSync } from 'node:fs';
import { StrataError } from '../core/errors';
import { join, relative, resolve, sep } from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig, resolveMigrationsDir, type ProjectConfig } from '../core/config';
import { cancelBackend, connect, lostConnection, passwordOf, redactSecrets, resolveConnectionTarget, type ConnectionTarget } from '../core/db';
import { discoverMigrations } from '../core/discover';
import { HistoryTable } from '../core/history';
import type { Logger } from '../core/logger';
import { loadParser, warmParser } from '../core/sql/parser';
import type { MigrationSet } from '../core/types';
import type { RunContext } from '../core/context';
import type { CliOptions } from './args';
import type { CliIo } from './io';
import { productionHost } from './confirm';
import type pg from 'pg';

/** ProjectBase is what a command needs before the migrations folder is read: configuration, the folder, and where the database is. */
export interface ProjectBase {
  config: ProjectConfig;
  dir: string;
  target: ConnectionTarget;
  /** hasDatabase is false when nothing names a database (no URL, no DATABASE_URL, no PGHOST/PGDATABASE). */
  hasDatabase: boolean;
  /** history is the tracking table; its `options.set` is the folder's migrations once they are read. */
  history: HistoryTable;
  /** secrets are values never to print (the connection's password). */
  secrets: string[];
  /** show turns an absolute path into the form printed to the user: relative to the working directory. */
  show: (path: string) => string;
}

/** Project is everything a command needs: configuration, the migrations found, and where the database is. */
export interface Project extends ProjectBase {
  set: MigrationSet;
  /** session is the session started while the folder was read (see EarlySession), for withRunContext. */
  session?: EarlySession | null;
}

/** SESSION_COMMANDS run through withRunContext: their session can start before the folder is read. */
const SESSION_COMMANDS = new Set(['up', 'down', 'rehearse', 'repair', 'baseline']);

/**
 * EarlySession is a command's session and the parser, started before the migrations folder is read:
 * the server starting a backend and authenticating, and the parser compiling, then overlap the reading
 * (about 8 ms of a `down` of 100 migrations). Nothing is sent on the session before withRunContext takes
 * it; a command that stops before that closes it (close). A failure to connect is reported where it
 * was before, when withRunContext awaits it, after any problem with the folder.
 */
export class EarlySession {
  private taken = false;
  private constructor(
    private readonly client: Promise<pg.Client>,
    private readonly parser: Promise<void>,
  ) {
    // Awaited later (or never, when the folder cannot be read): not an unhandled rejection meanwhile.
    client.catch(() => undefined);
    parser.catch(() => undefined);
  }

  /**
   * start begins the session of a command that runs through withRunContext and names a database; null
   * for any other command, and for a production database not confirmed with --yes (confirmProduction
   * asks first, and a refused command must not have connected).
   */
  static start(options: CliOptions, io: CliIo, base: ProjectBase): EarlySession | null {
    if (!SESSION_COMMANDS.has(options.command) || !base.hasDatabase) return null;
    if (!options.yes && productionHost(base, io) !== null) return null;
    return new EarlySession(connect(base.target, { env: io.env, pipeline: true }), readyParser());
  }

  /** take hands the session and the parser to withRunContext, which owns the session from then on. */
  take(): [Promise<pg.Client>, Promise<void>] {
    this.taken = true;
    return [this.client, this.parser];
  }

  /** close ends the session unless withRunContext took it. */
  close(): void {
    if (this.taken) return;
    this.taken = true;
    this.client.then((client) => client.end()).catch(() => undefined);
  }
}

/** loadProject reads strata.json, finds the migrations folder and reads it, and resolves the connection target. */
export async function loadProject(options: CliOptions, io: CliIo): Promise<Project> {
  const base = await loadProjectBase(options, io);
  const session = EarlySession.start(options, io, base);
  // Reading the folder is synchronous: two turns of the event loop first let the connection attempt
  // begin and its startup message go out, and the parser's compile (on V8's background threads) start.
  if (session) for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  let set: MigrationSet;
  try {
    set = await discoverOrEmpty(options, base.dir);
  } catch (error) {
    session?.close();
    throw error;
  }
  base.history.options.set = set;
  return { ...base, set, session };
}

/**
 * readyParser loads the parser and has it parse once: WebAssembly compiles the parser's functions on
 * their first call (~11 ms), which then happens while the session is still being set up.
 */
export function readyParser(): Promise<void> {
  return loadParser().then(warmParser);
}

/**
 * loadProjectBase reads strata.json, finds the migrations folder and resolves the connection target,
 * without reading the folder: `status` reads it while it reads the tracking table.
 */
export async function loadProjectBase(options: CliOptions, io: CliIo): Promise<ProjectBase> {
  const config = await loadConfig(io.cwd, options.config ? { file: resolve(io.cwd, options.config) } : {});
  const dir = options.dir ? resolve(io.cwd, options.dir) : await migrationsDirFor(options, config);
  const dotenv = readDotenv(config.root);
  const target = resolveConnectionTarget(options.url, io.env, dotenv);
  const hasDatabase = target.url !== null || Boolean(io.env.PGHOST || io.env.PGDATABASE || io.env.PGPORT || io.env.PGUSER);
  const secrets = [passwordOf(target.url), io.env.PGPASSWORD].filter((s): s is string => Boolean(s));
  return {
    config,
    dir,
    target,
    hasDatabase,
    history: new HistoryTable(config.schema, config.table, { history: config.history }),
    secrets,
    show: pathShower(io.cwd),
  };
}

/** requireDatabase refuses a command that needs a database when nothing names one. */
export function requireDatabase(project: ProjectBase): void {
  if (project.hasDatabase) return;
  throw new StrataError(
    'connection-failed',
    'No database configured: pass --url, set DATABASE_URL or POSTGRES_URL (in the environment or the project\'s .env), or set the PG* variables (PGHOST, PGDATABASE, ...).',
  );
}

// `create` in a project without a migrations folder starts one (the configured folder, else migrations/).
async function migrationsDirFor(options: CliOptions, config: ProjectConfig): Promise<string> {
  try {
    return await resolveMigrationsDir(config);
  } catch (error) {
    if (options.command !== 'create' || !(error instanceof StrataError) || error.code !== 'migrations-dir-missing') throw error;
    return config.migrationsDir ?? join(config.root, 'migrations');
  }
}

async function discoverOrEmpty(options: CliOptions, dir: string): Promise<MigrationSet> {
  if (options.command === 'create' && !existsSync(dir)) return { dir, migrations: [], problems: [] };
  return discoverMigrations(dir);
}

/**
 * pathShower is displayPath for many paths: the folder part of each is made relative once, so printing
 * 10,000 migrations of one folder costs one path.relative instead of 10,000.
 */
export function pathShower(cwd: string): (path: string) => string {
  const folders = new Map<string, string>();
  return (path) => {
    const cut = path.lastIndexOf(sep);
    if (cut <= 0) return displayPath(cwd, path);
    const folder = path.slice(0, cut);
    let shown = folders.get(folder);
    if (shown === undefined) {
      shown = displayPath(cwd, folder);
      folders.set(folder, shown);
    }
    const name = path.slice(cut + 1);
    return shown === '' ? name : shown.endsWith('/') ? shown + name : `${shown}/${name}`;
  };
}

/** displayPath prints paths relative to the working directory, with forward slashes, as CI logs and editors expect. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  const shown = rel.startsWith('..') ? path : rel;
  return shown.split(sep).join('/');
}

// Read synchronously: one small file, and a thread-pool round trip costs a short command more than the read.
function readDotenv(root: string): Record<string, string> {
  try {
    const parsed = parseEnv(readFileSync(join(root, '.env'), 'utf8'));
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => entry[1] !== undefined));
  } catch {
    return {};
  }
}

let activeRun: AbortController | null = null;

/**
 * interrupt handles Ctrl-C: the first one during a run cancels it (between migrations, and the
 * running statement on the server); otherwise, or the second time, the process exits so that
 * cleanup (a scratch server, a temporary database) runs in the 'exit' handlers.
 */
export function interrupt(exitCode: number): void {
  if (activeRun && !activeRun.signal.aborted) {
    activeRun.abort();
    return;
  }
  process.exit(exitCode);
}

/** withRunContext connects, loads the parser, and hands a run context to `work`, closing the session afterwards. */
export async function withRunContext<T>(project: Project, io: CliIo, logger: Logger, work: (ctx: RunContext) => Promise<T>): Promise<T> {
  const [session, parser] = project.session?.take() ?? [connect(project.target, { env: io.env, pipeline: true }), readyParser()];
  let client: pg.Client;
  try {
    [client] = await Promise.all([session, parser]);
  } catch (error) {
    // The parser failed to load: the session opened anyway is not used.
    session.then((c) => c.end()).catch(() => undefined);
    throw error;
  }
  const abort = new AbortController();
  activeRun = abort;
  try {
    return await work({
      client,
      history: project.history,
      logger,
      lockTimeoutMs: project.config.lockTimeoutMs,
      statementTimeoutMs: project.config.statementTimeoutMs,
      signal: abort.signal,
      cancelBackend: (pid) => cancelBackend(project.target, pid, { env: io.env }),
    });
  } catch (error) {
    // A session ended between queries fails the next one with a bare socket error: say what happened.
    throw lostConnection(client, project.target, io.env) ?? error;
  } finally {
    activeRun = null;
    await client.end().catch(() => undefined);
  }
}

/** redactFor hides the project's secrets in a message. */
export function redactFor(project: Project | null, text: string, env: Record<string, string | undefined>): string {
  return redactSecrets(text, [...(project?.secrets ?? []), env.PGPASSWORD]);
}
