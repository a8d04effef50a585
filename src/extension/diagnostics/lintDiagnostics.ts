import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import * as vscode from 'vscode';
import type { LintFinding, LintOptions, Severity } from '../../core/lint/types';
import { checksumOf } from '../../core/checksum';
import { appliedScriptOf } from '../../core/status';
import { splitSections } from '../../core/sections';
import type { MigrationFile } from '../../core/types';
import { loadEngineWithParser } from '../lazyEngine';
import { DEBOUNCE_MS, lintDelay } from './lintDelay';
import type { Output } from '../output';
import type { MigrationProject } from '../project/project';
import type { Projects } from '../project/projects';


/** ALL_SQL_FILES is the setting that lints every SQL file, not only the migrations folder's. */
export const ALL_SQL_FILES = 'strata.lint.allSqlFiles';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** LintedDiagnostic ties a diagnostic to the finding it shows, for the code actions. */
export interface LintedDiagnostic {
  finding: LintFinding;
  /** version is the document version the finding was computed on; its offsets hold only for it. */
  version: number;
  project: MigrationProject | undefined;
  /** version of the migration (for the drift commands), when the document is a migration. */
  migrationVersion: string | undefined;
}

/**
 * LintDiagnostics shows src/core/lint findings on migration files (and on any SQL file with
 * `strata.lint.allSqlFiles`). Linting is scheduled, not run per keystroke: a document is linted
 * DEBOUNCE_MS after its last change (or twice as long as its last lint took, for files large enough
 * that a lint takes longer than that: the extension host is never busy linting more than a third of
 * the time someone types), a result computed for an older generation of the document is dropped, and
 * a closed document's diagnostics are deleted. The linter lives in the lazily loaded
 * engine bundle, so activation never loads the parser.
 */
export class LintDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('strata-lint');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generations = new Map<string, number>();
  /** took is how long each document's last lint took (ms). */
  private readonly took = new Map<string, number>();
  private readonly linted = new WeakMap<vscode.Diagnostic, LintedDiagnostic>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly projects: Projects,
    private readonly output: Output,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.disposables = [
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document)),
      vscode.workspace.onDidChangeTextDocument((event) => event.contentChanges.length > 0 && this.changed(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      // A refresh (after a run, a file change or a new connection) can change drift and the migration set.
      projects.onDidChange(() => this.scheduleAll()),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration(ALL_SQL_FILES) && this.scheduleAll()),
    ];
    this.scheduleAll();
  }

  /** findingOf is the finding a strata lint diagnostic shows. */
  findingOf(diagnostic: vscode.Diagnostic): LintedDiagnostic | undefined {
    return this.linted.get(diagnostic);
  }

  /** diagnosticsOf is the current lint diagnostics of a document. */
  diagnosticsOf(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  /** docsUri is a rule's page, shipped in the extension (docs/rules/<rule>.md). */
  docsUri(rule: string): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'docs', 'rules', `${rule}.md`);
  }

  /** schedule lints a document DEBOUNCE_MS after its last change (longer for documents slow to lint). */
  schedule(document: vscode.TextDocument, delay = DEBOUNCE_MS): void {
    if (!isSql(document)) return;
    const key = document.uri.toString();
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lint(document, generation);
      }, lintDelay(delay, this.took.get(key))),
    );
  }

  /** changed lints an edited document, and the UP half of a pair when its `.down.sql` is the one edited. */
  private changed(document: vscode.TextDocument): void {
    this.schedule(document);
    const state = this.projects.forUri(document.uri)?.state;
    if (state?.kind !== 'ready') return;
    const migration = state.set.migrations.find((m) => m.downFile === document.uri.fsPath);
    const up = migration && vscode.workspace.textDocuments.find((open) => open.uri.scheme === 'file' && open.uri.fsPath === migration.file);
    if (up) this.schedule(up);
  }

  private scheduleAll(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    // A lint still running for the closed document finds its generation gone and drops its result.
    this.generations.delete(key);
    this.took.delete(key);
    this.collection.delete(uri);
  }

  private async lint(document: vscode.TextDocument, generation: number): Promise<void> {
    const key = document.uri.toString();
    try {
      await this.projects.ready();
      const target = await this.targetOf(document);
      if (!target) {
        if (this.generations.get(key) === generation) this.collection.delete(document.uri);
        return;
      }
      const engine = await loadEngineWithParser();
      if (this.generations.get(key) !== generation || document.isClosed) return;
      const { project, migrationVersion, options } = target;
      const version = document.version;
      const started = performance.now();
      const findings = engine.lintMigration(document.getText(), options);
      this.took.set(key, performance.now() - started);
      this.collection.set(
        document.uri,
        findings.map((finding) => {
          const diagnostic = this.toDiagnostic(document, finding);
          this.linted.set(diagnostic, { finding, version, project, migrationVersion });
          return diagnostic;
        }),
      );
    } catch (error) {
      // The linter never throws on any text; anything here is a bug worth a line in the output.
      this.output.error(`Lint of ${document.uri.fsPath} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  private toDiagnostic(document: vscode.TextDocument, finding: LintFinding): vscode.Diagnostic {
    const range = new vscode.Range(document.positionAt(finding.start), document.positionAt(finding.end));
    const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
    diagnostic.source = 'strata';
    diagnostic.code = { value: finding.rule, target: this.docsUri(finding.rule) };
    return diagnostic;
  }

  /** targetOf decides whether a document is linted, and with what project and database facts (as lintFolder gives the CLI). */
  private async targetOf(document: vscode.TextDocument): Promise<LintTarget | undefined> {
    if (!isSql(document) || document.uri.scheme === 'strata') return undefined;
    const project = document.uri.scheme === 'file' ? this.projects.forUri(document.uri) : undefined;
    const state = project?.state;
    const file = document.uri.fsPath;
    if (state?.kind === 'ready' && file.startsWith(state.dir + sep)) {
      const migration = state.set.migrations.find((m) => m.file === file || m.downFile === file);
      const problems = state.set.problems.filter((p) => p.file === file && p.kind !== 'bad-sections' && p.kind !== 'unreadable');
      const options: LintOptions = { file, severities: state.config.lint, problems };
      if (migration?.file === file) {
        const status = project?.statuses?.find((s) => s.migration === migration);
        const applied = status?.applied ?? null;
        if (applied && !applied.checksumKind && project && editedSinceApplied(document.getText(), file, applied.checksum)) await project.appliedScript(applied);
        options.applied = status ? appliedScriptOf(status) : null;
        options.outOfOrder = status?.state === 'out-of-order';
        if (migration.downFile) options.downFile = await downOf(migration);
      }
      return { project, migrationVersion: migration?.version, options };
    }
    if (!vscode.workspace.getConfiguration('strata', document.uri).get<boolean>('lint.allSqlFiles', false)) return undefined;
    const severities = state && state.kind !== 'loading' && state.kind !== 'config-error' ? state.config.lint : undefined;
    return { project, migrationVersion: undefined, options: { file, severities } };
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const disposable of this.disposables) disposable.dispose();
    this.collection.dispose();
  }
}

interface LintTarget {
  project: MigrationProject | undefined;
  migrationVersion: string | undefined;
  options: LintOptions;
}

/** downOf is the `.down.sql` half of a pair as the editor has it (unsaved edits included), else as on disk. */
async function downOf(migration: MigrationFile): Promise<{ text: string } | null> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === migration.downFile);
  if (open) return { text: open.getText() };
  try {
    return { text: await readFile(migration.downFile!, 'utf8') };
  } catch {
    return null;
  }
}

/** editedSinceApplied: the text's UP section no longer has the applied checksum (false when its sections cannot be read). */
function editedSinceApplied(text: string, file: string, checksum: string): boolean {
  const sections = splitSections(text, file);
  return sections.ok && checksumOf(sections.up.text) !== checksum;
}

function isSql(document: vscode.TextDocument): boolean {
  return document.languageId === 'sql' || document.uri.path.endsWith('.sql');
}
