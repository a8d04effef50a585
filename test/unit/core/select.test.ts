import assert from 'node:assert/strict';
import { checksumOf } from '../../../src/core/checksum';
import { StrataError } from '../../../src/core/errors';
import { assertReversible, assertUsableFolder, selectPending, selectRollback, type RollbackTarget } from '../../../src/core/select';
import { computeStatus } from '../../../src/core/status';
import type { AppliedMigration, FileProblem, MigrationFile, MigrationSet, Section } from '../../../src/core/types';

const DIR = '/project/migrations';

function section(file: string, text: string): Section {
  return { file, text, offset: 0, line: 2, column: 1, markerLine: 1 };
}

/** migration builds a migration with a DOWN section unless `reversible` is false. */
function migration(version: string, name: string, reversible = true): MigrationFile {
  const file = `${DIR}/${version}_${name}.sql`;
  const up = `CREATE TABLE t${version} ();\n`;
  return {
    version,
    name,
    description: name,
    scheme: 'sequence',
    file,
    downFile: null,
    up: section(file, up),
    down: reversible ? section(file, `DROP TABLE t${version};\n`) : null,
    noTransaction: false,
    checksum: checksumOf(up),
  };
}

function row(m: MigrationFile | { version: string; name: string }): AppliedMigration {
  return {
    version: m.version,
    name: m.name,
    checksum: 'file' in m ? m.checksum : 'gone',
    script: null,
    appliedAt: new Date('2024-01-01T00:00:00Z'),
    appliedBy: 'ci',
    executionMs: 1,
  };
}

function folder(migrations: MigrationFile[], problems: FileProblem[] = []): MigrationSet {
  return { dir: DIR, migrations, problems };
}

/** strataError asserts that `run` throws a StrataError with `code` and returns it for further checks. */
function strataError(run: () => unknown, code: string): StrataError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof StrataError, `expected a StrataError, got ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  return assert.fail(`expected a StrataError ${code}`);
}

const versions = (items: readonly { version: string }[]): string[] => items.map((m) => m.version);
const rolledBack = (targets: readonly RollbackTarget[]): string[] => targets.map((t) => t.applied.version);

describe('selectPending', () => {
  const all = ['1', '2', '3', '4', '5'].map((v) => migration(v, `m${v}`));
  const [m1, m2, m3] = all as [MigrationFile, MigrationFile, MigrationFile];

  it('returns every pending migration in version order', () => {
    const statuses = computeStatus(folder(all), [row(m1)]);
    assert.deepEqual(versions(selectPending(statuses, {})), ['2', '3', '4', '5']);
  });

  it('returns nothing when everything is applied', () => {
    assert.deepEqual(selectPending(computeStatus(folder([m1]), [row(m1)]), {}), []);
  });

  it('limits the run to --steps migrations', () => {
    const statuses = computeStatus(folder(all), [row(m1)]);
    assert.deepEqual(versions(selectPending(statuses, { steps: 2 })), ['2', '3']);
    assert.deepEqual(versions(selectPending(statuses, { steps: 99 })), ['2', '3', '4', '5']);
  });

  it('applies up to and including --to', () => {
    const statuses = computeStatus(folder(all), [row(m1)]);
    assert.deepEqual(versions(selectPending(statuses, { to: '3' })), ['2', '3']);
    assert.deepEqual(versions(selectPending(statuses, { to: '003' })), ['2', '3'], '--to compares versions numerically');
  });

  it('accepts --to naming an applied migration, and then applies nothing', () => {
    const statuses = computeStatus(folder(all), [row(m1), row(m2)]);
    assert.deepEqual(selectPending(statuses, { to: '1' }), []);
  });

  it('refuses a --to that names no migration in the folder', () => {
    const statuses = computeStatus(folder(all), []);
    const error = strataError(() => selectPending(statuses, { to: '42' }), 'target-not-found');
    assert.match(error.message, /No migration with version 42/);
  });

  it('refuses a --to that names only a missing (applied, file gone) migration', () => {
    const statuses = computeStatus(folder([m1]), [row(m1), row({ version: '7', name: 'gone' })]);
    strataError(() => selectPending(statuses, { to: '7' }), 'target-not-found');
  });

  it('refuses out-of-order migrations, naming their versions', () => {
    const statuses = computeStatus(folder(all), [row(m1), row(m3)]);
    const error = strataError(() => selectPending(statuses, {}), 'out-of-order');
    assert.match(error.message, /Refusing to apply 1 migration\(s\) older than the newest applied one \(2\)/);
    assert.match(error.message, /--out-of-order/);
    assert.deepEqual(error.details.versions, ['2']);
  });

  it('includes out-of-order migrations, in version order, when allowed', () => {
    const statuses = computeStatus(folder(all), [row(m1), row(m3)]);
    assert.deepEqual(versions(selectPending(statuses, { outOfOrder: true })), ['2', '4', '5']);
    assert.deepEqual(versions(selectPending(statuses, { outOfOrder: true, steps: 1 })), ['2']);
  });

  it('does not select invalid files or missing rows', () => {
    const problem: FileProblem = { file: `${DIR}/9_bad.sql`, kind: 'bad-sections', message: 'bad', version: '9', line: 1 };
    const statuses = computeStatus(folder([m1], [problem]), [row({ version: '0', name: 'gone' })]);
    assert.deepEqual(versions(selectPending(statuses, {})), ['1']);
  });
});

describe('selectRollback', () => {
  const all = ['1', '2', '3', '4'].map((v) => migration(v, `m${v}`));
  const history = all.map(row);

  it('rolls back the newest applied migration by default, by version not by list order', () => {
    const shuffled = [history[2]!, history[3]!, history[0]!, history[1]!];
    const targets = selectRollback(shuffled, folder(all), {});
    assert.deepEqual(rolledBack(targets), ['4']);
    assert.equal(targets[0]?.migration, all[3]);
  });

  it('rolls back --steps migrations, newest first', () => {
    assert.deepEqual(rolledBack(selectRollback(history, folder(all), { steps: 3 })), ['4', '3', '2']);
    assert.deepEqual(rolledBack(selectRollback(history, folder(all), { steps: 10 })), ['4', '3', '2', '1']);
  });

  it('rolls back everything newer than --to and keeps --to applied', () => {
    assert.deepEqual(rolledBack(selectRollback(history, folder(all), { to: '2' })), ['4', '3']);
    assert.deepEqual(rolledBack(selectRollback(history, folder(all), { to: '4' })), []);
  });

  it('rolls back every migration with --to 0 (however many zeros)', () => {
    assert.deepEqual(rolledBack(selectRollback(history, folder(all), { to: '0' })), ['4', '3', '2', '1']);
    assert.deepEqual(rolledBack(selectRollback(history, folder(all), { to: '000' })), ['4', '3', '2', '1']);
  });

  it('matches --to numerically against applied versions', () => {
    assert.deepEqual(rolledBack(selectRollback(history, folder(all), { to: '03' })), ['4']);
  });

  it('refuses a --to that is not applied, even if the file exists', () => {
    const error = strataError(() => selectRollback(history.slice(0, 2), folder(all), { to: '3' }), 'target-not-found');
    assert.match(error.message, /Version 3 is not applied/);
  });

  it('returns nothing on an empty history', () => {
    assert.deepEqual(selectRollback([], folder(all), {}), []);
  });

  it('joins rows to files by version ("001" = "1") and gives null for a missing file', () => {
    const padded = migration('001', 'first');
    const targets = selectRollback([{ ...row(padded), version: '1' }, row({ version: '2', name: 'gone' })], folder([padded]), { to: '0' });
    assert.deepEqual(
      targets.map((t) => [t.applied.version, t.migration?.file ?? null]),
      [
        ['2', null],
        ['1', padded.file],
      ],
    );
  });
});

describe('assertReversible', () => {
  const reversible = migration('1', 'a');
  const forwardOnly = migration('2', 'seed', false);

  it('accepts targets that all have a file with a DOWN section', () => {
    assert.doesNotThrow(() => assertReversible([{ applied: row(reversible), migration: reversible }]));
    assert.doesNotThrow(() => assertReversible([]));
  });

  it('names the file of a migration without DOWN', () => {
    const error = strataError(() => assertReversible([{ applied: row(forwardOnly), migration: forwardOnly }]), 'no-down');
    assert.equal(
      error.message,
      `Can't roll back: nothing was changed, because this migration cannot be rolled back:\n  2 (${DIR}/2_seed.sql): it has no DOWN section`,
    );
  });

  it('lists every blocked migration, the missing file by its recorded name', () => {
    const targets: RollbackTarget[] = [
      { applied: row({ version: '3', name: 'lost' }), migration: null },
      { applied: row(forwardOnly), migration: forwardOnly },
      { applied: row(reversible), migration: reversible },
    ];
    const error = strataError(() => assertReversible(targets), 'no-down');
    assert.match(error.message, /because these migrations cannot be rolled back:/);
    assert.match(error.message, /\n {2}3 \(lost\): its file is missing\n {2}2 \(\/project\/migrations\/2_seed\.sql\): it has no DOWN section$/);
    assert.equal((error.details.blocked as string[]).length, 2);
  });
});

describe('assertUsableFolder', () => {
  it('accepts a folder without problems', () => {
    assert.doesNotThrow(() => assertUsableFolder(folder([migration('1', 'a')])));
  });

  it('refuses a folder with problems, listing each file with its line when known', () => {
    const problems: FileProblem[] = [
      { file: `${DIR}/3_x.sql`, kind: 'bad-sections', message: 'two UP markers, at lines 1 and 4', version: '3', line: 4 },
      { file: `${DIR}/notes.sql`, kind: 'bad-name', message: 'not a migration file name', version: null, line: null },
    ];
    const error = strataError(() => assertUsableFolder(folder([], problems)), 'migration-file-invalid');
    assert.equal(
      error.message,
      'Refusing to run: the migrations folder has files Strata cannot use:\n' +
        `  ${DIR}/3_x.sql:4: two UP markers, at lines 1 and 4\n` +
        `  ${DIR}/notes.sql: not a migration file name`,
    );
    assert.deepEqual(error.details.problems, problems);
  });
});
