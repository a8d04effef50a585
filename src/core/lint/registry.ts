/**
 * Every lint rule, one line each, by family in the order they are documented. A rule's file is named
 * after its id and exports its metadata and its check; its page is docs/rules/<id>.md.
 */
import type { LintRule } from './rule';
import * as addColumnIfNotExists from './rules/add-column-if-not-exists';
import * as addValueIfNotExists from './rules/add-value-if-not-exists';
import * as badFileName from './rules/bad-file-name';
import * as changeColumnType from './rules/change-column-type';
import * as checksumDrift from './rules/checksum-drift';
import * as concurrentlyInTransaction from './rules/concurrently-in-transaction';
import * as constraintMissingNotValid from './rules/constraint-missing-not-valid';
import * as createIfNotExists from './rules/create-if-not-exists';
import * as createOrReplace from './rules/create-or-replace';
import * as dropColumn from './rules/drop-column';
import * as dropIfExists from './rules/drop-if-exists';
import * as dropTable from './rules/drop-table';
import * as duplicateVersion from './rules/duplicate-version';
import * as emptyUp from './rules/empty-up';
import * as guardAddConstraint from './rules/guard-add-constraint';
import * as guardCreate from './rules/guard-create';
import * as guardRename from './rules/guard-rename';
import * as incompleteDown from './rules/incomplete-down';
import * as internalError from './rules/internal-error';
import * as invalidSections from './rules/invalid-sections';
import * as missingDown from './rules/missing-down';
import * as notNullWithoutDefault from './rules/not-null-without-default';
import * as orphanDown from './rules/orphan-down';
import * as outOfOrder from './rules/out-of-order';
import * as renameTableOrColumn from './rules/rename-table-or-column';
import * as requireConcurrentIndexCreation from './rules/require-concurrent-index-creation';
import * as requireConcurrentIndexDeletion from './rules/require-concurrent-index-deletion';
import * as requireLockTimeout from './rules/require-lock-timeout';
import * as setNotNull from './rules/set-not-null';
import * as syntaxError from './rules/syntax-error';
import * as transactionControl from './rules/transaction-control';
import * as uniqueConstraintMissingIndex from './rules/unique-constraint-missing-index';
import * as unusedIgnore from './rules/unused-ignore';
import * as volatileDefault from './rules/volatile-default';

/** RULES lists every rule Strata has. */
export const RULES: readonly LintRule[] = [
  // idempotency: a migration that stops half-way can run again
  createIfNotExists,
  createOrReplace,
  addColumnIfNotExists,
  addValueIfNotExists,
  dropIfExists,
  guardCreate,
  guardAddConstraint,
  guardRename,
  // safety: production keeps serving while it runs
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  concurrentlyInTransaction,
  notNullWithoutDefault,
  setNotNull,
  volatileDefault,
  changeColumnType,
  constraintMissingNotValid,
  uniqueConstraintMissingIndex,
  dropColumn,
  dropTable,
  renameTableOrColumn,
  requireLockTimeout,
  // structure: the file and the folder are what the runner expects
  syntaxError,
  invalidSections,
  emptyUp,
  missingDown,
  incompleteDown,
  transactionControl,
  duplicateVersion,
  badFileName,
  orphanDown,
  outOfOrder,
  checksumDrift,
  unusedIgnore,
  internalError,
];
