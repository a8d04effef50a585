import type * as vscode from 'vscode';
import type { Connections } from './connections/connections';
import type { RunDiagnostics } from './diagnostics/runDiagnostics';
import type { ReadOnlyDocuments } from './documents';
import type { Output } from './output';
import type { Projects } from './project/projects';

/** Services are the long-lived parts that commands, the tree and the status bar share. */
export interface Services {
  context: vscode.ExtensionContext;
  output: Output;
  connections: Connections;
  projects: Projects;
  runDiagnostics: RunDiagnostics;
  documents: ReadOnlyDocuments;
}
