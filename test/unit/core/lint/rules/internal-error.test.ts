import assert from 'node:assert/strict';
import { renderFinding } from '../../../../../src/cli/lint';
import { runRules } from '../../../../../src/core/lint/engine';
import { defineRule, type LintRule } from '../../../../../src/core/lint/rule';
import { RULES } from '../../../../../src/core/lint/registry';
import { lines, useParser } from '../helpers';

describe('internal-error', () => {
  useParser();

  const broken: LintRule = {
    meta: defineRule('broken-rule', 'safety', 'warning', 'a rule with a bug'),
    kinds: ['CreateStmt'],
    check: () => {
      throw new Error('cannot read properties of undefined');
    },
  };

  it('turns a rule that throws into a finding at the top of the file, and the other rules still run', () => {
    const sql = 'CREATE TABLE t (id int);';
    const findings = runRules(sql, { file: '001_test.sql' }, [broken, ...RULES]);
    const failure = findings.find((f) => f.rule === 'internal-error')!;
    assert.equal(
      renderFinding(sql, failure, '001_test.sql'),
      lines(
        '001_test.sql:1:1: warning internal-error: the lint rule broken-rule failed on this file: cannot read properties of undefined',
        '1 | CREATE TABLE t (id int);',
        '  | ^',
        '  = help: this is a bug in Strata; please report it with the file. The other rules still ran.',
      ),
    );
    assert.ok(findings.some((f) => f.rule === 'create-if-not-exists'));
  });

  it('never throws, even when the engine itself cannot read the input', () => {
    const findings = runRules('SELECT 1;', { file: undefined } as unknown as { file: string }, RULES);
    assert.deepEqual(findings.map((f) => [f.rule, f.line]), [['internal-error', 1]]);
    assert.match(findings[0]!.message, /^this file could not be linted: /);
  });

  it('stays silent when every rule works, and can be turned off', () => {
    assert.deepEqual(runRules('CREATE TABLE t (id int);', { file: '001_test.sql' }, RULES).filter((f) => f.rule === 'internal-error'), []);
    const off = runRules('CREATE TABLE t (id int);', { file: '001_test.sql', severities: { 'internal-error': 'off' } }, [broken, ...RULES]);
    assert.deepEqual(off.filter((f) => f.rule === 'internal-error'), []);
  });
});
