import type { MigrationStatus } from '../../core/types';
import type { MigrationProject } from '../project/project';

/** GroupKind is a section of a folder's tree. `files` lists migrations whose database state is unknown. */
export type GroupKind = 'pending' | 'applied' | 'problems' | 'files';

/** FolderNode is a workspace folder (shown only in multi-root workspaces). */
export interface FolderNode {
  kind: 'folder';
  project: MigrationProject;
}

/** GroupNode is Pending, Applied, Problems, or Migrations (state unknown). */
export interface GroupNode {
  kind: 'group';
  project: MigrationProject;
  group: GroupKind;
  statuses: MigrationStatus[];
}

/** MigrationNode is one migration (or one unusable .sql file). */
export interface MigrationNode {
  kind: 'migration';
  project: MigrationProject;
  status: MigrationStatus;
  /** known is false when the database could not be read: the state is then unknown. */
  known: boolean;
}

/** MessageNode explains a problem in place (config error, unreachable database) and offers the fix. */
export interface MessageNode {
  kind: 'message';
  project: MigrationProject;
  id: string;
  label: string;
  tooltip: string;
  icon: 'error' | 'warning' | 'info';
  command: { command: string; title: string; arguments?: unknown[] } | null;
}

/** TreeNode is every element of the migrations tree; commands receive MigrationNode and FolderNode. */
export type TreeNode = FolderNode | GroupNode | MigrationNode | MessageNode;
