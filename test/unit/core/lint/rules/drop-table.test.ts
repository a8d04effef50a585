import assert from 'node:assert/strict';
import { lines, rendered, silent, useParser } from '../helpers';

const RULE = 'drop-table';

describe(RULE, () => {
  useParser();

  it('points at DROP TABLE in UP and names the existing tables', () => {
    assert.equal(
      rendered('CREATE TABLE scratch (id int);\nDROP TABLE old_orders, scratch, archive.orders;', RULE),
      lines(
        '001_test.sql:2:1: warning drop-table: DROP TABLE old_orders, archive.orders deletes the table and its data; DOWN cannot bring the data back',
        '2 | DROP TABLE old_orders, scratch, archive.orders;',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: stop using the table in the application first and deploy that; drop it in a later migration (back it up if the data matters)',
      ),
    );
  });

  it('stays silent in DOWN and on tables the same section created', () => {
    silent('-- UP\nCREATE TABLE t (id int);\nDROP TABLE t;\n-- DOWN\nDROP TABLE IF EXISTS users;', RULE);
  });
});
