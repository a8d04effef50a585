import assert from 'node:assert/strict';
import { checksumOf } from '../../../src/core/checksum';
import { computeStatus, countStatus, versionKey } from '../../../src/core/status';
import type { AppliedMigration, FileProblem, MigrationFile, MigrationSet, MigrationStatus } from '../../../src/core/types';

const DIR = '/project/migrations';

/** migration builds a single-file migration whose UP is `up`. */
function migration(version: string, name: string, up = `SELECT ${version};\n`): MigrationFile {
  const file = `${DIR}/${version}_${name}.sql`;
  return {
    version,
    name,
    description: name.replace(/_/g, ' '),
    scheme: 'sequence',
    file,
    downFile: null,
    up: { file, text: up, offset: 0, line: 1, column: 1, markerLine: null },
    down: null,
    noTransaction: false,
    checksum: checksumOf(up),
  };
}

/** applied builds the tracking row of a migration as it was when it ran. */
function applied(from: MigrationFile | { version: string; name: string; up: string }): AppliedMigration {
  const text = 'file' in from ? from.up.text : from.up;
  return {
    version: from.version,
    name: from.name,
    checksum: checksumOf(text),
    script: text,
    appliedAt: new Date('2024-03-01T10:00:00Z'),
    appliedBy: 'alice',
    executionMs: 12,
  };
}

function set(migrations: MigrationFile[], problems: FileProblem[] = []): MigrationSet {
  return { dir: DIR, migrations, problems };
}

/** states renders a status list as "version state" lines, in order. */
function states(statuses: readonly MigrationStatus[]): string[] {
  return statuses.map((s) => `${s.version} ${s.state}`);
}

describe('versionKey', () => {
  it('drops leading zeros but keeps a lone zero', () => {
    assert.equal(versionKey('001'), '1');
    assert.equal(versionKey('20240115120000'), '20240115120000');
    assert.equal(versionKey('000'), '0');
  });
});

describe('computeStatus', () => {
  it('reports an applied migration with its row, and no problem', () => {
    const m = migration('001', 'create_users');
    const row = applied(m);
    const [status] = computeStatus(set([m]), [row]);
    assert.deepEqual(status, {
      version: '001',
      name: 'create_users',
      description: 'create users',
      state: 'applied',
      migration: m,
      applied: row,
      problem: null,
      file: m.file,
    });
  });

  it('reports drift when the UP changed after it was applied', () => {
    const m = migration('001', 'create_users', 'CREATE TABLE users (id bigint);\n');
    const row = applied({ version: '001', name: 'create_users', up: 'CREATE TABLE users (id int);\n' });
    const [status] = computeStatus(set([m]), [row]);
    assert.equal(status?.state, 'drifted');
    assert.equal(status?.applied, row);
    assert.match(status?.problem ?? '', /edited after it was applied/);
  });

  it('does not report drift for line-ending changes alone (the checksum normalises them)', () => {
    const m = migration('001', 'a', 'SELECT 1;\r\nSELECT 2;\r\n');
    const row = applied({ version: '001', name: 'a', up: 'SELECT 1;\nSELECT 2;\n' });
    assert.deepEqual(states(computeStatus(set([m]), [row])), ['001 applied']);
  });

  it('reports files newer than the newest applied one as pending', () => {
    const [a, b, c] = [migration('1', 'a'), migration('2', 'b'), migration('10', 'c')];
    const statuses = computeStatus(set([a, b, c]), [applied(a)]);
    assert.deepEqual(states(statuses), ['1 applied', '2 pending', '10 pending']);
    assert.equal(statuses[1]?.problem, null);
    assert.equal(statuses[1]?.applied, null);
  });

  it('reports everything as pending on an empty history', () => {
    assert.deepEqual(states(computeStatus(set([migration('1', 'a'), migration('2', 'b')]), [])), ['1 pending', '2 pending']);
  });

  it('reports a pending file older than the newest applied one as out-of-order, naming that version', () => {
    const [a, b, c] = [migration('1', 'a'), migration('2', 'merged_late'), migration('3', 'c')];
    const statuses = computeStatus(set([a, b, c]), [applied(a), applied(c)]);
    assert.deepEqual(states(statuses), ['1 applied', '2 out-of-order', '3 applied']);
    assert.match(statuses[1]?.problem ?? '', /older than the newest applied migration 3\b/);
  });

  it('compares versions numerically, so 9 is older than 10', () => {
    const [nine, ten] = [migration('9', 'a'), migration('10', 'b')];
    assert.deepEqual(states(computeStatus(set([nine, ten]), [applied(ten)])), ['9 out-of-order', '10 applied']);
  });

  it('reports an applied row without a file as missing, described by its recorded name', () => {
    const gone = applied({ version: '2', name: 'dropped_file', up: 'SELECT 2;' });
    const m = migration('1', 'a');
    const statuses = computeStatus(set([m]), [applied(m), gone]);
    assert.deepEqual(states(statuses), ['1 applied', '2 missing']);
    const missing = statuses[1]!;
    assert.equal(missing.name, 'dropped_file');
    assert.equal(missing.description, 'dropped_file');
    assert.equal(missing.migration, null);
    assert.equal(missing.file, null);
    assert.equal(missing.applied, gone);
    assert.match(missing.problem ?? '', /no longer in the migrations folder/);
  });

  it('reports unusable files as invalid with their message, after every versioned entry', () => {
    const problems: FileProblem[] = [
      { file: `${DIR}/notes.sql`, kind: 'bad-name', message: 'notes.sql is not a migration file name', version: null, line: null },
      { file: `${DIR}/005_broken.sql`, kind: 'bad-sections', message: 'two UP markers', version: '005', line: 3 },
    ];
    const statuses = computeStatus(set([migration('1', 'a'), migration('7', 'b')], problems), []);
    assert.deepEqual(states(statuses), ['1 pending', '005 invalid', '7 pending', ' invalid']);
    const noName = statuses[3]!;
    assert.equal(noName.name, 'notes.sql');
    assert.equal(noName.file, `${DIR}/notes.sql`);
    assert.equal(noName.problem, 'notes.sql is not a migration file name');
    assert.equal(noName.migration, null);
    assert.equal(noName.applied, null);
  });

  it('links an invalid file to its tracking row when that version was applied', () => {
    const row = applied({ version: '5', name: 'broken', up: 'SELECT 5;' });
    const problem: FileProblem = { file: `${DIR}/005_broken.sql`, kind: 'bad-sections', message: 'two UP markers', version: '005', line: 3 };
    const invalid = computeStatus(set([], [problem]), [row]).find((s) => s.state === 'invalid');
    assert.equal(invalid?.applied, row);
  });

  it('does not also report an applied version as missing when its file is there but invalid', () => {
    const row = applied({ version: '5', name: 'broken', up: 'SELECT 5;' });
    const problem: FileProblem = { file: `${DIR}/005_broken.sql`, kind: 'bad-sections', message: 'two UP markers', version: '005', line: 3 };
    assert.deepEqual(states(computeStatus(set([], [problem]), [row])), ['005 invalid']);
  });

  it('treats "001" on disk and "1" in the history as the same version (and the reverse)', () => {
    const padded = migration('001', 'a');
    const rowUnpadded = { ...applied(padded), version: '1' };
    assert.deepEqual(states(computeStatus(set([padded]), [rowUnpadded])), ['001 applied']);

    const unpadded = migration('2', 'b');
    const rowPadded = { ...applied(unpadded), version: '0002' };
    assert.deepEqual(states(computeStatus(set([unpadded]), [rowPadded])), ['2 applied']);
  });

  it('uses the padded history version "010" as newer than "9" when judging order', () => {
    const nine = migration('9', 'a');
    const row = applied({ version: '010', name: 'b', up: 'SELECT 10;' });
    const statuses = computeStatus(set([nine]), [row]);
    assert.deepEqual(states(statuses), ['9 out-of-order', '010 missing']);
  });

  it('merges files, missing rows and invalid files into one list in version order', () => {
    const [a, c, e] = [migration('1', 'a'), migration('3', 'c'), migration('20', 'e')];
    const history = [applied(c), applied(a), applied({ version: '4', name: 'd', up: 'SELECT 4;' })];
    const problems: FileProblem[] = [
      { file: `${DIR}/2_b.down.sql`, kind: 'orphan-down', message: 'no UP file', version: '2', line: null },
      { file: `${DIR}/README.sql`, kind: 'bad-name', message: 'bad name', version: null, line: null },
    ];
    const statuses = computeStatus(set([e, a, c], problems), history);
    assert.deepEqual(states(statuses), ['1 applied', '2 invalid', '3 applied', '4 missing', '20 pending', ' invalid']);
  });

  it('orders entries with the same version by file path', () => {
    const problems: FileProblem[] = [
      { file: `${DIR}/003_z.sql`, kind: 'duplicate-version', message: 'duplicate', version: '003', line: null },
      { file: `${DIR}/003_a.sql`, kind: 'duplicate-version', message: 'duplicate', version: '003', line: null },
    ];
    const statuses = computeStatus(set([], problems), []);
    assert.deepEqual(statuses.map((s) => s.name), ['003_a.sql', '003_z.sql']);
  });
});

describe('countStatus', () => {
  it('counts drifted as applied and out-of-order as pending, and both as problems too', () => {
    const [a, b, c, d] = [migration('1', 'a'), migration('2', 'b'), migration('3', 'c'), migration('4', 'd')];
    const history = [applied(a), { ...applied(b), checksum: 'old' }, applied(d), applied({ version: '9', name: 'gone', up: 'x' })];
    const problems: FileProblem[] = [{ file: `${DIR}/x.sql`, kind: 'bad-name', message: 'bad', version: null, line: null }];
    const statuses = computeStatus(set([a, b, c, d, migration('10', 'e')], problems), history);
    assert.deepEqual(states(statuses), ['1 applied', '2 drifted', '3 out-of-order', '4 applied', '9 missing', '10 pending', ' invalid']);
    assert.deepEqual(countStatus(statuses), { applied: 3, pending: 2, problems: 4 });
  });

  it('counts nothing for an empty list', () => {
    assert.deepEqual(countStatus([]), { applied: 0, pending: 0, problems: 0 });
  });
});
