import assert from 'node:assert/strict';
import { checksumOf } from '../../../src/core/checksum';
import { describeFailure, ScriptFailure } from '../../../src/core/execute';
import { prepareSection, type PreparedScript } from '../../../src/core/prepare';
import { splitSections } from '../../../src/core/sections';
import { loadParser } from '../../../src/core/sql/parser';

// describeFailure is pure mapping: a server error (shaped like pg's DatabaseError: code, position,
// internalPosition, internalQuery, where, detail, hint, all strings) plus what was sent becomes a
// file, line and column. No database is involved.

const FILE = '/project/migrations/003_fill.sql';

before(async () => {
  await loadParser();
});

/** prepare reads a file's text and prepares its UP section, which must be accepted. */
function prepare(text: string): PreparedScript {
  const sections = splitSections(text, FILE);
  if (!sections.ok) assert.fail(sections.message);
  const migration = {
    version: '003',
    name: 'fill',
    description: 'fill',
    scheme: 'sequence' as const,
    file: FILE,
    downFile: null,
    up: sections.up,
    down: sections.down,
    noTransaction: sections.noTransaction,
    checksum: checksumOf(sections.up.text),
  };
  const result = prepareSection(migration, 'up');
  if (!result.ok) assert.fail(result.error.message);
  return result.prepared;
}

/** whole is the failure of the prepared script sent as one query (runScript). */
function whole(prepared: PreparedScript, serverError: unknown, statementIndex = -1): ScriptFailure {
  return new ScriptFailure(serverError, statementIndex, 0, prepared.script);
}

/** at is "line:column" of a description, for compact assertions. */
function at(details: { line: number; column: number }): string {
  return `${details.line}:${details.column}`;
}

// Line 4 holds 'é😀' (one 2-byte and one 4-byte character, three UTF-16 units) before the bad column.
const MULTIBYTE = '-- Migration: fill\n-- UP\nCREATE TABLE t (name text);\nINSERT INTO t VALUES (\'é😀\', nope);\n';
// PostgreSQL's position of `nope`: 1-based, in characters of the text it received.
// "CREATE TABLE t (name text);\n" is 28 characters, "INSERT INTO t VALUES ('é😀', " another 28.
const NOPE_POSITION = 57;
const UNDEFINED_COLUMN = { code: '42703', message: 'column "nope" does not exist', position: String(NOPE_POSITION) };

describe('describeFailure', () => {
  describe('with a server position', () => {
    it('maps it to the file line and column, counting characters after multi-byte text', () => {
      const prepared = prepare(MULTIBYTE);
      const details = describeFailure(prepared, whole(prepared, UNDEFINED_COLUMN, 1));
      assert.equal(at(details), '4:29');
      assert.equal(details.file, FILE);
      assert.equal(details.version, '003');
      assert.equal(details.sqlstate, '42703');
      assert.equal(details.message, 'column "nope" does not exist');
      assert.equal(details.statement, "INSERT INTO t VALUES ('é😀', nope)");
    });

    it('subtracts a prefix sent before the section (negative base, as runInTransaction sends BEGIN first)', () => {
      const prepared = prepare(MULTIBYTE);
      const prefix = "BEGIN;SELECT set_config('strata.started', clock_timestamp()::text, true);";
      const failure = new ScriptFailure(
        { ...UNDEFINED_COLUMN, position: String(prefix.length + NOPE_POSITION) },
        1,
        -prefix.length,
        prefix + prepared.script,
      );
      assert.equal(at(describeFailure(prepared, failure)), '4:29');
    });

    it('points into the right line when the file\'s own BEGIN was blanked', () => {
      const prepared = prepare('-- UP\nBEGIN;\nCREATE TABLE t (id int);\nSELECT nope FROM t;\nCOMMIT;\n');
      const position = prepared.script.indexOf('nope') + 1; // ASCII: characters are units
      const details = describeFailure(prepared, whole(prepared, { code: '42703', message: 'x', position: String(position) }, 1));
      assert.equal(at(details), '4:8');
    });

    it('maps a statement sent on its own (runStatement: base is the statement start)', () => {
      const prepared = prepare('-- UP\nCREATE TABLE t (id int);\n\n  CREATE INDEX CONCURRENTLY t_x ON t (x);\n');
      const statement = prepared.statements[1]!;
      assert.equal(statement.text, 'CREATE INDEX CONCURRENTLY t_x ON t (x)');
      const failure = new ScriptFailure({ code: '42703', message: 'column "x" does not exist', position: '37' }, 1, statement.start, statement.text);
      assert.equal(at(describeFailure(prepared, failure)), '4:39');
    });
  });

  describe('without a position', () => {
    const text = '-- UP\nCREATE TABLE t (id int);\n  INSERT INTO t VALUES (1 / 0);\nSELECT 1;\n';

    it('points at the start of the failing statement, counted by completions', () => {
      const prepared = prepare(text);
      const details = describeFailure(prepared, whole(prepared, { code: '22012', message: 'division by zero' }, 1));
      assert.equal(at(details), '3:3');
      assert.equal(details.statement, 'INSERT INTO t VALUES (1 / 0)');
    });

    it('points at the first statement when the failing one is unknown', () => {
      const prepared = prepare(text);
      const details = describeFailure(prepared, whole(prepared, { code: '23505', message: 'duplicate key' }, -1));
      assert.equal(at(details), '2:1');
      assert.equal(details.statement, '');
    });

    it('passes on the server\'s detail, hint and context', () => {
      const prepared = prepare(text);
      const error = {
        code: '23505',
        message: 'duplicate key value violates unique constraint "t_pkey"',
        detail: 'Key (id)=(1) already exists.',
        hint: 'Check the data.',
        where: 'SQL function "f" statement 1',
      };
      const details = describeFailure(prepared, whole(prepared, error, 1));
      assert.deepEqual(
        [details.sqlstate, details.message, details.detail, details.hint, details.where],
        [error.code, error.message, error.detail, error.hint, error.where],
      );
    });

    it('leaves detail, hint and context null when the server gave none', () => {
      const prepared = prepare(text);
      const details = describeFailure(prepared, whole(prepared, { code: '22012', message: 'division by zero' }, 1));
      assert.deepEqual([details.detail, details.hint, details.where], [null, null, null]);
    });
  });

  describe('inside a DO block', () => {
    it('maps internalPosition within internalQuery to the file, after multi-byte text', () => {
      const prepared = prepare('-- UP\nDO $$\nBEGIN\n  INSERT INTO t VALUES (\'😀\', nope);\nEND\n$$;\n');
      const error = {
        code: '42703',
        message: 'column "nope" does not exist',
        internalQuery: "INSERT INTO t VALUES ('😀', nope)",
        internalPosition: '28',
        where: 'PL/pgSQL function inline_code_block line 3 at SQL statement',
      };
      assert.equal(at(describeFailure(prepared, whole(prepared, error, 0))), '4:30');
    });

    it('falls back to the PL/pgSQL line of the body when the internal query is not in the text', () => {
      // PERFORM runs as "SELECT 1 / 0", which the file does not contain.
      const prepared = prepare('-- UP\nCREATE TABLE t ();\nDO $body$\nBEGIN\n  PERFORM 1 / 0;\nEND\n$body$;\n');
      const error = {
        code: '22012',
        message: 'division by zero',
        internalQuery: 'SELECT 1 / 0',
        internalPosition: '10',
        where: 'SQL statement "SELECT 1 / 0"\nPL/pgSQL function inline_code_block line 3 at PERFORM',
      };
      const details = describeFailure(prepared, whole(prepared, error, 1));
      assert.equal(at(details), '5:3');
      assert.equal(details.where, error.where);
    });

    it('counts PL/pgSQL lines from the opening quote of a single-quoted body', () => {
      const prepared = prepare("-- UP\nDO 'BEGIN\n    RAISE EXCEPTION ''boom'';\nEND';\n");
      const error = { code: 'P0001', message: 'boom', where: 'PL/pgSQL function inline_code_block line 2 at RAISE' };
      assert.equal(at(describeFailure(prepared, whole(prepared, error, 0))), '3:5');
    });

    it('finds line 1 on the line of the opening quote', () => {
      const prepared = prepare('-- UP\nDO $$ BEGIN PERFORM 1 / 0; END $$;\n');
      const error = { code: '22012', message: 'division by zero', where: 'PL/pgSQL function inline_code_block line 1 at PERFORM' };
      assert.equal(at(describeFailure(prepared, whole(prepared, error, 0))), '2:7');
    });

    it('falls back to the statement start when the PL/pgSQL line is past the body', () => {
      const prepared = prepare('-- UP\nSELECT 1;\nDO $$ BEGIN PERFORM 1 / 0; END $$;\n');
      const error = { code: '22012', message: 'division by zero', where: 'PL/pgSQL function inline_code_block line 9 at PERFORM' };
      assert.equal(at(describeFailure(prepared, whole(prepared, error, 1))), '3:1');
    });
  });

  describe('a lost connection', () => {
    it('says so, with no SQLSTATE', () => {
      const prepared = prepare('-- UP\nSELECT pg_sleep(10);\n');
      const details = describeFailure(prepared, whole(prepared, new Error('Connection terminated unexpectedly'), 0));
      assert.equal(details.message, 'the connection to the server was lost: Connection terminated unexpectedly');
      assert.equal(details.sqlstate, null);
      assert.equal(at(details), '2:1');
    });

    it('is not claimed for a server error that merely mentions a connection', () => {
      const prepared = prepare('-- UP\nSELECT * FROM connection_log;\n');
      const error = { code: '42P01', message: 'relation "connection_log" does not exist', position: '15' };
      const details = describeFailure(prepared, whole(prepared, error, 0));
      assert.equal(details.message, 'relation "connection_log" does not exist');
      assert.equal(at(details), '2:15');
    });

    it('says so for a socket reset, which Node reports with code ECONNRESET', () => {
      const prepared = prepare('-- UP\nSELECT pg_sleep(10);\n');
      const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
      const details = describeFailure(prepared, whole(prepared, reset, 0));
      assert.equal(details.message, 'the connection to the server was lost: read ECONNRESET');
      assert.equal(details.sqlstate, null);
    });
  });
});

