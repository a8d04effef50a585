import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '../../src/core/config';
import { isStrataError } from '../../src/core/errors';
import { anyUnit, params, randomText, timedAsync } from './common';

const KEYS = ['$schema', 'migrationsDir', 'naming', 'template', 'schema', 'table', 'outOfOrder', 'lockTimeout', 'statementTimeout', 'lint', 'unknown', 'Schema', ''];
const VALUES = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('timestamp', 'sequence', '5s', '100ms', '1m', '-1s', '0', 'db/migrations', '../x', '/abs', 'public', 'a"b;c', 'é', '\0', '\uD800', 'off', 'warning', 'error', 'info'),
  fc.constantFrom(0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER, true, false, null),
  fc.dictionary(fc.constantFrom('safety', 'idempotency', 'structure', 'no-such-rule', 'drop-table', ''), fc.constantFrom('off', 'info', 'warning', 'error', 'bad', 1, null)),
);
const configObject = fc.dictionary(fc.constantFrom(...KEYS), VALUES, { maxKeys: 6 });
const VALID = '{\n  "migrationsDir": "db/migrations",\n  "naming": "timestamp",\n  "schema": "public",\n  "lockTimeout": "10s",\n  "lint": { "safety": "error" }\n}\n';

const mutatedValid = fc
  .tuple(fc.nat(VALID.length), fc.nat(VALID.length), fc.oneof(anyUnit, fc.constantFrom('\uFEFF', '"', '{', '}', ',', '\\', '\\u', '/*', '//', '\r\n', '\0')))
  .map(([a, b, s]) => VALID.slice(0, Math.min(a, b)) + s + VALID.slice(Math.max(a, b)));

const configText = fc.oneof(
  { weight: 3, arbitrary: configObject.map((o) => JSON.stringify(o, null, 2)) },
  { weight: 1, arbitrary: configObject.map((o) => `\uFEFF${JSON.stringify(o)}`) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 3, arbitrary: mutatedValid },
  { weight: 1, arbitrary: fc.nat(VALID.length).map((n) => VALID.slice(0, n)) },
  { weight: 2, arbitrary: randomText },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 200_000 }).map((n) => `{"schema": "${'s'.repeat(n)}"}`) },
);

describe('fuzz: loadConfig', function () {
  this.timeout(0);
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'strata-fuzz-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns a config or throws StrataError('config-invalid'), under the time cap", async () => {
    await fc.assert(
      fc.asyncProperty(configText, async (text) => {
        await writeFile(path.join(dir, 'strata.json'), text);
        await timedAsync('config', async () => {
          try {
            const config = await loadConfig(dir);
            assert.equal(typeof config.schema, 'string');
            assert.equal(typeof config.table, 'string');
          } catch (error) {
            assert.ok(isStrataError(error), `not a StrataError: ${String(error)}`);
            assert.equal(error.code, 'config-invalid', `code ${error.code}: ${error.message}`);
          }
        });
      }),
      params(800),
    );
  });
});
