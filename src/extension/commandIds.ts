/**
 * Command is every command id the extension contributes, in one place. A host test checks this table
 * against `contributes.commands` in package.json, and that every id is registered.
 */
export const Command = {
  create: 'strata.create',
  createMigrationsFolder: 'strata.createMigrationsFolder',
  applyAll: 'strata.applyAll',
  applyNext: 'strata.applyNext',
  applyUpTo: 'strata.applyUpTo',
  rollbackLast: 'strata.rollbackLast',
  rollbackTo: 'strata.rollbackTo',
  plan: 'strata.plan',
  rehearse: 'strata.rehearse',
  verify: 'strata.verify',
  refresh: 'strata.refresh',
  selectConnection: 'strata.selectConnection',
  addConnection: 'strata.addConnection',
  testConnection: 'strata.testConnection',
  setPassword: 'strata.setPassword',
  showAppliedDiff: 'strata.showAppliedDiff',
  acceptChecksum: 'strata.acceptChecksum',
  markApplied: 'strata.markApplied',
  showOutput: 'strata.showOutput',
  showTrackingTable: 'strata.showTrackingTable',
} as const;

/** CommandId is one of the ids in Command. */
export type CommandId = (typeof Command)[keyof typeof Command];

/** VIEW_ID is the migrations tree; CONTAINER_ID its activity-bar container. */
export const VIEW_ID = 'strata.migrations';
export const CONTAINER_ID = 'strata';

/** ContextKey names the `when`-clause keys the extension sets. */
export const ContextKey = {
  /** viewState drives the welcome views: loading, noMigrations, noConnection, untrusted or ready. */
  viewState: 'strata.viewState',
} as const;
