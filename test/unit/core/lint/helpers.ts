/**
 * Helpers for lint tests: lint inline SQL, render findings exactly as `strata lint` prints them, and
 * apply a rule's fixes to check that re-linting finds nothing and the SQL still parses.
 */
import assert from 'node:assert/strict';
import { renderFinding } from '../../../../src/cli/lint';
import { lintMigration, type LintFinding, type LintOptions, type TextEdit } from '../../../../src/core/lint';
import { loadParser, splitStatements } from '../../../../src/core/sql/parser';

/** FILE is the name test documents get unless a test says otherwise: a single-file migration. */
export const FILE = '001_test.sql';

/** useParser loads the parser before a suite's tests. */
export function useParser(): void {
  before(async () => {
    await loadParser();
  });
}

/** lint lints inline SQL as the migration FILE. */
export function lint(sql: string, options: Partial<LintOptions> = {}): LintFinding[] {
  return lintMigration(sql, { file: FILE, ...options });
}

/** findingsOf lints and keeps one rule's findings. */
export function findingsOf(sql: string, rule: string, options: Partial<LintOptions> = {}): LintFinding[] {
  return lint(sql, options).filter((f) => f.rule === rule);
}

/** rendered is one rule's findings as the CLI prints them, separated by blank lines ('' when there are none). */
export function rendered(sql: string, rule: string, options: Partial<LintOptions> = {}): string {
  const file = options.file ?? FILE;
  return findingsOf(sql, rule, options)
    .map((f) => renderFinding(sql, f, file))
    .join('\n\n');
}

/** lines joins expected output lines. */
export function lines(...text: string[]): string {
  return text.join('\n');
}

/** applyEdits applies non-overlapping edits to a text; insertions at one offset keep their order, as in VS Code. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/**
 * fixAll applies the preferred fix of every finding of `rule`, asserts that re-linting finds none of
 * them and that the result still parses, and returns the fixed text.
 */
export function fixAll(sql: string, rule: string, options: Partial<LintOptions> = {}): string {
  const found = findingsOf(sql, rule, options);
  assert.ok(found.length > 0, `expected ${rule} findings to fix`);
  const edits = found.flatMap((f) => {
    const preferred = f.fixes.find((x) => x.preferred);
    assert.ok(preferred, `${rule} offers no preferred fix for: ${f.message}`);
    return preferred.edits;
  });
  const fixed = applyEdits(sql, edits);
  assert.deepEqual(findingsOf(fixed, rule, options).map((f) => f.message), [], `after the fix:\n${fixed}`);
  assertParses(fixed);
  return fixed;
}

/** assertParses checks that every statement of a text parses. */
export function assertParses(sql: string): void {
  assert.deepEqual(splitStatements(sql).errors, [], `does not parse:\n${sql}`);
}

/** silent asserts that a rule finds nothing in the SQL. */
export function silent(sql: string, rule: string, options: Partial<LintOptions> = {}): void {
  assert.deepEqual(findingsOf(sql, rule, options).map((f) => `${f.line}:${f.column} ${f.message}`), [], sql);
}
