import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Command is one process to run. */
export interface Command {
  cmd: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** okCodes are the exit codes that mean the tool did its job (default: 0 only). */
  okCodes?: number[];
}

/** ProcResult is one measured process: wall time from spawn to exit, and its peak resident memory. */
export interface ProcResult {
  ms: number;
  /** rssMb is the process's max RSS (MiB) from /usr/bin/time, or from the Node preload fallback; null when unknown. */
  rssMb: number | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

const TIME = '/usr/bin/time';
/** hasGnuTime is true when GNU time is there to report each child's max RSS (checked once). */
export const hasGnuTime = existsSync(TIME);
let counter = 0;

/**
 * rssPreload is a file Node loads with --require when GNU time is missing: it writes the process's own
 * maxRSS at exit. Set by the harness once the child bundles are built.
 */
let rssPreload: string | null = null;
export function setRssPreload(file: string): void {
  rssPreload = file;
}

/**
 * runProcess runs a command and measures it. Wall time is taken here, around spawn and exit (GNU time's
 * own clock has 10 ms resolution); GNU time, when present, wraps every command alike and reports max RSS.
 */
export function runProcess(command: Command): Promise<ProcResult> {
  const rssFile = join(tmpdir(), `strata-bench-rss-${process.pid}-${counter++}`);
  let cmd = command.cmd;
  let args = command.args;
  const env: Record<string, string | undefined> = { ...process.env, ...command.env };
  if (hasGnuTime) {
    args = ['-f', '%M', '-o', rssFile, cmd, ...args];
    cmd = TIME;
  } else if (rssPreload && cmd === process.execPath) {
    args = ['--require', rssPreload, ...args];
    env.BENCH_RSS_FILE = rssFile;
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: command.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      let rssMb: number | null = null;
      try {
        const text = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
        const kb = Number.parseInt(text, 10);
        if (Number.isFinite(kb)) rssMb = kb / 1024;
        rmSync(rssFile, { force: true });
      } catch {
        rssMb = null;
      }
      resolve({ ms, rssMb, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** runChecked runs a command and throws, with its output, when it exits with a code the tool does not mean as success. */
export async function runChecked(command: Command, what: string): Promise<ProcResult> {
  const result = await runProcess(command);
  const ok = command.okCodes ?? [0];
  if (result.code === null || !ok.includes(result.code)) {
    const tail = (result.stderr + '\n' + result.stdout).trim().split('\n').slice(-15).join('\n');
    throw new Error(`${what}: exit code ${String(result.code)}\n  $ ${command.cmd} ${command.args.join(' ')}\n${tail}`);
  }
  return result;
}
