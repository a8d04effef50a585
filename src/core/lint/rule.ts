/**
 * What a lint rule is. A rule file exports `meta` and a `check`: a statement rule names the node
 * kinds it looks at and sees each such statement once; a document rule sees the whole document.
 */
import type { LintDocument } from './document';
import type { LintStatement, NodeKind } from './statement';
import type { Report, RuleFamily, RuleMeta, Severity } from './types';

/**
 * RULE_DOCS_BASE is where the rule pages are, relative to the package root (docs/rules/<id>.md, shipped
 * with the CLI and the extension); each front end turns it into a link it can open (lintDocsUrl, the
 * extension's docsUri).
 */
export const RULE_DOCS_BASE = 'docs/rules/';

/** StatementRule checks statements of the kinds it names. */
export interface StatementRule {
  meta: RuleMeta;
  kinds: readonly NodeKind[];
  check(s: LintStatement, report: Report, doc: LintDocument): void;
}

/** DocumentRule checks a whole document once. */
export interface DocumentRule {
  meta: RuleMeta;
  kinds?: undefined;
  check(doc: LintDocument, report: Report): void;
}

/** EngineRule is a rule whose findings the engine itself produces (unused ignores, a rule that failed). */
export interface EngineRule {
  meta: RuleMeta;
  engine: true;
}

/** LintRule is any rule of the registry. */
export type LintRule = StatementRule | DocumentRule | EngineRule;

/** defineRule builds a rule's metadata; its page is docs/rules/<id>.md. */
export function defineRule(id: string, family: RuleFamily, defaultSeverity: Severity, summary: string, options: { optIn?: boolean } = {}): RuleMeta {
  return { id, family, defaultSeverity, summary, docsUrl: `${RULE_DOCS_BASE}${id}.md`, optIn: options.optIn ?? false };
}
