import assert from 'node:assert/strict';
import { lines, rendered, silent, useParser } from '../helpers';

const RULE = 'out-of-order';

describe(RULE, () => {
  useParser();

  it('shows on the first line what the tracking table says', () => {
    assert.equal(
      rendered('-- Migration: late\n-- UP\nSELECT 1;', RULE, { outOfOrder: true }),
      lines(
        '001_test.sql:1:1: warning out-of-order: this migration is pending but older than the newest applied one: `up` refuses it unless out-of-order runs are allowed',
        '1 | -- Migration: late',
        '  | ^^^^^^^^^^^^^^^^^^',
        '  = help: rename it to a version after the newest applied one, or allow it once with `strata up --out-of-order` ("outOfOrder": true in strata.json)',
      ),
    );
  });

  it('stays silent unless the caller says so', () => {
    silent('SELECT 1;', RULE);
    silent('SELECT 1;', RULE, { outOfOrder: false });
  });
});
