import * as vscode from 'vscode';
import type { MigrationProject } from '../project/project';
import type { Services } from '../services';
import { withSession } from '../session';
import { withConnecting } from './runSupport';
import { requireTrust } from './targets';

/**
 * showTrackingTable tells which tracking table the folder uses (Strata's, or another tool's), how much
 * it says is applied, the folder's layout and whether Strata writes there: `strata adopt` in the editor.
 */
export async function showTrackingTable(services: Services, project: MigrationProject): Promise<void> {
  requireTrust();
  const files = await project.files();
  const connection = await project.connection();
  const adoption = await withConnecting(connection, () =>
    withSession(services.connections, services.output, connection, async (session) => {
      const history = new session.engine.HistoryTable(files.config.schema, files.config.table, { history: files.config.history, set: files.set });
      return session.engine.inspectAdoption(session.client, history, files.set);
    }),
  );
  const { history } = adoption;
  const writes = (refusal: string | null): string => (refusal === null ? 'yes' : `no (${refusal})`);
  const lines = [
    `${project.name}: tracking table ${history.schema}.${history.table} (${history.tool}${history.exists ? '' : ', not created yet'})`,
    `  applied ${adoption.applied} (${adoption.drifted} edited since), pending ${adoption.pending}, failed ${adoption.failed}, file missing ${adoption.missing}`,
    `  checksums: ${history.checksums ?? 'none kept, so edits are not detected'}`,
    `  folder layout: ${adoption.layout}`,
    `  Strata records applies there: ${writes(history.upRefusal)}; rollbacks: ${writes(history.downRefusal)}`,
  ];
  lines.forEach((line) => services.output.info(line));
  const readOnly = history.upRefusal !== null || history.downRefusal !== null ? ' Some runs are read-only: see the output.' : '';
  const summary = `${history.tool}'s table ${history.schema}.${history.table}: ${adoption.applied} applied, ${adoption.pending} pending.${readOnly}`;
  const choice = await vscode.window.showInformationMessage(summary, 'Show Output');
  if (choice === 'Show Output') services.output.show();
}
