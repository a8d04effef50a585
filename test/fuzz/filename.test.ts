import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMigrationFileName } from '../../src/core/filename';
import { anyUnit, marker, params, randomText, timed } from './common';

// File names: random text, and names built from the accepted grammar's pieces then mutated.
const piece = fc.oneof(
  fc.stringMatching(/^\d{1,20}$/),
  fc.constantFrom('_', '-', '.', '.up', '.down', '.UP', '.Down', '.sql', '.SQL', '.sql.sql', ' ', '\0', '\uFEFF', '\uD800', 'é', '名前', 'init', 'add_users'),
  anyUnit,
);
const builtName = fc.array(piece, { maxLength: 8 }).map((a) => a.join(''));
const fileName = fc.oneof(randomText, builtName, marker, fc.nat(50_000).map((n) => `${'1'.repeat(n)}_x.sql`));

describe('fuzz: parseMigrationFileName', () => {
  it('never throws, stays under the time cap, and what it accepts is consistent with the name', () => {
    fc.assert(
      fc.property(fileName, (name) => {
        const parsed = timed('filename', () => parseMigrationFileName(name));
        if (parsed === null) return;
        assert.match(parsed.version, /^\d+$/);
        assert.ok(name.startsWith(parsed.version));
        assert.ok(/\.sql$/i.test(name));
        assert.equal(parsed.scheme, parsed.version.length === 14 ? 'timestamp' : 'sequence');
        assert.ok(['single', 'up', 'down'].includes(parsed.part));
        if (parsed.name !== '') assert.ok(name.includes(parsed.separator + parsed.name));
      }),
      params(3000),
    );
  });
});
