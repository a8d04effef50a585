/**
 * Runs the real dbmate and node-pg-migrate pinned in bench/peers (install them with
 * `npm install --prefix bench/peers --no-audit --no-fund`), so tests can ask each tool what it sees.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cleanEnv } from '../../support/cli';

const MODULES = resolve(__dirname, '..', '..', '..', 'bench', 'peers', 'node_modules');
const DBMATE = join(MODULES, '@dbmate', `${process.platform}-${process.arch}`, 'bin', 'dbmate');
const NODE_PG_MIGRATE = join(MODULES, 'node-pg-migrate', 'bin', 'node-pg-migrate.js');

/** PeerResult is a peer tool's exit code and output. */
export interface PeerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** peersInstalled is true when both peer tools are installed. */
export function peersInstalled(): boolean {
  return existsSync(DBMATE) && existsSync(NODE_PG_MIGRATE);
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<PeerResult> {
  return new Promise((resolvePromise) => {
    execFile(cmd, args, { cwd, env: cleanEnv(env), timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** dbmate runs `dbmate <command>` on a migrations folder, without its schema dump. */
export function dbmate(url: string, dir: string, command: string): Promise<PeerResult> {
  const withSsl = `${url}${url.includes('?') ? '&' : '?'}sslmode=disable`;
  return run(DBMATE, ['--url', withSsl, '--migrations-dir', dir, '--no-dump-schema', command], dir);
}

/** nodePgMigrate runs `node-pg-migrate <args>` on a migrations folder, one transaction per migration. */
export function nodePgMigrate(url: string, dir: string, args: string[]): Promise<PeerResult> {
  return run(process.execPath, [NODE_PG_MIGRATE, ...args, '-m', dir, '--no-verbose', '--no-single-transaction'], dir, { DATABASE_URL: url });
}
