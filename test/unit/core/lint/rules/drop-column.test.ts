import assert from 'node:assert/strict';
import { lines, rendered, silent, useParser } from '../helpers';

const RULE = 'drop-column';

describe(RULE, () => {
  useParser();

  it('points at DROP COLUMN in UP', () => {
    assert.equal(
      rendered('ALTER TABLE orders DROP COLUMN legacy;', RULE),
      lines(
        '001_test.sql:1:20: warning drop-column: DROP COLUMN legacy deletes its data from orders; DOWN cannot bring it back, and code still reading it breaks',
        '1 | ALTER TABLE orders DROP COLUMN legacy;',
        '  |                    ^^^^^^^^^^^^^^^^^^',
        '  = help: stop reading and writing the column in the application first and deploy that; drop it in a later migration (back it up if the data matters)',
      ),
    );
  });

  it('stays silent in DOWN, and on columns or tables the same section created', () => {
    silent(
      [
        '-- UP',
        'ALTER TABLE orders ADD COLUMN tmp int;',
        'ALTER TABLE orders DROP COLUMN tmp;',
        'CREATE TABLE t (a int, b int);',
        'ALTER TABLE t DROP COLUMN b;',
        '-- DOWN',
        'ALTER TABLE orders DROP COLUMN IF EXISTS total;',
      ].join('\n'),
      RULE,
    );
  });
});
