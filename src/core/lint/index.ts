/**
 * The lint engine's public face: lint one document, lint a migrations folder, list the rules, and
 * build the "ignore" edits an editor offers next to every finding.
 */
import { fix, indentBefore, insert, lineEnding, lineStart } from './fixes';
import { runRules } from './engine';
import { RULES } from './registry';
import type { LintFinding, LintFix, LintOptions, RuleMeta } from './types';

export type { AppliedScript, LintAction, LintFinding, LintFix, LintOptions, RuleFamily, RuleMeta, Severity, TextEdit } from './types';
export { RULES } from './registry';
export { RULE_DOCS_BASE } from './rule';
export { lintFolder, type FileLint, type FolderLintOptions } from './folder';

/**
 * lintMigration lints one migration file's text (UP and DOWN sections, each parsed as the runner runs
 * it). loadParser() must have finished. Never throws: a rule that fails becomes an `internal-error` finding.
 */
export function lintMigration(text: string, options: LintOptions): LintFinding[] {
  return runRules(text, options, RULES);
}

/** ruleMeta returns a rule's metadata by id. */
export function ruleMeta(id: string): RuleMeta | undefined {
  return RULES.find((r) => r.meta.id === id)?.meta;
}

/** RULE_FAMILIES are the family names, which `lint` settings and ignore comments accept in place of rule ids. */
export const RULE_FAMILIES = ['idempotency', 'safety', 'structure'] as const;

/** unknownRuleIds lists the keys of a `lint` setting that are neither rule ids nor families (typos to tell the user about). */
export function unknownRuleIds(severities: Record<string, unknown>): string[] {
  const known = new Set<string>([...RULE_FAMILIES, ...RULES.map((r) => r.meta.id)]);
  return Object.keys(severities).filter((id) => !known.has(id));
}

/**
 * ignoreFix builds the edit an editor offers as "ignore": a `-- strata-ignore <rule>` line above the
 * finding's line (it applies to the statement it sits in or precedes), or a `-- strata-ignore-file <rule>`
 * line at the top of the file.
 */
export function ignoreFix(text: string, finding: Pick<LintFinding, 'rule' | 'start'>, scope: 'statement' | 'file'): LintFix {
  const eol = lineEnding(text);
  if (scope === 'file') {
    const top = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return fix(`Ignore ${finding.rule} in this file`, [insert(top, `-- strata-ignore-file ${finding.rule}${eol}`)], false);
  }
  const start = lineStart(text, finding.start);
  let code = start;
  while (code < text.length && (text.charCodeAt(code) === 32 || text.charCodeAt(code) === 9)) code++;
  const indent = indentBefore(text, code);
  return fix(`Ignore ${finding.rule} for this statement`, [insert(start, `${indent}-- strata-ignore ${finding.rule}${eol}`)], false);
}
