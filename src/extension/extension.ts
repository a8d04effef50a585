import * as vscode from 'vscode';
import { MigrationCodeLens } from './codeLens';
import { VIEW_ID } from './commandIds';
import { offerToMovePasswords } from './commands/connectionCommands';
import { registerCommands } from './commands/register';
import { Connections } from './connections/connections';
import { LintActions } from './diagnostics/lintActions';
import { LintDiagnostics } from './diagnostics/lintDiagnostics';
import { RunDiagnostics } from './diagnostics/runDiagnostics';
import { ReadOnlyDocuments } from './documents';
import { Output } from './output';
import { Projects } from './project/projects';
import type { Services } from './services';
import { StatusBar } from './statusBar';
import { MigrationsTree } from './tree/migrationsTree';

/** StrataApi is what activate returns: the parts host tests read (the same objects the UI shows). */
export interface StrataApi {
  /** activationMs is how long activate() took. */
  activationMs: number;
  tree: MigrationsTree;
  projects: Projects;
  statusBar: StatusBar;
  output: Output;
  connections: Connections;
  lint: LintDiagnostics;
}

const MIGRATION_FILES: vscode.DocumentSelector = [{ scheme: 'file', language: 'sql' }, { scheme: 'file', pattern: '**/*.sql' }];

/**
 * activate only wires things up: every part registers into context.subscriptions, and nothing heavy
 * (pg, the SQL parser) loads here; the tree and the commands load it when first needed.
 */
export function activate(context: vscode.ExtensionContext): StrataApi {
  const started = performance.now();
  const output = new Output();
  context.subscriptions.push(output);
  try {
    const connections = new Connections(context);
    const projects = new Projects(connections, output);
    const services: Services = { context, output, connections, projects, runDiagnostics: new RunDiagnostics(), documents: new ReadOnlyDocuments() };
    const tree = new MigrationsTree(projects);
    const codeLens = new MigrationCodeLens(projects);
    const statusBar = new StatusBar(projects);
    const lint = new LintDiagnostics(projects, output, context.extensionUri);
    context.subscriptions.push(
      connections,
      projects,
      services.runDiagnostics,
      services.documents,
      tree,
      vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
      codeLens,
      vscode.languages.registerCodeLensProvider(MIGRATION_FILES, codeLens),
      statusBar,
      lint,
      vscode.languages.registerCodeActionsProvider(MIGRATION_FILES, new LintActions(lint), LintActions.metadata),
      ...registerCommands(services),
      projects.onDidChange((project) => project && void offerToMovePasswords(services, project)),
    );
    const activationMs = performance.now() - started;
    output.info(`Strata activated in ${activationMs.toFixed(1)} ms`);
    return { activationMs, tree, projects, statusBar, output, connections, lint };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.error(`Activation failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    void vscode.window.showErrorMessage(`Strata could not start: ${message}`, 'Show Output').then((picked) => picked && output.show());
    throw error;
  }
}

/** deactivate has nothing to release: everything is in context.subscriptions. */
export function deactivate(): void {}
