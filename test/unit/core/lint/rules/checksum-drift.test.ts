import assert from 'node:assert/strict';
import { checksumOf } from '../../../../../src/core/checksum';
import { findingsOf, fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'checksum-drift';

describe(RULE, () => {
  useParser();

  // The UP section as splitSections reads it: from the line after the marker up to the DOWN marker.
  const appliedUp = 'CREATE TABLE IF NOT EXISTS users (id int);\nCREATE INDEX IF NOT EXISTS users_id ON users (id);\n';
  const applied = { script: appliedUp, checksum: checksumOf(appliedUp) };
  const file = (up: string): string => `-- Migration: users\n-- UP\n${up}-- DOWN\nDROP TABLE IF EXISTS users;\n`;

  it('is a warning on the first line that differs from what was applied, with the diff and repair actions', () => {
    const edited = file(appliedUp.replace('(id)', '(id, email)'));
    assert.equal(
      rendered(edited, RULE, { applied }),
      lines(
        '001_test.sql:4:1: warning checksum-drift: UP was edited after it was applied: the database ran different SQL',
        '4 | CREATE INDEX IF NOT EXISTS users_id ON users (id, email);',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: revert the edit and put the change in a new migration; accept the current checksum (strata repair) only if the database already matches the new text',
      ),
    );
    assert.deepEqual(findingsOf(edited, RULE, { applied })[0]!.actions, ['show-applied-diff', 'accept-checksum']);
  });

  it('is information when only whitespace or comments changed', () => {
    const cosmetic = file(appliedUp.replace('CREATE INDEX', '-- speeds up lookups\nCREATE  INDEX'));
    assert.match(rendered(cosmetic, RULE, { applied }), /^001_test.sql:4:1: info checksum-drift: UP differs from what was applied only in whitespace or comments/);
  });

  it('reverts UP to the applied text, leaving the header and DOWN alone', () => {
    const edited = file(appliedUp.replace('(id)', '(id, email)'));
    assert.equal(fixAll(edited, RULE, { applied }), file(appliedUp));
  });

  it('without the applied script, offers only accept-checksum and no revert', () => {
    const found = findingsOf(file('SELECT 2;\n'), RULE, { applied: { script: null, checksum: applied.checksum } });
    assert.deepEqual(found.map((f) => [f.severity, f.actions, f.fixes.length, f.line]), [['warning', ['accept-checksum'], 0, 3]]);
  });

  it('stays silent when the checksum matches (line endings and BOM aside), and without a tracking row', () => {
    silent(file(appliedUp), RULE, { applied });
    silent(`\uFEFF${file(appliedUp).replaceAll('\n', '\r\n')}`, RULE, { applied });
    silent(file('SELECT 2;\n'), RULE);
  });
});
