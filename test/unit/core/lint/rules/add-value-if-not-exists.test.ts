import assert from 'node:assert/strict';
import { fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'add-value-if-not-exists';

describe(RULE, () => {
  useParser();

  it('points at ALTER TYPE ... ADD VALUE and the label', () => {
    assert.equal(
      rendered("ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';", RULE),
      lines(
        "001_test.sql:1:1: warning add-value-if-not-exists: ADD VALUE 'ecstatic' without IF NOT EXISTS fails when the migration runs again",
        "1 | ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';",
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: write ADD VALUE IF NOT EXISTS, so a re-run skips a label that is already there',
      ),
    );
  });

  it('adds IF NOT EXISTS after VALUE', () => {
    assert.equal(fixAll("ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';", RULE), "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy';");
  });

  it('stays silent on IF NOT EXISTS and on RENAME VALUE', () => {
    silent("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ecstatic';\nALTER TYPE mood RENAME VALUE 'sad' TO 'blue';", RULE);
  });
});
