import assert from 'node:assert/strict';
import { findingsOf, fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'require-concurrent-index-deletion';

describe(RULE, () => {
  useParser();

  it('points at DROP INDEX', () => {
    assert.equal(
      rendered('DROP INDEX IF EXISTS users_old_email;', RULE),
      lines(
        '001_test.sql:1:1: warning require-concurrent-index-deletion: DROP INDEX without CONCURRENTLY blocks reads and writes on its table while it waits for and holds its lock',
        '1 | DROP INDEX IF EXISTS users_old_email;',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: use DROP INDEX CONCURRENTLY; Strata then runs this migration outside a transaction',
      ),
    );
  });

  it('adds CONCURRENTLY after INDEX', () => {
    assert.equal(fixAll('DROP INDEX IF EXISTS users_old_email;', RULE), 'DROP INDEX CONCURRENTLY IF EXISTS users_old_email;');
  });

  it('offers no fix where CONCURRENTLY is not allowed: several indexes, or CASCADE', () => {
    const found = findingsOf('DROP INDEX a, b;\nDROP INDEX c CASCADE;', RULE);
    assert.deepEqual(found.map((f) => [f.line, f.fixes.length, f.help]), [
      [1, 0, 'drop each index in its own DROP INDEX CONCURRENTLY (it takes one index and no CASCADE)'],
      [2, 0, 'drop each index in its own DROP INDEX CONCURRENTLY (it takes one index and no CASCADE)'],
    ]);
  });

  it('stays silent on CONCURRENTLY and on an index created earlier in the same section', () => {
    silent('DROP INDEX CONCURRENTLY users_old;\nCREATE INDEX tmp_idx ON users (id);\nDROP INDEX tmp_idx;\nDROP TABLE t;', RULE);
  });
});
