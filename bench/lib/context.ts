import type { ChildBundles } from './build';
import type { ToolResult } from './interleave';
import type { RoundTripCounter } from './roundtrips';
import type { BenchServer } from './server';
import type { MigrationTool, Peers } from './tools';

/** Sizes are the workload sizes of a run (--quick shrinks some). */
export interface Sizes {
  noop: number;
  apply: number;
  apply10k: number | null;
  bigTables: number | null;
  status: number;
  down: number;
  activationRuns: number;
  lint2kIterations: number;
  lint1mIterations: number;
  statusIterations: number;
  /** inProcessBudgetMs bounds each in-process loop (status, lint): fewer calls (at least 3) when it is spent. */
  inProcessBudgetMs: number;
  /** floors adds the bare-pg floors to noop and apply. */
  floors: boolean;
}

export interface BenchOptions {
  quick: boolean;
  smoke: boolean;
  warmup: number;
  runs: number;
  /** apply10kRuns is the number of counted runs of apply10k (no warm-up). */
  apply10kRuns: number;
  /** bigRuns is the number of counted rounds of big5000 (its runs are noisy: more rounds than the others). */
  bigRuns: number;
  only: Set<string> | null;
  fsyncOff: boolean;
  write: boolean;
  build: boolean;
  sizes: Sizes;
}

export interface BenchContext {
  options: BenchOptions;
  peers: Peers;
  tools: { strata: MigrationTool; dbmate: MigrationTool; npm: MigrationTool; npmSingle: MigrationTool };
  bundles: ChildBundles;
  /** work is the run's scratch directory (migration folders, lint files). */
  work: string;
  log: (line: string) => void;
}

/** WorkloadResult is one workload measured on one server (or none, for lint and activation). */
export interface WorkloadResult {
  /** kind is the workload without its size: noop, apply, apply10k, big, status-none, status-all, down, lint2k, lint1m, activation. */
  kind: string;
  id: string;
  title: string;
  /** server is 'durable' (fsync on), 'fast' (fsync off) or null when no database is involved. */
  server: 'durable' | 'fast' | null;
  tools: ToolResult[];
  /** ratios are Strata / peer, each the median of the per-pair ratios. */
  ratios: Record<string, number>;
  /** values are single numbers worth reporting (in-process times, sizes, ...). */
  values: Record<string, number | string | null>;
  notes: string[];
  /** error is set when the workload could not be measured (a tool failed); nothing else is then meaningful. */
  error?: string;
}

/** ServerRef is a server a workload runs on, with the round-trip counter in front of it. */
export type ServerRef = { server: BenchServer; kind: 'durable' | 'fast'; counter: RoundTripCounter };
