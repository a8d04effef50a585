/** How a project's `lint` settings turn into each rule's severity. */
import type { LintOptions, RuleMeta, Severity } from './types';

/** Settings resolves each rule's severity from the project's settings. */
export class Settings {
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

  /**
   * mayReportUnused: an ignore for a rule that does not run (turned off, by id or family, or opt-in and
   * not enabled) is harmless, not unused. `meta` is the rule's, or undefined for a family name or a typo.
   */
  mayReportUnused(id: string, meta: RuleMeta | undefined): boolean {
    if (meta) return this.severity(meta) !== null;
    return this.severities[id] !== 'off';
  }
}
