/**
 * The lint engine: parse the document once, run each enabled rule (statement rules see only the
 * statement kinds they name), drop what ignore comments silence, report ignores that silenced nothing,
 * and place every finding by line and column. It never throws: a rule that fails becomes a finding.
 */
import { LintDocument } from './document';
import { directiveMatches, findIgnores, hasIgnores } from './ignores';
import { Positions } from './positions';
import type { LintRule, StatementRule } from './rule';
import * as internalError from './rules/internal-error';
import * as unusedIgnore from './rules/unused-ignore';
import { Finding } from './finding';
import { Settings } from './settings';
import type { LintFinding, LintOptions, Report, RuleMeta, RuleReport, Severity } from './types';

/** Raw is a rule's report with the rule it came from and its severity settled. */
interface Raw {
  meta: RuleMeta;
  report: RuleReport;
  severity: Severity;
}

/** runRules lints one document with the given rules (the registry's, or a test's). */
export function runRules(text: string, options: LintOptions, rules: readonly LintRule[]): LintFinding[] {
  const raws: Raw[] = [];
  const known = new Set<string>(['idempotency', 'safety', 'structure', ...rules.map((r) => r.meta.id)]);
  const settings = new Settings(options, known);
  const failed = (meta: RuleMeta | null, error: unknown): void => {
    const severity = settings.severity(internalError.meta);
    if (severity) raws.push({ meta: internalError.meta, report: internalError.reportFor(meta?.id ?? null, error), severity });
  };
  let doc: LintDocument;
  try {
    doc = new LintDocument(text, options);
  } catch (error) {
    failed(null, error); // e.g. loadParser() has not finished: a programming error, still no throw
    return place(text, raws);
  }
  const byKind = new Map<string, { rule: StatementRule; report: Report }[]>();
  for (const rule of rules) {
    if ('engine' in rule) continue;
    const severity = settings.severity(rule.meta);
    if (!severity) continue;
    const report: Report = (r) => raws.push({ meta: rule.meta, report: r, severity: settings.explicit(rule.meta) ?? r.severity ?? severity });
    if (rule.kinds) {
      for (const kind of rule.kinds) byKind.set(kind, [...(byKind.get(kind) ?? []), { rule, report }]);
      continue;
    }
    try {
      rule.check(doc, report);
    } catch (error) {
      failed(rule.meta, error);
    }
  }
  for (const s of doc.statements) {
    const interested = s.kind ? byKind.get(s.kind) : undefined;
    if (!interested) continue;
    for (const { rule, report } of interested) {
      try {
        rule.check(s, report, doc);
      } catch (error) {
        failed(rule.meta, error);
      }
    }
  }
  return place(text, applyIgnores(doc, raws, settings, new Map(rules.map((r) => [r.meta.id, r.meta]))));
}

/** applyIgnores drops silenced findings and adds one for every directive that silenced nothing. */
function applyIgnores(doc: LintDocument, raws: Raw[], settings: Settings, metas: ReadonlyMap<string, RuleMeta>): Raw[] {
  if (!hasIgnores(doc.text)) return raws;
  const directives = findIgnores(doc);
  if (directives.length === 0) return raws;
  const silenced = (raw: Raw): boolean => {
    let hit = false;
    for (const d of directives) {
      if (directiveMatches(d, raw.meta.id, raw.meta.family, raw.report.start)) d.used = hit = true;
    }
    return hit;
  };
  const kept = raws.filter((raw) => !silenced(raw));
  const severity = settings.severity(unusedIgnore.meta);
  if (!severity) return kept;
  const unused = directives.filter((d) => !d.used && settings.mayReportUnused(d.rule, metas.get(d.rule)));
  for (const report of unusedIgnore.reportsFor(doc, unused, settings.knows)) {
    const raw = { meta: unusedIgnore.meta, report, severity: settings.explicit(unusedIgnore.meta) ?? severity };
    if (!silenced(raw)) kept.push(raw);
  }
  return kept;
}


/** place sorts findings and gives each its line and column. */
function place(text: string, raws: Raw[]): LintFinding[] {
  raws.sort(byPlace);
  const positions = new Positions(text);
  const findings: LintFinding[] = new Array<LintFinding>(raws.length);
  for (let i = 0; i < raws.length; i++) {
    const { meta, report, severity } = raws[i]!;
    positions.at(report.start);
    const line = positions.line;
    const column = positions.column;
    positions.at(report.end);
    findings[i] = new Finding(meta, report, severity, line, column, positions.line, positions.column);
  }
  return findings;
}

function byPlace(a: Raw, b: Raw): number {
  return a.report.start - b.report.start || a.report.end - b.report.end || (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0);
}
