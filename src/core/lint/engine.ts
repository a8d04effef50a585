/**
 * The lint engine: parse the document once, run each enabled rule (statement rules see only the
 * statement kinds they name), drop what ignore comments silence, report ignores that silenced nothing,
 * and place every finding by line and column. It never throws: a rule that fails becomes a finding.
 */
import { LintDocument } from './document';
import { directiveMatches, findIgnores } from './ignores';
import { positionsOf } from './positions';
import type { LintRule, StatementRule } from './rule';
import * as internalError from './rules/internal-error';
import * as unusedIgnore from './rules/unused-ignore';
import type { LintFinding, LintFix, LintOptions, Report, RuleMeta, RuleReport, Severity } from './types';

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
  return place(text, applyIgnores(doc, raws, settings));
}

/** applyIgnores drops silenced findings and adds one for every directive that silenced nothing. */
function applyIgnores(doc: LintDocument, raws: Raw[], settings: Settings): Raw[] {
  if (doc.text.indexOf('strata-ignore') < 0) return raws; // indexOf: includes() on a large string can turn pathologically slow in optimized code (Node 20)
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
  const unused = directives.filter((d) => !d.used && settings.mayReportUnused(d.rule));
  for (const report of unusedIgnore.reportsFor(doc, unused, settings.knows)) {
    const raw = { meta: unusedIgnore.meta, report, severity: settings.explicit(unusedIgnore.meta) ?? severity };
    if (!silenced(raw)) kept.push(raw);
  }
  return kept;
}

/** Settings resolves each rule's severity from the project's settings. */
class Settings {
  private readonly severities: Record<string, string>;
  private readonly optIn: Set<string>;
  /** knows is true for rule ids and family names: anything else in an ignore comment is a typo. */
  readonly knows: (id: string) => boolean;

  constructor(options: LintOptions, known: Set<string>) {
    this.severities = options.severities ?? {};
    this.optIn = new Set(options.optIn ?? []);
    this.knows = (id) => known.has(id);
  }

  /** explicit is the severity a project set for this rule or its family, if any (never 'off' here). */
  explicit(meta: RuleMeta): Severity | undefined {
    const set = this.severities[meta.id] ?? this.severities[meta.family];
    return set === 'error' || set === 'warning' || set === 'info' ? set : undefined;
  }

  /** severity is the rule's effective severity, or null when it is off (opt-in rules are off unless enabled by id). */
  severity(meta: RuleMeta): Severity | null {
    const own = this.severities[meta.id];
    if (own === 'off') return null;
    if (meta.optIn && own === undefined && !this.optIn.has(meta.id)) return null;
    if (own === undefined && this.severities[meta.family] === 'off') return null;
    return this.explicit(meta) ?? meta.defaultSeverity;
  }

  /** mayReportUnused: an ignore for a rule the project turned off is harmless, not unused. */
  mayReportUnused(id: string): boolean {
    return this.severities[id] !== 'off';
  }
}

/** place sorts findings and gives each its line and column, in one pass over the text. */
function place(text: string, raws: Raw[]): LintFinding[] {
  raws.sort((a, b) => a.report.start - b.report.start || a.report.end - b.report.end || (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
  const offsets: number[] = [];
  for (const r of raws) offsets.push(r.report.start, r.report.end);
  const positions = positionsOf(text, offsets);
  return raws.map(({ meta, report, severity }) => new Finding(meta, report, severity, positions.get(report.start)!, positions.get(report.end)!));
}

/**
 * Finding is a LintFinding whose `fixes` are computed on first read: some need the scanner, a CLI run
 * never reads them and an editor only when asked for code actions. (A class getter, because
 * Object.defineProperty on each of thousands of findings costs more than the rest of the engine.)
 * JSON.stringify includes them through toJSON; a copy made with `{...finding}` or structuredClone does not:
 * read `fixes` first, or copy `finding.toJSON()`.
 */
class Finding implements LintFinding {
  readonly rule: string;
  readonly family: LintFinding['family'];
  readonly severity: Severity;
  readonly message: string;
  readonly help: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly docsUrl: string;
  readonly actions: LintFinding['actions'];
  private made: LintFix[] | undefined;
  private readonly make: (() => LintFix[]) | undefined;

  constructor(meta: RuleMeta, report: RuleReport, severity: Severity, start: { line: number; column: number }, end: { line: number; column: number }) {
    this.rule = meta.id;
    this.family = meta.family;
    this.severity = severity;
    this.message = report.message;
    this.help = report.help;
    this.start = report.start;
    this.end = report.end;
    this.line = start.line;
    this.column = start.column;
    this.endLine = end.line;
    this.endColumn = end.column;
    this.docsUrl = meta.docsUrl;
    this.actions = report.actions ?? [];
    this.make = report.fixes;
  }

  get fixes(): LintFix[] {
    this.made ??= safely(this.make);
    return this.made;
  }

  /** toJSON is the finding as a plain object, fixes included. */
  toJSON(): LintFinding {
    const { rule, family, severity, message, help, start, end, line, column, endLine, endColumn, docsUrl, actions, fixes } = this;
    return { rule, family, severity, message, help, start, end, line, column, endLine, endColumn, docsUrl, fixes, actions };
  }
}

function safely(make: (() => LintFix[]) | undefined): LintFix[] {
  try {
    return make ? make() : [];
  } catch {
    return []; // a fix that cannot be built is not offered; the finding stands
  }
}
