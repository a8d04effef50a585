import assert from 'node:assert/strict';
import { findingsOf, fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'concurrently-in-transaction';

describe(RULE, () => {
  useParser();

  const wrapped = 'BEGIN;\nCREATE INDEX CONCURRENTLY users_email ON users (email);\nCOMMIT;\n';

  it('warns when Strata absorbs the file\'s BEGIN: it works, but not as the atomic script it looks like', () => {
    assert.equal(
      rendered(wrapped, RULE),
      lines(
        '001_test.sql:2:1: warning concurrently-in-transaction: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and the BEGIN on line 1 opens one',
        '2 | CREATE INDEX CONCURRENTLY users_email ON users (email);',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: remove BEGIN and COMMIT: with CREATE INDEX CONCURRENTLY in it, Strata runs this migration outside a transaction, statement by statement',
      ),
    );
  });

  it('is an error under strata:no-transaction, where the BEGIN really runs and PostgreSQL refuses the statement', () => {
    const sql = `-- strata:no-transaction\n${wrapped}`;
    assert.equal(
      rendered(sql, RULE),
      lines(
        '001_test.sql:3:1: error concurrently-in-transaction: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and the BEGIN on line 2 opens one',
        '3 | CREATE INDEX CONCURRENTLY users_email ON users (email);',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: move it after the COMMIT, or remove BEGIN and COMMIT',
      ),
    );
  });

  it('removes the file\'s BEGIN and COMMIT', () => {
    assert.equal(fixAll(wrapped, RULE), 'CREATE INDEX CONCURRENTLY users_email ON users (email);\n');
  });

  it('names other statements that cannot run in a transaction block', () => {
    const found = findingsOf('BEGIN;\nVACUUM users;\nDROP INDEX CONCURRENTLY i;\nREINDEX INDEX CONCURRENTLY j;\nCOMMIT;', RULE);
    assert.deepEqual(found.map((f) => f.message.split(' cannot')[0]), ['VACUUM', 'DROP INDEX CONCURRENTLY', 'REINDEX CONCURRENTLY']);
  });

  it('stays silent outside the file\'s transaction and after its COMMIT', () => {
    silent('CREATE INDEX CONCURRENTLY a ON t (x);\nBEGIN;\nCREATE TABLE u (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY b ON t (y);\nVACUUM t;', RULE);
  });
});
