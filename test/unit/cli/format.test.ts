import assert from 'node:assert/strict';
import { errorJson, formatError, formatStatus, formatTimestamp, recordsJson, statusJson, statusJsonChunks, table } from '../../../src/cli/format';
import { redactedChunks } from '../../../src/cli/run';
import type { MigrationErrorDetails } from '../../../src/core/errors';
import type { AppliedMigration, MigrationStatus } from '../../../src/core/types';

const ROOT = '/project/';
/** show prints paths relative to the project, as the CLI does. */
const show = (path: string): string => path.replace(ROOT, '');

const APPLIED_AT = new Date('2024-03-01T10:02:03.456Z');

function row(version: string, name: string): AppliedMigration {
  return { version, name, checksum: 'c', script: null, appliedAt: APPLIED_AT, appliedBy: 'deploy', executionMs: 42 };
}

/** status builds a status entry; migration objects are not needed by the formatters. */
function status(version: string, state: MigrationStatus['state'], extra: Partial<MigrationStatus> = {}): MigrationStatus {
  return {
    version,
    name: `m${version}`,
    description: `migration ${version}`,
    state,
    migration: null,
    applied: null,
    problem: null,
    file: `${ROOT}migrations/${version}_m${version}.sql`,
    ...extra,
  };
}

const FAILURE: MigrationErrorDetails = {
  version: '003',
  file: `${ROOT}migrations/003_fill.sql`,
  line: 4,
  column: 29,
  sqlstate: '42703',
  message: 'column "nope" does not exist',
  detail: null,
  hint: null,
  statement: "INSERT INTO t VALUES ('é', nope)",
  where: null,
};

describe('table', () => {
  it('pads every column but the last to its widest cell, two spaces apart', () => {
    const text = table([
      ['1', 'create users', 'applied'],
      ['20240101000000', 'x', 'pending'],
    ]);
    assert.equal(text, ['  1               create users  applied', '  20240101000000  x             pending'].join('\n'));
  });

  it('trims trailing blanks when the last cells are empty', () => {
    assert.equal(table([['a', ''], ['bbb', '']]), '  a\n  bbb');
  });

  it('aligns cells with multi-byte characters by characters', () => {
    assert.equal(table([['café', '1'], ['tea', '2'], ['Straße', '3']], ''), ['café    1', 'tea     2', 'Straße  3'].join('\n'));
  });

  it('aligns cells with emoji by characters too', () => {
    const lines = table([['🚀🚀🚀', 'x'], ['abcd', 'y']], '').split('\n');
    assert.deepEqual(lines.map((line) => [...line].indexOf(line.endsWith('x') ? 'x' : 'y')), [6, 6]);
  });

  it('uses the given indent', () => {
    assert.equal(table([['a', 'b']], '> '), '> a  b');
  });
});

describe('formatTimestamp', () => {
  it('prints UTC without milliseconds', () => {
    assert.equal(formatTimestamp(APPLIED_AT), '2024-03-01 10:02:03');
  });
});

describe('formatError', () => {
  it('prints file:line:column, the SQLSTATE and the message like a compiler, then the statement', () => {
    assert.equal(
      formatError(FAILURE, show),
      'migrations/003_fill.sql:4:29: error 42703: column "nope" does not exist\n' + "  statement: INSERT INTO t VALUES ('é', nope)",
    );
  });

  it('adds detail, hint and context lines when the server gave them, in that order', () => {
    const text = formatError({ ...FAILURE, detail: 'Key (id)=(1) already exists.', hint: 'Try again.', where: 'PL/pgSQL function inline_code_block line 3' }, show);
    assert.deepEqual(text.split('\n').slice(1), [
      '  detail: Key (id)=(1) already exists.',
      '  hint: Try again.',
      '  where: PL/pgSQL function inline_code_block line 3',
      "  statement: INSERT INTO t VALUES ('é', nope)",
    ]);
  });

  it('leaves out the SQLSTATE and the statement when there are none', () => {
    assert.equal(formatError({ ...FAILURE, sqlstate: null, statement: '', message: 'the UP section has no SQL statements' }, show), 'migrations/003_fill.sql:4:29: error: the UP section has no SQL statements');
  });

  it('shows at most three lines of a long statement', () => {
    const text = formatError({ ...FAILURE, statement: 'CREATE TABLE t (\r\n  a int,\r\n  b int,\r\n  c int\r\n)' }, show);
    assert.equal(text.split('\n').slice(1).join('\n'), '  statement: CREATE TABLE t (\n  a int,\n  b int,\n  …');
  });

  it('keeps a statement of exactly three lines as it is', () => {
    const text = formatError({ ...FAILURE, statement: 'SELECT\n  1\nFROM t' }, show);
    assert.ok(text.endsWith('  statement: SELECT\n  1\nFROM t'));
  });
});

describe('statusJson', () => {
  it('gives every migration the contract fields in order, with the shown file path', () => {
    const json = statusJson([status('1', 'applied', { applied: row('1', 'm1') })], show) as { migrations: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(json), ['migrations']);
    const [entry] = json.migrations;
    assert.deepEqual(Object.keys(entry!), ['version', 'name', 'description', 'file', 'state', 'appliedAt', 'executionMs', 'appliedBy', 'problem']);
    assert.deepEqual(entry, {
      version: '1',
      name: 'm1',
      description: 'migration 1',
      file: 'migrations/1_m1.sql',
      state: 'applied',
      appliedAt: '2024-03-01T10:02:03.456Z',
      executionMs: 42,
      appliedBy: 'deploy',
      problem: null,
    });
  });

  it('gives null, not a missing key, for what a pending or missing migration lacks', () => {
    const json = statusJson(
      [status('2', 'pending'), status('3', 'missing', { file: null, applied: row('3', 'gone'), problem: 'file gone' })],
      show,
    ) as { migrations: Record<string, unknown>[] };
    const [pending, missing] = json.migrations;
    assert.deepEqual([pending!.appliedAt, pending!.executionMs, pending!.appliedBy, pending!.problem], [null, null, null, null]);
    assert.equal(missing!.file, null);
    assert.equal(missing!.problem, 'file gone');
    assert.equal(missing!.appliedBy, 'deploy');
  });
});

describe('statusJsonChunks', () => {
  const whole = (statuses: MigrationStatus[]): string => JSON.stringify(statusJson(statuses, show), null, 2);
  const pieces = (statuses: MigrationStatus[]): string[] => [...statusJsonChunks(statuses, show)];

  it('prints exactly what JSON.stringify of statusJson prints, for every state and awkward text', () => {
    const statuses = [
      status('1', 'applied', { applied: row('1', 'm1') }),
      status('2', 'drifted', { applied: { ...row('2', 'm2'), appliedAt: new Date(0) }, problem: 'edited "after" it ran\n\ttab' }),
      status('3', 'missing', { file: null, applied: row('3', 'gone'), problem: 'file gone' }),
      status('4', 'pending', { description: 'naïve 🚀 \u2028 \\ back', name: 'q"uote' }),
      status('', 'invalid', { problem: 'bad name', file: `${ROOT}migrations/x\ty.sql` }),
    ];
    assert.equal(pieces(statuses).join(''), whole(statuses));
    assert.equal(pieces([]).join(''), whole([]));
  });

  it('comes in pieces of about 64 KB for a large folder', () => {
    const statuses = Array.from({ length: 2000 }, (_, i) => status(String(i + 1), 'applied', { applied: row(String(i + 1), `m${i + 1}`) }));
    const chunks = pieces(statuses);
    assert.ok(chunks.length > 3, `${chunks.length} pieces`);
    assert.ok(chunks.every((chunk) => chunk.length < 70 * 1024));
    assert.equal(chunks.join(''), whole(statuses));
  });
});

describe('redactedChunks', () => {
  it('redacts a secret that is split across pieces, as redacting the whole text would', () => {
    const secrets = ['Sup3r-S3cret', 'p@ss word'];
    const text = `a Sup3r-S3cret b p%40ss%20word c p@ss word Sup3r-S3cretSup3r-S3cret end`;
    const expected = text.replace(/Sup3r-S3cret/g, '***').replace('p%40ss%20word', '***').replace('p@ss word', '***');
    for (let size = 1; size <= text.length; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const out = [...redactedChunks(chunks, [...secrets, null, undefined, ''])].join('');
      assert.equal(out, expected, `pieces of ${size}`);
    }
  });

  it('passes text through when there is no secret', () => {
    assert.deepEqual([...redactedChunks(['a', 'b'], [null])], ['a', 'b']);
  });
});

describe('errorJson', () => {
  it('is null without an error and keeps the fields, with the shown file path, otherwise', () => {
    assert.equal(errorJson(null, show), null);
    assert.deepEqual(errorJson(FAILURE, show), { ...FAILURE, file: 'migrations/003_fill.sql' });
    assert.deepEqual(Object.keys(errorJson(FAILURE, show) as object), [
      'version', 'file', 'line', 'column', 'sqlstate', 'message', 'detail', 'hint', 'statement', 'where',
    ]);
  });
});

describe('recordsJson', () => {
  it('lists what ran with shown paths', () => {
    assert.deepEqual(recordsJson([{ version: '1', file: `${ROOT}migrations/1_a.sql`, executionMs: 5, transactional: false }], show), [
      { version: '1', file: 'migrations/1_a.sql', executionMs: 5, transactional: false },
    ]);
  });
});

describe('formatStatus', () => {
  it('prints counts, then applied with time and drift, pending with order, and problems', () => {
    const statuses = [
      status('1', 'applied', { applied: row('1', 'm1') }),
      status('2', 'drifted', { applied: row('2', 'm2'), problem: 'edited' }),
      status('3', 'out-of-order', { problem: 'older' }),
      status('4', 'pending'),
      status('', 'invalid', { name: 'notes.sql', file: `${ROOT}migrations/notes.sql`, problem: 'bad name' }),
    ];
    assert.equal(
      formatStatus(statuses, show, 'postgres://db/app'),
      [
        'Migrations: 5 total, 2 applied, 2 pending, 3 with problems',
        'Database:   postgres://db/app',
        '',
        'Applied:',
        '  1  migration 1  2024-03-01 10:02:03  42 ms',
        '  2  migration 2  2024-03-01 10:02:03  42 ms  DRIFTED',
        '',
        'Pending:',
        '  3  migration 3  OUT OF ORDER',
        '  4  migration 4',
        '',
        'Problems:',
        '  drifted       2  migrations/2_m2.sql   edited',
        '  out-of-order  3  migrations/3_m3.sql   older',
        '  invalid       -  migrations/notes.sql  bad name',
      ].join('\n'),
    );
  });
});
