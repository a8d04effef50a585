import assert from 'node:assert/strict';
import { ignoreFix } from '../../../../src/core/lint';
import { applyEdits, findingsOf, lint, useParser } from './helpers';

describe('ignore comments', () => {
  useParser();

  const rules = (sql: string): string[] => lint(sql).filter((f) => f.rule !== 'missing-down').map((f) => `${f.line} ${f.rule}`);

  it('strata-ignore silences a rule on the next statement only', () => {
    assert.deepEqual(rules('-- strata-ignore create-if-not-exists\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);'), ['3 create-if-not-exists']);
  });

  it('applies to the statement it sits in, for findings further down a long statement', () => {
    const sql = 'ALTER TABLE users\n  -- strata-ignore add-column-if-not-exists -- the column is new in every environment\n  ADD COLUMN email text;';
    assert.deepEqual(rules(sql), []);
  });

  it('takes several ids, and family names', () => {
    assert.deepEqual(rules('-- strata-ignore idempotency, safety\nCREATE INDEX i ON users (a);\nDROP INDEX j;'), ['3 drop-if-exists', '3 require-concurrent-index-deletion']);
  });

  it('strata-ignore-file silences a rule everywhere, wherever the comment is', () => {
    assert.deepEqual(rules('CREATE TABLE a (id int);\n-- strata-ignore-file create-if-not-exists\nCREATE TABLE b (id int);'), []);
  });

  it('is only a comment: the same words in a string or a block comment do nothing', () => {
    const sql = "SELECT '-- strata-ignore create-if-not-exists';\nCREATE TABLE a (id int);\n/* strata-ignore create-if-not-exists */ CREATE TABLE b (id int);";
    assert.deepEqual(rules(sql), ['2 create-if-not-exists', '3 create-if-not-exists']);
  });

  it('ignoreFix writes a comment that silences the finding, for the statement or for the file', () => {
    const sql = 'SELECT 1;\n  ALTER TABLE users\n    ADD COLUMN email text;';
    const finding = findingsOf(sql, 'add-column-if-not-exists')[0]!;
    const statement = applyEdits(sql, ignoreFix(sql, finding, 'statement').edits);
    assert.equal(statement, 'SELECT 1;\n  ALTER TABLE users\n    -- strata-ignore add-column-if-not-exists\n    ADD COLUMN email text;');
    assert.deepEqual(findingsOf(statement, 'add-column-if-not-exists'), []);
    const file = applyEdits(sql, ignoreFix(sql, finding, 'file').edits);
    assert.equal(file, `-- strata-ignore-file add-column-if-not-exists\n${sql}`);
    assert.deepEqual(findingsOf(file, 'add-column-if-not-exists'), []);
    assert.equal(applyEdits('\uFEFFSELECT 1;', ignoreFix('\uFEFFSELECT 1;', { rule: 'x', start: 1 }, 'file').edits), '\uFEFF-- strata-ignore-file x\nSELECT 1;');
  });
});

describe('ignore comments for findings about the whole file', () => {
  useParser();

  it('a strata-ignore on the first line silences a finding placed on that line, and ignoreFix writes one that does', () => {
    assert.deepEqual(findingsOf('-- strata-ignore missing-down\nCREATE TABLE IF NOT EXISTS t (id int);', 'missing-down'), []);
    assert.deepEqual(findingsOf('-- strata-ignore missing-down\nCREATE TABLE IF NOT EXISTS t (id int);', 'unused-ignore'), []);
    const sql = 'CREATE TABLE IF NOT EXISTS t (id int);';
    const finding = findingsOf(sql, 'missing-down')[0]!;
    const ignored = applyEdits(sql, ignoreFix(sql, finding, 'statement').edits);
    assert.equal(ignored, `-- strata-ignore missing-down\n${sql}`);
    assert.deepEqual(findingsOf(ignored, 'missing-down'), []);
  });
});
