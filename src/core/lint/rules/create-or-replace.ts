import type { Node } from 'libpg-query';
import { isTemporary, names } from '../ddl';
import { fix, insert } from '../fixes';
import { codeTokens, headline, throughRelation, type Range } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: a CREATE that has an OR REPLACE form but does not use it fails when the migration runs again. */
export const meta = defineRule('create-or-replace', 'idempotency', 'warning', 'CREATE without OR REPLACE cannot run twice');

/** kinds: every statement with an OR REPLACE form (triggers since PostgreSQL 14, except constraint triggers). */
export const kinds = ['CreateFunctionStmt', 'ViewStmt', 'CreateTrigStmt', 'RuleStmt', 'DefineStmt', 'CreatePLangStmt', 'CreateTransformStmt'] as const;

/** check reports a CREATE that could say OR REPLACE. */
export function check(s: LintStatement, report: Report): void {
  const target = targetOf(s);
  if (!target) return;
  report({
    ...target.range,
    message: `CREATE ${target.label} without OR REPLACE fails when the migration runs again`,
    help: `write CREATE OR REPLACE ${target.label}, so a re-run replaces it with the same definition`,
    // The statement starts with the CREATE keyword, which has no other spelling.
    fixes: () => [fix('Add OR REPLACE', [insert(s.start + 'CREATE'.length, ' OR REPLACE')])],
  });
}

/** targetOf names what the statement creates without OR REPLACE, or null when it is fine as written. */
function targetOf(s: LintStatement): { label: string; range: Range } | null {
  const fn = s.get('CreateFunctionStmt');
  if (fn) return fn.replace ? null : { label: fn.is_procedure ? 'PROCEDURE' : 'FUNCTION', range: functionHead(s, fn.parameters, names(fn.funcname)) };
  const view = s.get('ViewStmt');
  if (view) return view.replace || isTemporary(view.view) ? null : { label: 'VIEW', range: throughRelation(s, view.view) };
  const trigger = s.get('CreateTrigStmt');
  // CREATE OR REPLACE CONSTRAINT TRIGGER does not exist; guard-create covers constraint triggers.
  if (trigger) return trigger.replace || trigger.isconstraint ? null : { label: 'TRIGGER', range: throughRelation(s, trigger.relation) };
  const rule = s.get('RuleStmt');
  if (rule) return rule.replace ? null : { label: 'RULE', range: throughRelation(s, rule.relation) };
  const define = s.get('DefineStmt');
  if (define) return define.kind === 'OBJECT_AGGREGATE' && !define.replace ? { label: 'AGGREGATE', range: headline(s) } : null;
  const language = s.get('CreatePLangStmt');
  if (language) return language.replace ? null : { label: 'LANGUAGE', range: headline(s) };
  const transform = s.get('CreateTransformStmt');
  if (transform) return transform.replace ? null : { label: 'TRANSFORM', range: headline(s) };
  return null;
}

/** functionHead is `CREATE FUNCTION name`: the tokens up to the name's '(' (read only that far). */
function functionHead(s: LintStatement, parameters: Node[] | undefined, parts: string[]): Range {
  const first = parameters?.[0];
  const before = first && 'FunctionParameter' in first ? s.at(first.FunctionParameter.location) : undefined;
  const tokens = codeTokens(before === undefined ? s.tokens() : s.tokensBefore(before));
  const open = tokens.findIndex((t) => t.type === 'ASCII_40');
  return open > 0 && parts.length > 0 ? { start: s.start, end: tokens[open - 1]!.end } : headline(s);
}
