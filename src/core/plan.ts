import type pg from 'pg';
import type { MigrationErrorDetails } from './errors';
import type { HistoryTable } from './history';
import { prepareSection, type Direction } from './prepare';
import { assertReversible, selectPending, selectRollback, type SelectOptions } from './select';
import { computeStatus } from './status';
import type { MigrationSet } from './types';

/** PlanStep is one migration a run would execute, with the SQL it would send. */
export interface PlanStep {
  version: string;
  file: string;
  direction: Direction;
  transactional: boolean;
  /** sql is the section as written in the file. */
  sql: string;
  /** notes explain anything the run would do differently from the text (stripped BEGIN/COMMIT, no transaction). */
  notes: string[];
}

/** PlanResult is the ordered steps, and the first section that would not even parse. */
export interface PlanResult {
  steps: PlanStep[];
  error: MigrationErrorDetails | null;
}

/**
 * planRun says what `up` or `down` would run, in order, without writing anything, taking any lock
 * or creating the tracking table: it only reads the history when the table exists.
 */
export async function planRun(
  client: pg.ClientBase,
  history: HistoryTable,
  set: MigrationSet,
  direction: Direction,
  options: SelectOptions = {},
): Promise<PlanResult> {
  const applied = await history.read(client);
  const migrations =
    direction === 'up'
      ? selectPending(computeStatus(set, applied), options)
      : rollbackMigrations(applied, set, options);
  const steps: PlanStep[] = [];
  for (const migration of migrations) {
    const result = prepareSection(migration, direction);
    if (!result.ok) return { steps, error: result.error };
    const { prepared } = result;
    const notes: string[] = [];
    if (prepared.strippedControl.length > 0) {
      notes.push(`the file's own BEGIN/COMMIT (line ${prepared.strippedControl.join(', ')}) are left out: Strata wraps the migration in its transaction`);
    }
    if (!prepared.transactional) {
      const why = migration.noTransaction ? 'strata:no-transaction' : prepared.nonTransactional.map((n) => `${n.reason} at line ${n.line}`).join(', ');
      notes.push(`runs outside a transaction (${why}), statement by statement: not atomic`);
    }
    steps.push({ version: migration.version, file: prepared.section.file, direction, transactional: prepared.transactional, sql: prepared.section.text, notes });
  }
  return { steps, error: null };
}

function rollbackMigrations(applied: Parameters<typeof selectRollback>[0], set: MigrationSet, options: SelectOptions) {
  const targets = selectRollback(applied, set, options);
  assertReversible(targets);
  return targets.map((target) => target.migration!);
}
