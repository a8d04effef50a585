/**
 * The registry, the rule files, the rule pages and the README agree: every rule has a file named after
 * its id, a page with Problem / Solution / Example whose examples behave as the page says, and a README row.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checksumOf } from '../../../../src/core/checksum';
import { RULES } from '../../../../src/core/lint';
import type { LintOptions } from '../../../../src/core/lint';
import { findingsOf, useParser } from './helpers';

const root = join(__dirname, '..', '..', '..', '..');
const page = (id: string): string => readFileSync(join(root, 'docs', 'rules', `${id}.md`), 'utf8');

/** EXAMPLE_OPTIONS: what a rule needs besides the text to fire on its page's example. */
const appliedIndex = 'CREATE INDEX users_id ON users (id);';
const EXAMPLE_OPTIONS: Record<string, Partial<LintOptions>> = {
  'require-lock-timeout': { optIn: ['require-lock-timeout'] },
  'checksum-drift': { applied: { script: appliedIndex, checksum: checksumOf(appliedIndex) } },
};

/** examples reads the page's two SQL code blocks: reported, then fixed. */
function examples(id: string): { reported: string; fixed: string } | null {
  const blocks = [...page(id).matchAll(/```sql\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
  return blocks.length === 2 ? { reported: blocks[0]!, fixed: blocks[1]! } : null;
}

describe('rule registry', () => {
  useParser();

  it('has one file per rule, named after its id', () => {
    const files = readdirSync(join(root, 'src', 'core', 'lint', 'rules')).map((f) => f.replace(/\.ts$/, '')).sort();
    assert.deepEqual(files, RULES.map((r) => r.meta.id).sort());
  });

  it('has a page per rule with Problem, Solution and Example, stating its family and default severity', () => {
    const pages = readdirSync(join(root, 'docs', 'rules')).sort();
    assert.deepEqual(pages, RULES.map((r) => `${r.meta.id}.md`).sort());
    for (const { meta } of RULES) {
      const text = page(meta.id);
      assert.match(text, new RegExp(`^# ${meta.id}\n`), meta.id);
      for (const heading of ['## Problem', '## Solution', '## Example']) assert.ok(text.includes(`\n${heading}\n`), `${meta.id}: ${heading}`);
      assert.ok(text.includes(`family: ${meta.family} · default severity: ${meta.defaultSeverity}`), meta.id);
      assert.ok(existsSync(join(root, meta.docsUrl)), `${meta.id}: ${meta.docsUrl} is the page, relative to the package root`);
    }
  });

  it("lists every rule in the README with its family and default severity", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const { meta } of RULES) {
      const row = readme.split('\n').find((line) => line.startsWith(`| [\`${meta.id}\`](docs/rules/${meta.id}.md) |`));
      assert.ok(row, meta.id);
      assert.ok(row.includes(`| ${meta.family} | ${meta.defaultSeverity}`), row);
    }
  });

  it("fires on each page's reported example and stays silent on its fixed one", () => {
    let checked = 0;
    for (const { meta } of RULES) {
      const example = examples(meta.id);
      if (!example) continue;
      const options = EXAMPLE_OPTIONS[meta.id] ?? {};
      assert.ok(findingsOf(example.reported, meta.id, options).length > 0, `${meta.id}: the reported example is not reported`);
      assert.deepEqual(findingsOf(example.fixed, meta.id, options).map((f) => f.message), [], `${meta.id}: the fixed example`);
      checked++;
    }
    assert.ok(checked >= 25, `only ${checked} pages have SQL examples`);
  });
});
