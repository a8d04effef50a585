/** The finding objects the engine returns. */
import type { LintFinding, LintFix, RuleMeta, RuleReport, Severity } from './types';

/**
 * Finding is a LintFinding whose `fixes` are computed on first read: some need the scanner, a CLI run
 * never reads them and an editor only when asked for code actions. (A class getter, because
 * Object.defineProperty on each of thousands of findings costs more than the rest of the engine.)
 * JSON.stringify includes them through toJSON; a copy made with `{...finding}` or structuredClone does not:
 * read `fixes` first, or copy `finding.toJSON()`.
 */
export class Finding implements LintFinding {
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

  constructor(meta: RuleMeta, report: RuleReport, severity: Severity, line: number, column: number, endLine: number, endColumn: number) {
    this.rule = meta.id;
    this.family = meta.family;
    this.severity = severity;
    this.message = report.message;
    this.help = report.help;
    this.start = report.start;
    this.end = report.end;
    this.line = line;
    this.column = column;
    this.endLine = endLine;
    this.endColumn = endColumn;
    this.docsUrl = meta.docsUrl;
    this.actions = report.actions ?? NO_ACTIONS;
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

/** NO_ACTIONS is the `actions` of the findings that have none (nearly all), shared: findings are read, not changed. */
const NO_ACTIONS = Object.freeze([]) as unknown as LintFinding['actions'];

function safely(make: (() => LintFix[]) | undefined): LintFix[] {
  try {
    return make ? make() : [];
  } catch {
    return []; // a fix that cannot be built is not offered; the finding stands
  }
}
