import assert from 'node:assert/strict';
import { fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'unused-ignore';

describe(RULE, () => {
  useParser();

  it('points at an ignored rule id that silences nothing', () => {
    assert.equal(
      rendered('-- strata-ignore drop-table\nCREATE TABLE IF NOT EXISTS t (id int);', RULE),
      lines(
        '001_test.sql:1:18: warning unused-ignore: strata-ignore drop-table silences nothing on the statement it applies to',
        '1 | -- strata-ignore drop-table',
        '  |                  ^^^^^^^^^^',
        '  = help: remove it, or move it just above the statement it is meant for',
      ),
    );
  });

  it('points at an unknown rule id', () => {
    assert.equal(
      rendered('-- strata-ignore-file create-if-not-exist\nCREATE TABLE t (id int);', RULE),
      lines(
        '001_test.sql:1:23: warning unused-ignore: strata-ignore names an unknown rule: create-if-not-exist',
        '1 | -- strata-ignore-file create-if-not-exist',
        '  |                       ^^^^^^^^^^^^^^^^^^^',
        '  = help: use a rule id from docs/rules, or a family: idempotency, safety, structure',
      ),
    );
  });

  it('removes the comment line, or just the unused id from a list', () => {
    assert.equal(fixAll('SELECT 1;\n  -- strata-ignore drop-table\nSELECT 2;', RULE), 'SELECT 1;\nSELECT 2;');
    assert.equal(fixAll('SELECT 1; -- strata-ignore drop-table', RULE), 'SELECT 1;');
    assert.equal(
      fixAll('-- strata-ignore drop-table, create-if-not-exists -- legacy\nCREATE TABLE t (id int);', RULE),
      '-- strata-ignore create-if-not-exists -- legacy\nCREATE TABLE t (id int);',
    );
    assert.equal(
      fixAll('-- strata-ignore create-if-not-exists, drop-table\nCREATE TABLE t (id int);', RULE),
      '-- strata-ignore create-if-not-exists\nCREATE TABLE t (id int);',
    );
  });

  it('stays silent for used ignores, for rules the project turned off, and when itself ignored', () => {
    silent('-- strata-ignore create-if-not-exists\nCREATE TABLE t (id int);', RULE);
    silent('-- strata-ignore drop-table\nSELECT 1;', RULE, { severities: { 'drop-table': 'off' } });
    silent('-- strata-ignore drop-table, safety\nSELECT 1;', RULE, { severities: { safety: 'off' } });
    silent('-- strata-ignore require-lock-timeout\nSELECT 1;', RULE);
    silent('-- strata-ignore-file unused-ignore\n-- strata-ignore drop-table\nSELECT 1;', RULE);
  });
});
