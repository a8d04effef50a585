import type pg from 'pg';
import type { HistoryTable } from './history';
import type { Logger } from './logger';
import type { Direction } from './prepare';

/** RunEvent tells a presenter (progress bar, terminal) what the runner is doing. */
export type RunEvent =
  | { type: 'start'; direction: Direction; version: string; file: string; index: number; total: number }
  | { type: 'done'; direction: Direction; version: string; file: string; executionMs: number; index: number; total: number };

/** RunContext is what every run needs: a session, the tracking table, a logger, and how to stop. */
export interface RunContext {
  client: pg.Client;
  history: HistoryTable;
  logger: Logger;
  /** lockTimeoutMs is how long to wait for another runner's advisory lock. */
  lockTimeoutMs: number;
  /** statementTimeoutMs limits each statement of a run when set (and every rehearsal). */
  statementTimeoutMs: number | null;
  /** signal cancels between migrations, and a running statement through `cancelBackend`. */
  signal?: AbortSignal | undefined;
  /** cancelBackend cancels the statement the given server process is running, from another session. */
  cancelBackend?: ((pid: number) => Promise<void>) | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
}

/** RunRecord is one migration that ran. */
export interface RunRecord {
  version: string;
  file: string;
  executionMs: number;
  transactional: boolean;
}
