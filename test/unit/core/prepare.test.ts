import assert from 'node:assert/strict';
import { checksumOf } from '../../../src/core/checksum';
import type { MigrationErrorDetails } from '../../../src/core/errors';
import { prepareSection, sectionPosition, type Direction, type PreparedScript } from '../../../src/core/prepare';
import { splitSections } from '../../../src/core/sections';
import { loadParser } from '../../../src/core/sql/parser';
import type { MigrationFile, Section } from '../../../src/core/types';

const FILE = '/project/migrations/007_add_things.sql';

before(async () => {
  await loadParser();
});

/** migrationOf reads a whole file's text into a migration, as discovery does. */
function migrationOf(text: string): MigrationFile {
  const sections = splitSections(text, FILE);
  if (!sections.ok) assert.fail(`bad fixture: ${sections.message}`);
  return {
    version: '007',
    name: 'add_things',
    description: 'add things',
    scheme: 'sequence',
    file: FILE,
    downFile: null,
    up: sections.up,
    down: sections.down,
    noTransaction: sections.noTransaction,
    checksum: checksumOf(sections.up.text),
  };
}

/** prepared prepares a section that must be accepted. */
function prepared(text: string, direction: Direction = 'up'): PreparedScript {
  const result = prepareSection(migrationOf(text), direction);
  if (!result.ok) assert.fail(`unexpected refusal: ${result.error.message}`);
  return result.prepared;
}

/** refused prepares a section that must be refused and returns why. */
function refused(text: string, direction: Direction = 'up'): MigrationErrorDetails {
  const result = prepareSection(migrationOf(text), direction);
  if (result.ok) assert.fail('expected the section to be refused');
  return result.error;
}

describe('sectionPosition', () => {
  const section: Section = { file: FILE, text: 'ab\ncd😀e', offset: 40, line: 7, column: 5, markerLine: 6 };

  it('adds the section column on its first line', () => {
    assert.deepEqual(sectionPosition(section, 0), { line: 7, column: 5 });
    assert.deepEqual(sectionPosition(section, 1), { line: 7, column: 6 });
  });

  it('uses the column within the line on later lines, counting characters', () => {
    assert.deepEqual(sectionPosition(section, 3), { line: 8, column: 1 });
    assert.deepEqual(sectionPosition(section, section.text.indexOf('e')), { line: 8, column: 4 });
  });
});

describe('prepareSection', () => {
  describe('the file\'s own BEGIN and COMMIT', () => {
    const text = '-- Migration: add things\n-- UP\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n-- DOWN\nDROP TABLE a;\n';

    it('are blanked in the script, keeping its length and line breaks', () => {
      const p = prepared(text);
      assert.equal(p.script, '      \nCREATE TABLE a (id int);\n       \n');
      assert.equal(p.script.length, p.section.text.length);
      assert.equal(p.transactional, true);
    });

    it('are left out of the statements and listed by file line', () => {
      const p = prepared(text);
      assert.deepEqual(p.statements.map((s) => s.text), ['CREATE TABLE a (id int)']);
      assert.deepEqual(p.strippedControl, [3, 5]);
    });

    it('keep statement offsets pointing at the same text in the script', () => {
      const p = prepared('-- UP\nBEGIN;\nSELECT 1;\nEND;\nSELECT 2;\n');
      for (const s of p.statements) assert.equal(p.script.slice(s.start, s.end), s.text);
      assert.deepEqual(p.strippedControl, [2, 4], 'END is COMMIT');
    });

    it('keep CRLF line breaks when blanked, also inside a statement spanning lines', () => {
      const p = prepared('-- UP\r\nSTART TRANSACTION\r\n;\r\nSELECT 1;\r\nCOMMIT;\r\n');
      assert.equal(p.script, '                 \r\n \r\nSELECT 1;\r\n       \r\n');
      assert.deepEqual(p.strippedControl, [2, 5]);
    });

    it('are blanked in a DOWN section too', () => {
      const p = prepared('-- UP\nCREATE TABLE a ();\n-- DOWN\nBEGIN;\nDROP TABLE a;\nCOMMIT;\n', 'down');
      assert.equal(p.direction, 'down');
      assert.equal(p.script, '      \nDROP TABLE a;\n       \n');
      assert.deepEqual(p.strippedControl, [4, 6]);
    });
  });

  describe('statements that would end Strata\'s transaction', () => {
    it('refuses ROLLBACK at its line and column, quoting it', () => {
      const error = refused('-- UP\nCREATE TABLE a ();\n  ROLLBACK;\n');
      assert.equal(error.file, FILE);
      assert.equal(error.version, '007');
      assert.equal(error.line, 3);
      assert.equal(error.column, 3);
      assert.equal(error.statement, 'ROLLBACK');
      assert.match(error.message, /^"ROLLBACK" ends or splits the migration's transaction;.*strata:no-transaction/);
    });

    it('refuses ABORT, which is ROLLBACK', () => {
      assert.equal(refused('-- UP\nSELECT 1;\nABORT;\n').line, 3);
    });

    it('refuses PREPARE TRANSACTION at its line', () => {
      const error = refused("-- Migration: x\n-- UP\nSELECT 1;\n\nPREPARE TRANSACTION 'tx1';\n");
      assert.equal(error.line, 5);
      assert.equal(error.column, 1);
      assert.equal(error.statement, "PREPARE TRANSACTION 'tx1'");
    });

    it('refuses COMMIT PREPARED', () => {
      assert.equal(refused("-- UP\nSELECT 1;\nCOMMIT PREPARED 'tx1';\n").statement, "COMMIT PREPARED 'tx1'");
    });

    it('keeps SAVEPOINT and ROLLBACK TO SAVEPOINT, which stay inside the transaction', () => {
      const p = prepared('-- UP\nSAVEPOINT s;\nSELECT 1;\nROLLBACK TO SAVEPOINT s;\n');
      assert.equal(p.statements.length, 3);
      assert.equal(p.transactional, true);
    });
  });

  describe('statements PostgreSQL refuses in a transaction block', () => {
    it('make the migration non-transactional, with the reason and file line', () => {
      const p = prepared('-- UP\nCREATE TABLE a (id int);\n\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n');
      assert.equal(p.transactional, false);
      assert.deepEqual(p.nonTransactional, [{ reason: 'CREATE INDEX CONCURRENTLY', line: 4 }]);
      assert.deepEqual(p.statements.map((s) => s.nonTransactional), [null, 'CREATE INDEX CONCURRENTLY']);
    });

    it('do not include a plain CREATE INDEX', () => {
      const p = prepared('-- UP\nCREATE INDEX a_id ON a (id);\n');
      assert.equal(p.transactional, true);
      assert.deepEqual(p.nonTransactional, []);
    });
  });

  describe('strata:no-transaction', () => {
    const text = '-- UP strata:no-transaction\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nROLLBACK;\n';

    it('keeps the file\'s own transaction statements as statements, unblanked', () => {
      const p = prepared(text);
      assert.equal(p.transactional, false);
      assert.deepEqual(p.statements.map((s) => s.text), ['BEGIN', 'CREATE TABLE a (id int)', 'COMMIT', 'ROLLBACK']);
      assert.deepEqual(p.strippedControl, []);
      assert.equal(p.script, p.section.text);
    });

    it('makes the migration non-transactional without any listed statement', () => {
      const p = prepared('-- UP strata:no-transaction\nSELECT 1;\n');
      assert.equal(p.transactional, false);
      assert.deepEqual(p.nonTransactional, []);
    });
  });

  describe('syntax errors', () => {
    it('are mapped to the file line and column of a section that starts mid-file', () => {
      const error = refused('-- Migration: x\n-- Created: today\n-- UP\nCREATE TABLE a (id int);\nSELEC 1;\n');
      assert.deepEqual([error.line, error.column], [5, 1]);
      assert.equal(error.sqlstate, '42601');
      assert.match(error.message, /syntax error at or near "SELEC"/);
    });

    it('count columns in characters after multi-byte text on the same line', () => {
      const error = refused("-- UP\nCREATE TABLE é (id int);\nSELECT 'é😀' FROM WHERE;\n");
      // SELECT 'é😀' FROM  is 17 characters (18 UTF-16 units, 21 bytes).
      assert.deepEqual([error.line, error.column], [3, 18]);
    });

    it('are found in a later statement on a line after multi-byte text', () => {
      const error = refused("-- UP\nSELECT '😀😀'; SELEC 1;\n");
      assert.deepEqual([error.line, error.column], [2, 14]);
    });

    it('are reported for a DOWN section at its own lines', () => {
      const error = refused('-- UP\nSELECT 1;\n-- DOWN\nDROP TABLE;\n', 'down');
      assert.equal(error.line, 4);
    });
  });

  describe('empty sections', () => {
    it('refuse an UP with only comments, pointing at the section start', () => {
      const error = refused('-- Migration: x\n-- UP\n-- TODO\n\n');
      assert.match(error.message, /the UP section has no SQL statements/);
      assert.deepEqual([error.line, error.column], [3, 1]);
    });

    it('refuse an UP with only the file\'s BEGIN and COMMIT', () => {
      assert.match(refused('-- UP\nBEGIN;\nCOMMIT;\n').message, /no SQL statements/);
    });

    it('accept a DOWN with only BEGIN and COMMIT (nothing to undo)', () => {
      const p = prepared('-- UP\nSELECT 1;\n-- DOWN\nBEGIN;\nCOMMIT;\n', 'down');
      assert.deepEqual(p.statements, []);
    });
  });

  it('throws (a programming error) when asked for a DOWN the migration does not have', () => {
    assert.throws(() => prepareSection(migrationOf('SELECT 1;\n'), 'down'), /007 has no DOWN section/);
  });
});
