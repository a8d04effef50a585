import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitSections } from '../../src/core/sections';
import { stripBom } from '../../src/core/text';
import type { Section } from '../../src/core/types';
import { anyMigrationInput, lineCount, params, timed } from './common';

function checkSection(text: string, section: Section, what: string): void {
  assert.ok(Number.isInteger(section.offset) && section.offset >= 0, `${what}: offset ${section.offset}`);
  assert.ok(section.offset + section.text.length <= text.length, `${what}: ends past the text`);
  assert.equal(section.text, text.slice(section.offset, section.offset + section.text.length), `${what}: text is not the input's slice`);
  const lines = lineCount(text);
  assert.ok(section.line >= 1 && section.line <= lines, `${what}: line ${section.line} of ${lines}`);
  assert.ok(section.column >= 1, `${what}: column ${section.column}`);
  if (section.markerLine !== null) assert.ok(section.markerLine >= 1 && section.markerLine <= lines, `${what}: markerLine ${section.markerLine}`);
}

describe('fuzz: splitSections', () => {
  it('never throws, stays under the time cap, and sections are slices of the (BOM-stripped) input', () => {
    fc.assert(
      fc.property(anyMigrationInput, (input) => {
        const result = timed('sections', () => splitSections(input, '/tmp/001_fuzz.sql'));
        const text = stripBom(input);
        if (!result.ok) {
          assert.equal(typeof result.message, 'string');
          assert.ok(result.line >= 1 && result.line <= lineCount(text), `error line ${result.line}`);
          return;
        }
        checkSection(text, result.up, 'up');
        if (result.down) {
          checkSection(text, result.down, 'down');
          assert.ok(result.up.offset + result.up.text.length <= result.down.offset, 'up overlaps down');
        }
        if (result.downMarkerLine !== null) assert.ok(result.downMarkerLine >= 1 && result.downMarkerLine <= lineCount(text));
      }),
      params(3000),
    );
  });
});
