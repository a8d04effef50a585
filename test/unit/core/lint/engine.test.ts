import assert from 'node:assert/strict';
import { lintMigration, RULES } from '../../../../src/core/lint';
import { findingsOf, lint, lines, rendered, useParser } from './helpers';

describe('lint engine', () => {
  useParser();

  describe('severities', () => {
    const sql = 'CREATE TABLE t (id int);\nDROP INDEX i;';
    const severities = (options: Parameters<typeof lint>[1]): string[] => lint(sql, options).map((f) => `${f.rule} ${f.severity}`);

    it('uses each rule\'s default', () => {
      assert.deepEqual(severities({}), [
        'create-if-not-exists warning',
        'missing-down info',
        'drop-if-exists warning',
        'require-concurrent-index-deletion warning',
      ]);
    });

    it('lets a project set a rule, a family, or turn either off; the rule\'s own setting wins over its family\'s', () => {
      assert.deepEqual(severities({ severities: { 'create-if-not-exists': 'error', safety: 'off', structure: 'warning' } }), [
        'create-if-not-exists error',
        'missing-down warning',
        'drop-if-exists warning',
      ]);
      assert.deepEqual(severities({ severities: { idempotency: 'off', 'drop-if-exists': 'info', 'missing-down': 'off' } }), [
        'drop-if-exists info',
        'require-concurrent-index-deletion warning',
      ]);
    });

    it('lets a setting override a rule\'s graded severity (cosmetic drift is info by default)', () => {
      const drift = lint('-- UP\nSELECT 1;', { applied: { script: 'SELECT  1;', checksum: 'x' } }).find((f) => f.rule === 'checksum-drift');
      assert.equal(drift?.severity, 'info');
      const set = lint('-- UP\nSELECT 1;', { applied: { script: 'SELECT  1;', checksum: 'x' }, severities: { 'checksum-drift': 'error' } });
      assert.equal(set.find((f) => f.rule === 'checksum-drift')?.severity, 'error');
    });
  });

  describe('positions', () => {
    it('are right after multi-byte characters (é, emoji) on the same and earlier lines', () => {
      const sql = "-- café ☕ 😀\nSELECT 'é😀'; CREATE TABLE \"tëst😀\" (id int);";
      assert.equal(
        rendered(sql, 'create-if-not-exists'),
        lines(
          '001_test.sql:2:14: warning create-if-not-exists: CREATE TABLE without IF NOT EXISTS fails when the migration runs again',
          "2 | SELECT 'é😀'; CREATE TABLE \"tëst😀\" (id int);",
          // Columns count characters: the emoji is one (and two UTF-16 units, and four UTF-8 bytes).
          '  |              ^^^^^^^^^^^^^^^^^^^^',
          '  = help: write CREATE TABLE IF NOT EXISTS, so a re-run after a partial failure skips it',
        ),
      );
      const f = findingsOf(sql, 'create-if-not-exists')[0]!;
      assert.equal(sql.slice(f.start, f.end), 'CREATE TABLE "tëst😀"');
      assert.deepEqual([f.line, f.column, f.endLine, f.endColumn], [2, 14, 2, 34]);
    });

    it('count CRLF and lone CR as one line break, and skip a BOM in offsets but not in columns', () => {
      const crlf = '\uFEFF-- UP\r\nSELECT 1;\r\rDROP TABLE t;';
      const f = findingsOf(crlf, 'drop-if-exists')[0]!;
      assert.equal(crlf.slice(f.start, f.end), 'DROP TABLE t');
      assert.deepEqual([f.line, f.column, f.endLine, f.endColumn], [4, 1, 4, 13]);
    });

    it('place nodes right after multi-byte text in an earlier statement and section', () => {
      const sql = "-- UP\nCOMMENT ON TABLE t IS '日本語 😀';\nALTER TABLE t ADD COLUMN ñ text;\n-- DOWN\nSELECT '😀'; ALTER TABLE t DROP COLUMN ñ;";
      assert.deepEqual(findingsOf(sql, 'add-column-if-not-exists').map((f) => [f.line, f.column, sql.slice(f.start, f.end)]), [[3, 26, 'ñ']]);
      assert.deepEqual(findingsOf(sql, 'drop-if-exists').map((f) => [f.line, f.column, sql.slice(f.start, f.end)]), [[5, 27, 'DROP COLUMN ñ']]);
    });
  });

  describe('findings', () => {
    it('carry everything an editor needs, and serialize to JSON with their fixes', () => {
      const f = lintMigration('CREATE TABLE t (id int);', { file: '/p/migrations/001_t.sql' })[0]!;
      const json = JSON.parse(JSON.stringify(f)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(json).sort(), [
        'actions', 'column', 'docsUrl', 'end', 'endColumn', 'endLine', 'family', 'fixes', 'help', 'line', 'message', 'rule', 'severity', 'start',
      ]);
      assert.deepEqual(json.fixes, [{ title: 'Add IF NOT EXISTS', edits: [{ start: 13, end: 13, newText: 'IF NOT EXISTS ' }], preferred: true }]);
      assert.equal(f.docsUrl, 'docs/rules/create-if-not-exists.md');
    });

    it('come sorted by position', () => {
      const found = lint('DROP TABLE b;\nCREATE TABLE a (id int);\nALTER TABLE c ADD COLUMN d int;');
      const starts = found.map((f) => f.start);
      assert.deepEqual(starts, [...starts].sort((x, y) => x - y));
    });

    it('name only registered rules, each once in the registry', () => {
      const ids = RULES.map((r) => r.meta.id);
      assert.equal(new Set(ids).size, ids.length);
      for (const f of lint('BEGIN; CREATE TABLE t (id int); SELEC; DROP TABLE u; COMMIT;')) assert.ok(ids.includes(f.rule), f.rule);
    });
  });
});
