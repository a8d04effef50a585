import assert from 'node:assert/strict';
import { findingsOf, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'invalid-sections';

describe(RULE, () => {
  useParser();

  it('points at the marker line the runner cannot use, and still lints the SQL', () => {
    const sql = '-- DOWN\nDROP TABLE t;\n-- UP\nCREATE TABLE t (id int);';
    assert.equal(
      rendered(sql, RULE),
      lines(
        '001_test.sql:3:1: error invalid-sections: the DOWN marker (line 1) comes before the UP marker (line 3); UP must come first',
        '3 | -- UP',
        '  | ^^^^^',
        '  = help: one `-- UP` marker first, at most one `-- DOWN` after it, each on its own line; nothing but comments before `-- UP`',
      ),
    );
    assert.equal(findingsOf(sql, 'create-if-not-exists').length, 1);
  });

  it('reports a DOWN marker in an .up.sql and an UP marker in a .down.sql', () => {
    assert.match(rendered('CREATE TABLE t (id int);\n-- DOWN\nDROP TABLE t;', RULE, { file: '002_t.up.sql' }), /^002_t.up.sql:2:1: error invalid-sections: an .up.sql file has a DOWN marker/);
    assert.match(rendered('-- UP\nDROP TABLE t;', RULE, { file: '002_t.down.sql' }), /^002_t.down.sql:1:1: error invalid-sections: a .down.sql file has an UP marker/);
  });

  it('stays silent on well-formed files', () => {
    silent('-- Migration: x\n-- UP\nSELECT 1;\n-- DOWN\nSELECT 2;', RULE);
    silent('-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;', RULE);
  });
});
