import * as vscode from 'vscode';
import type { LintFix } from '../../core/lint/types';
import { Command } from '../commandIds';
import { loadEngine } from '../lazyEngine';
import type { LintDiagnostics, LintedDiagnostic } from './lintDiagnostics';

/** FIX_ALL is the source action that applies every preferred lint fix of a document. */
export const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append('strata');

/**
 * LintActions offers, next to each lint diagnostic: the rule's fixes (its preferred one marked),
 * ignoring the rule for the statement or the file, its docs page and, for checksum drift, the
 * applied diff and accepting the checksum. `source.fixAll.strata` applies every preferred fix whose
 * edits do not overlap another's.
 */
export class LintActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL] };

  constructor(private readonly diagnostics: LintDiagnostics) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    if (!context.only || context.only.contains(vscode.CodeActionKind.QuickFix) || vscode.CodeActionKind.QuickFix.contains(context.only)) {
      for (const diagnostic of context.diagnostics) {
        const linted = this.diagnostics.findingOf(diagnostic);
        if (linted) actions.push(...(await this.quickFixes(document, diagnostic, linted)));
      }
    }
    if (!context.only || FIX_ALL.contains(context.only) || context.only.contains(FIX_ALL)) {
      const fixAll = this.fixAll(document);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  private async quickFixes(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, linted: LintedDiagnostic): Promise<vscode.CodeAction[]> {
    const { finding } = linted;
    // A rule's fix holds only for the text it was computed on; ignoring and the rest still make sense
    // while the next lint is pending, placed by where the diagnostic is shown.
    const actions = linted.version === document.version ? finding.fixes.map((fix) => this.fixAction(document, fix, diagnostic)) : [];
    const engine = await loadEngine();
    const text = document.getText();
    const shown = { rule: finding.rule, start: document.offsetAt(diagnostic.range.start) };
    actions.push(this.fixAction(document, { ...engine.ignoreFix(text, shown, 'statement'), title: `Ignore ${finding.rule} for this statement` }, diagnostic));
    actions.push(this.fixAction(document, { ...engine.ignoreFix(text, shown, 'file'), title: `Ignore ${finding.rule} for this file` }, diagnostic));
    if (finding.rule === 'checksum-drift' && linted.project && linted.migrationVersion) {
      const arg = { folder: linted.project.folder.uri.toString(), version: linted.migrationVersion };
      // The tree reads the history without applied scripts, so the finding may not list the diff; the command reads the script itself.
      actions.push(commandAction('Show applied diff', Command.showAppliedDiff, [arg], diagnostic));
      if (finding.actions.includes('accept-checksum')) actions.push(commandAction('Accept current checksum', Command.acceptChecksum, [arg], diagnostic));
    }
    actions.push(commandAction(`Open docs for ${finding.rule}`, 'vscode.open', [this.diagnostics.docsUri(finding.rule)], diagnostic));
    return actions;
  }

  private fixAction(document: vscode.TextDocument, fix: LintFix, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.edit = workspaceEdit(document, fix.edits);
    action.diagnostics = [diagnostic];
    action.isPreferred = fix.preferred;
    return action;
  }

  /** fixAll gathers the preferred fixes of the document's current diagnostics, skipping any that overlaps one already taken. */
  private fixAll(document: vscode.TextDocument): vscode.CodeAction | undefined {
    const taken: LintFix['edits'] = [];
    for (const diagnostic of this.diagnostics.diagnosticsOf(document.uri)) {
      const linted = this.diagnostics.findingOf(diagnostic);
      if (!linted || linted.version !== document.version) continue;
      const fix = linted.finding.fixes.find((candidate) => candidate.preferred);
      if (!fix || fix.edits.some((edit) => taken.some((other) => overlaps(edit, other)))) continue;
      taken.push(...fix.edits);
    }
    if (taken.length === 0) return undefined;
    const action = new vscode.CodeAction('Fix all Strata lint findings', FIX_ALL);
    action.edit = workspaceEdit(document, taken);
    return action;
  }
}

/** overlaps: two edits touch the same text, or insert at the same place (their order would be ambiguous). */
function overlaps(a: LintFix['edits'][number], b: LintFix['edits'][number]): boolean {
  if (a.start === b.start) return true;
  return a.start < b.end && b.start < a.end;
}

function workspaceEdit(document: vscode.TextDocument, edits: LintFix['edits']): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const change of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
  return edit;
}

function commandAction(title: string, command: string, args: unknown[], diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.command = { title, command, arguments: args };
  action.diagnostics = [diagnostic];
  return action;
}
