import { basename } from 'node:path';
import { foreignChecksumMatches } from './foreignChecksum';
import { compareVersions, withoutLeadingZeros, type AppliedMigration, type MigrationSet, type MigrationState, type MigrationStatus } from './types';

/** versionKey makes "001" and "1" the same key, matching how versions are ordered. */
export function versionKey(version: string): string {
  return withoutLeadingZeros(version);
}

/**
 * computeStatus joins the files on disk with the tracking table's rows into one list in version
 * order: applied, pending, drifted (applied but the UP changed since), missing (applied, file gone),
 * out-of-order (pending but older than the newest applied) and invalid (a file that is not a usable
 * migration).
 */
export function computeStatus(set: MigrationSet, history: readonly AppliedMigration[]): MigrationStatus[] {
  const appliedByKey = new Map(history.map((row) => [versionKey(row.version), row]));
  const newestApplied = history.reduce<string | null>(
    (newest, row) => (newest === null || compareVersions(row.version, newest) > 0 ? row.version : newest),
    null,
  );
  const statuses: MigrationStatus[] = [];
  const seen = new Set<string>();
  for (const migration of set.migrations) {
    const key = versionKey(migration.version);
    seen.add(key);
    const applied = appliedByKey.get(key) ?? null;
    let state: MigrationState = 'pending';
    let problem: string | null = null;
    if (applied) {
      const same = applied.checksumKind === undefined ? applied.checksum === migration.checksum : foreignChecksumMatches(applied.checksumKind, applied.checksum, migration.file);
      state = same ? 'applied' : 'drifted';
      if (state === 'drifted') problem = applied.checksumKind === undefined ? 'the UP section was edited after it was applied (checksum differs)' : 'the file was edited after it was applied (checksum differs)';
      if (applied.failed !== undefined) {
        state = 'failed';
        problem = applied.failed;
      }
    } else if (newestApplied !== null && compareVersions(migration.version, newestApplied) < 0) {
      state = 'out-of-order';
      problem = `pending, but older than the newest applied migration ${newestApplied}`;
    }
    // One object literal per status (no spreads): status runs over every file on every refresh.
    statuses.push({ version: migration.version, name: migration.name, description: migration.description, state, migration, applied, problem, file: migration.file });
  }
  // A file that exists but is not usable (e.g. it gained a second UP marker) is reported once, as invalid.
  for (const problem of set.problems) if (problem.version) seen.add(versionKey(problem.version));
  const extra: MigrationStatus[] = [];
  for (const row of history) {
    if (seen.has(versionKey(row.version))) continue;
    const failed = row.failed !== undefined;
    extra.push({
      version: row.version,
      name: row.name,
      description: row.name,
      state: failed ? 'failed' : 'missing',
      migration: null,
      applied: row,
      file: null,
      problem: failed ? `${row.failed} (its file is not in the migrations folder)` : 'applied, but its file is no longer in the migrations folder',
    });
  }
  for (const problem of set.problems) {
    extra.push({
      version: problem.version ?? '',
      name: basename(problem.file),
      description: basename(problem.file),
      state: 'invalid',
      migration: null,
      applied: problem.version ? (appliedByKey.get(versionKey(problem.version)) ?? null) : null,
      file: problem.file,
      problem: problem.message,
    });
  }
  // set.migrations is already in version order; only missing rows and problems need placing.
  return extra.length === 0 ? statuses : [...statuses, ...extra].sort(byVersionThenFile);
}

function byVersionThenFile(a: MigrationStatus, b: MigrationStatus): number {
  if (a.version === '' || b.version === '') {
    if (a.version !== b.version) return a.version === '' ? 1 : -1;
  } else {
    const order = compareVersions(a.version, b.version);
    if (order !== 0) return order;
  }
  return (a.file ?? '').localeCompare(b.file ?? '');
}

/** StatusCounts summarises a status list for headers and the status bar. */
export interface StatusCounts {
  applied: number;
  pending: number;
  problems: number;
}

/** countStatus tallies applied (incl. drifted), pending (incl. out-of-order) and problems. */
export function countStatus(statuses: readonly MigrationStatus[]): StatusCounts {
  const counts = { applied: 0, pending: 0, problems: 0 };
  for (const status of statuses) {
    if (status.state === 'applied' || status.state === 'drifted') counts.applied++;
    if (status.state === 'pending' || status.state === 'out-of-order') counts.pending++;
    if (status.state !== 'applied' && status.state !== 'pending') counts.problems++;
  }
  return counts;
}

/**
 * appliedScriptOf is what the checksum-drift lint compares a migration file with: the applied text and
 * checksum of its row. Another tool's checksum is not Strata's, so for such a row the file's own stands
 * in, unless the tool's own measure says the file drifted. Null when the migration is not applied.
 */
export function appliedScriptOf(status: MigrationStatus): { script: string | null; checksum: string } | null {
  const { applied, migration } = status;
  if (!applied || !migration) return null;
  const checksum = applied.checksumKind && status.state !== 'drifted' ? migration.checksum : applied.checksum;
  return { script: applied.script, checksum };
}
