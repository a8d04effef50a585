import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from './proc';

export const ROOT = resolve(__dirname, '..', '..');
export const PEERS = join(ROOT, 'bench', 'peers');
const NODE = process.execPath;
const platform = `${process.platform}-${process.arch}`;

/** Peers is where each peer tool's executable is, and how it is called. */
export interface Peers {
  /** dbmate is its Go binary when the platform package is installed, else the npm wrapper (about 95 ms slower per call). */
  dbmate: { cmd: string; pre: string[]; native: boolean };
  squawk: { cmd: string; pre: string[]; native: boolean };
  npm: { cmd: string; pre: string[] };
}

export function findPeers(): Peers {
  const mods = join(PEERS, 'node_modules');
  const dbmateBin = join(mods, '@dbmate', platform, 'bin', process.platform === 'win32' ? 'dbmate.exe' : 'dbmate');
  const squawkBin = join(mods, '@squawk-cli', platform, 'bin', process.platform === 'win32' ? 'squawk.exe' : 'squawk');
  const npmBin = join(mods, 'node-pg-migrate', 'bin', 'node-pg-migrate.js');
  if (!existsSync(npmBin)) throw new Error(`node-pg-migrate is not installed in ${mods}`);
  return {
    dbmate: existsSync(dbmateBin)
      ? { cmd: dbmateBin, pre: [], native: true }
      : { cmd: NODE, pre: [join(mods, 'dbmate', 'dist', 'cli.js')], native: false },
    squawk: existsSync(squawkBin)
      ? { cmd: squawkBin, pre: [], native: true }
      : { cmd: NODE, pre: [join(mods, 'squawk-cli', 'js', 'bin', 'squawk')], native: false },
    npm: { cmd: NODE, pre: [npmBin] },
  };
}

/**
 * STRATA_DIST is the copy of dist/ the bench measures: it builds Strata at its start and copies the result here,
 * because other work in the same checkout may rebuild dist/ while a run takes its half hour.
 */
export const STRATA_DIST = join(ROOT, 'bench', '.out', 'strata');
export const STRATA_CLI = join(STRATA_DIST, 'cli.js');

/** MigrationTool is how the bench drives one migration tool, and where it keeps its history. */
export interface MigrationTool {
  id: 'strata' | 'dbmate' | 'npm';
  label: string;
  /** historyTable is the tool's tracking table, to check after each run that it did all the work. */
  historyTable: string;
  up(url: string, dir: string): Command;
  /** down rolls back `steps` migrations: one command, or one per migration for tools that cannot do more. */
  down(url: string, dir: string, steps: number): Command[];
  status(url: string, dir: string): Command;
}

export function strataTool(): MigrationTool {
  const run = (args: string[]): Command => ({ cmd: NODE, args: [STRATA_CLI, ...args], env: { DATABASE_URL: undefined } });
  return {
    id: 'strata',
    label: 'Strata',
    historyTable: 'public.schema_migrations',
    up: (url, dir) => run(['up', '--url', url, '--dir', dir, '--json']),
    down: (url, dir, steps) => [run(['down', '--steps', String(steps), '--url', url, '--dir', dir, '--json'])],
    status: (url, dir) => run(['status', '--url', url, '--dir', dir, '--json']),
  };
}

/** dbmateTool runs dbmate's `migrate` (the database exists), without its pg_dump schema file. */
export function dbmateTool(peers: Peers): MigrationTool {
  const withSsl = (url: string): string => `${url}${url.includes('?') ? '&' : '?'}sslmode=disable`;
  const run = (url: string, dir: string, command: string): Command => ({
    cmd: peers.dbmate.cmd,
    args: [...peers.dbmate.pre, '--url', withSsl(url), '--migrations-dir', dir, '--no-dump-schema', command],
    env: { DATABASE_URL: undefined },
  });
  return {
    id: 'dbmate',
    label: 'dbmate',
    historyTable: 'public.schema_migrations',
    up: (url, dir) => run(url, dir, 'migrate'),
    down: (url, dir, steps) => Array.from({ length: steps }, () => run(url, dir, 'rollback')),
    status: (url, dir) => run(url, dir, 'status'),
  };
}

/**
 * npmTool runs node-pg-migrate with one transaction per migration (`--no-single-transaction`, the guarantee
 * the other tools give; its default wraps the whole run in one transaction) and without its per-statement
 * debug log (`--no-verbose`). It has no `status`: `up --dry-run` is the nearest (reads folder and table,
 * lists what would run).
 */
export function npmTool(peers: Peers, singleTransaction = false): MigrationTool {
  const run = (url: string, dir: string, args: string[]): Command => ({
    cmd: peers.npm.cmd,
    args: [...peers.npm.pre, ...args, '-m', dir, '--no-verbose', ...(singleTransaction ? [] : ['--no-single-transaction'])],
    env: { DATABASE_URL: url },
    cwd: dir,
  });
  return {
    id: 'npm',
    label: singleTransaction ? 'node-pg-migrate (single transaction)' : 'node-pg-migrate',
    historyTable: 'public.pgmigrations',
    up: (url, dir) => run(url, dir, ['up']),
    down: (url, dir, steps) => [run(url, dir, ['down', String(steps)])],
    status: (url, dir) => run(url, dir, ['up', '--dry-run']),
  };
}
