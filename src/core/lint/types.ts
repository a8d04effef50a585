/**
 * The lint engine's data: what a finding is (everything an editor or a terminal needs to show it and
 * fix it), and what a rule is (its metadata and its check). Offsets are UTF-16 indexes into the linted
 * document's text, as String#slice and VS Code count.
 */
import type { FileProblem } from '../types';

/** Severity is how loudly a finding is shown; `error` findings make `strata lint` exit with 3. */
export type Severity = 'error' | 'warning' | 'info';

/** RuleFamily groups rules: re-runnable DDL, production safety, and the shape of the migration folder. */
export type RuleFamily = 'idempotency' | 'safety' | 'structure';

/** TextEdit replaces document text [start, end) (UTF-16 offsets) with newText; start === end inserts. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** LintFix is a mechanical fix: edits that never overlap, applied together. `preferred` marks the one to apply by default. */
export interface LintFix {
  title: string;
  edits: TextEdit[];
  preferred: boolean;
}

/**
 * LintAction is a follow-up that needs more than the text (the database or a diff view), so the engine
 * names it and the editor or CLI carries it out: `show-applied-diff` compares the UP section with the
 * script recorded when it was applied; `accept-checksum` records the current checksum (repair).
 */
export type LintAction = 'show-applied-diff' | 'accept-checksum';

/** LintFinding is one problem in one document, with its exact place, its rule's page and its fixes. */
export interface LintFinding {
  rule: string;
  family: RuleFamily;
  severity: Severity;
  message: string;
  help: string;
  /** start/end: UTF-16 offsets in the document; start === end for a point. */
  start: number;
  end: number;
  /** line/column/endLine/endColumn: 1-based; columns count characters (code points). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  docsUrl: string;
  /**
   * fixes are computed on first read (some need the scanner), then kept. The engine's findings carry
   * them as a getter: JSON.stringify includes them, but a `{...finding}` or structuredClone copy does
   * not, so read them (or copy `JSON.parse(JSON.stringify(finding))`) before sending findings elsewhere.
   */
  readonly fixes: LintFix[];
  actions: LintAction[];
}

/** AppliedScript is the tracking-table row of this migration on the active connection. */
export interface AppliedScript {
  /** script is the UP text as applied; null for rows written without it (then drift cannot be classified). */
  script: string | null;
  checksum: string;
}

/** LintOptions says what the engine cannot see in the text: the file's name, settings, and folder and database facts. */
export interface LintOptions {
  /** file is the document's path; its name decides whether it is one half of an `.up.sql`/`.down.sql` pair. */
  file: string;
  /** severities maps rule ids (or family names, for every rule of the family) to a severity or 'off'; rule ids win. */
  severities?: Record<string, 'off' | Severity>;
  /** applied: the tracking-table row when this migration was applied on the active connection, for checksum drift. */
  applied?: AppliedScript | null;
  /** problems: what discoverMigrations found wrong with this file (duplicate version, bad name, orphan down). */
  problems?: FileProblem[];
  /** outOfOrder: the migration is pending but older than the newest applied one. */
  outOfOrder?: boolean;
  /** optIn: opt-in rules to enable at their default severity (they are also enabled by a severity in `severities`). */
  optIn?: string[];
  /**
   * downFile: for an `.up.sql` file, the text of its `.down.sql` (null when there is none); leave it
   * undefined when unknown, and the rules about the DOWN side stay silent.
   */
  downFile?: { text: string } | null;
}

/** RuleMeta is what a rule says about itself: stable id, family, default severity, one-line summary and its page. */
export interface RuleMeta {
  id: string;
  family: RuleFamily;
  defaultSeverity: Severity;
  summary: string;
  docsUrl: string;
  /** optIn rules run only when a project enables them. */
  optIn: boolean;
}

/** RuleReport is what a check reports; the engine adds the rule's identity, severity and line/column. */
export interface RuleReport {
  start: number;
  end: number;
  message: string;
  help: string;
  /** fixes is called at most once, when a fix is first asked for. */
  fixes?: () => LintFix[];
  /** severity grades this finding within its rule (cosmetic drift is info); a project's setting for the rule overrides it. */
  severity?: Severity;
  actions?: LintAction[];
}

/** Report is how a check hands findings to the engine. */
export type Report = (finding: RuleReport) => void;
