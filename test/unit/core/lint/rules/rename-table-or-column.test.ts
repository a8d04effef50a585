import assert from 'node:assert/strict';
import { lines, rendered, silent, useParser } from '../helpers';

const RULE = 'rename-table-or-column';

describe(RULE, () => {
  useParser();

  it('points at a column rename in UP', () => {
    assert.equal(
      rendered('ALTER TABLE orders RENAME COLUMN total TO amount;', RULE),
      lines(
        '001_test.sql:1:1: warning rename-table-or-column: renaming column total breaks running code that still uses the old name',
        '1 | ALTER TABLE orders RENAME COLUMN total TO amount;',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: add the new column, write to both, move readers over, then drop the old column in a later migration',
      ),
    );
  });

  it('points at a table rename in UP', () => {
    assert.equal(
      rendered('ALTER TABLE IF EXISTS orders RENAME TO purchases;', RULE),
      lines(
        '001_test.sql:1:1: warning rename-table-or-column: renaming table orders breaks running code that still uses the old name',
        '1 | ALTER TABLE IF EXISTS orders RENAME TO purchases;',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: rename in steps: create a view with the old name (or the new one), move the application over, then drop it',
      ),
    );
  });

  it('stays silent in DOWN, on other renames, and on what the same section created', () => {
    silent(
      [
        '-- UP',
        'CREATE TABLE t (a int);',
        'ALTER TABLE t RENAME COLUMN a TO b;',
        'ALTER TABLE t RENAME TO t2;',
        'ALTER TABLE orders ADD COLUMN tmp int;',
        'ALTER TABLE orders RENAME COLUMN tmp TO note;',
        'ALTER INDEX orders_idx RENAME TO orders_total_idx;',
        '-- DOWN',
        'ALTER TABLE orders RENAME COLUMN amount TO total;',
      ].join('\n'),
      RULE,
    );
  });
});
