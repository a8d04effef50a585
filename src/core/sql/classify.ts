/**
 * What a parsed statement means for transactions: whether it is transaction control written at the
 * top level of a file, and whether PostgreSQL refuses to run it inside a transaction block.
 */
import type {
  AlterDatabaseStmt,
  AlterSubscriptionStmt,
  AlterTableStmt,
  ClusterStmt,
  CreateSubscriptionStmt,
  DefElem,
  DiscardStmt,
  DropStmt,
  IndexStmt,
  Node,
  ReindexStmt,
  TransactionStmt,
  TransactionStmtKind,
  VacuumStmt,
} from 'libpg-query';
import type { SqlStatement } from './parser';

/** TransactionControl is what a top-level transaction statement does. */
export type TransactionControl =
  | 'begin'
  | 'commit'
  | 'rollback'
  | 'savepoint'
  | 'release'
  | 'rollback-to'
  | 'prepare'
  | 'commit-prepared'
  | 'rollback-prepared';

/** The statement nodes this module looks into, by node type name. */
interface StatementNode {
  TransactionStmt?: TransactionStmt;
  IndexStmt?: IndexStmt;
  DropStmt?: DropStmt;
  ReindexStmt?: ReindexStmt;
  VacuumStmt?: VacuumStmt;
  ClusterStmt?: ClusterStmt;
  AlterTableStmt?: AlterTableStmt;
  AlterDatabaseStmt?: AlterDatabaseStmt;
  DiscardStmt?: DiscardStmt;
  CreateSubscriptionStmt?: CreateSubscriptionStmt;
  AlterSubscriptionStmt?: AlterSubscriptionStmt;
}

// BEGIN [WORK|TRANSACTION], START TRANSACTION; COMMIT, END; ROLLBACK, ABORT: the grammar folds the spellings.
const CONTROL: Record<TransactionStmtKind, TransactionControl> = {
  TRANS_STMT_BEGIN: 'begin',
  TRANS_STMT_START: 'begin',
  TRANS_STMT_COMMIT: 'commit',
  TRANS_STMT_ROLLBACK: 'rollback',
  TRANS_STMT_SAVEPOINT: 'savepoint',
  TRANS_STMT_RELEASE: 'release',
  TRANS_STMT_ROLLBACK_TO: 'rollback-to',
  TRANS_STMT_PREPARE: 'prepare',
  TRANS_STMT_COMMIT_PREPARED: 'commit-prepared',
  TRANS_STMT_ROLLBACK_PREPARED: 'rollback-prepared',
};

/** transactionControlOf returns what a top-level transaction statement does (BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, SAVEPOINT ...), or null for any other statement. */
export function transactionControlOf(stmt: SqlStatement): TransactionControl | null {
  const kind = (stmt.node as StatementNode | null)?.TransactionStmt?.kind;
  return kind ? CONTROL[kind] : null;
}

/**
 * nonTransactionalReason returns a short human label (e.g. 'CREATE INDEX CONCURRENTLY', 'VACUUM',
 * 'CREATE DATABASE', 'ALTER SYSTEM') when PostgreSQL refuses to run the statement inside a
 * transaction block, else null.
 *
 * The cases and labels are PostgreSQL's own callers of PreventInTransactionBlock (PostgreSQL 14-18),
 * so a label reads like the server's "<label> cannot run inside a transaction block". Cases that depend
 * on the catalog are decided from the text alone: DROP SUBSCRIPTION is assumed to have a replication
 * slot (the usual case); CLUSTER or REINDEX TABLE/INDEX on a partitioned table cannot be seen here.
 * ALTER TYPE ... ADD VALUE is allowed in a transaction since PostgreSQL 12, and plain ANALYZE always.
 */
export function nonTransactionalReason(stmt: SqlStatement): string | null {
  const n = stmt.node as StatementNode | null;
  if (!n) return null;
  if (n.IndexStmt) return n.IndexStmt.concurrent ? 'CREATE INDEX CONCURRENTLY' : null;
  if (n.DropStmt) return n.DropStmt.removeType === 'OBJECT_INDEX' && n.DropStmt.concurrent ? 'DROP INDEX CONCURRENTLY' : null;
  if (n.ReindexStmt) return reindexReason(n.ReindexStmt);
  if (n.VacuumStmt) return n.VacuumStmt.is_vacuumcmd ? 'VACUUM' : null; // ANALYZE shares the node
  if (n.ClusterStmt) return n.ClusterStmt.relation ? null : 'CLUSTER'; // every clustered table, each in its own transaction
  if (n.AlterTableStmt) return detachesConcurrently(n.AlterTableStmt) ? 'ALTER TABLE ... DETACH CONCURRENTLY' : null;
  if (n.AlterDatabaseStmt) return option(n.AlterDatabaseStmt.options, 'tablespace') ? 'ALTER DATABASE SET TABLESPACE' : null;
  if (n.DiscardStmt) return n.DiscardStmt.target === 'DISCARD_ALL' ? 'DISCARD ALL' : null;
  if (n.CreateSubscriptionStmt) return createsSlot(n.CreateSubscriptionStmt) ? 'CREATE SUBSCRIPTION ... WITH (create_slot = true)' : null;
  if (n.AlterSubscriptionStmt) return alterSubscriptionReason(n.AlterSubscriptionStmt);
  if (n.TransactionStmt) {
    const kind = n.TransactionStmt.kind;
    return kind === 'TRANS_STMT_COMMIT_PREPARED' ? 'COMMIT PREPARED' : kind === 'TRANS_STMT_ROLLBACK_PREPARED' ? 'ROLLBACK PREPARED' : null;
  }
  return ALWAYS[stmt.kind ?? ''] ?? null;
}

/** Statements that never run in a transaction block, whatever their options. */
const ALWAYS: Record<string, string> = {
  CreatedbStmt: 'CREATE DATABASE',
  DropdbStmt: 'DROP DATABASE',
  CreateTableSpaceStmt: 'CREATE TABLESPACE',
  DropTableSpaceStmt: 'DROP TABLESPACE',
  AlterSystemStmt: 'ALTER SYSTEM',
  DropSubscriptionStmt: 'DROP SUBSCRIPTION',
};

function reindexReason(stmt: ReindexStmt): string | null {
  // ExecReindex checks CONCURRENTLY first, then the forms that commit once per table.
  if (flag(stmt.params, 'concurrently', false)) return 'REINDEX CONCURRENTLY';
  if (stmt.kind === 'REINDEX_OBJECT_SCHEMA') return 'REINDEX SCHEMA';
  if (stmt.kind === 'REINDEX_OBJECT_SYSTEM') return 'REINDEX SYSTEM';
  if (stmt.kind === 'REINDEX_OBJECT_DATABASE') return 'REINDEX DATABASE';
  return null;
}

function detachesConcurrently(stmt: AlterTableStmt): boolean {
  return (stmt.cmds ?? []).some((cmd) => {
    if (!('AlterTableCmd' in cmd) || cmd.AlterTableCmd.subtype !== 'AT_DetachPartition') return false;
    const def = cmd.AlterTableCmd.def;
    return def !== undefined && 'PartitionCmd' in def && def.PartitionCmd.concurrent === true;
  });
}

/** createsSlot: create_slot defaults to true, and connect = false turns that default off. */
function createsSlot(stmt: CreateSubscriptionStmt): boolean {
  return flag(stmt.options, 'connect', true) && flag(stmt.options, 'create_slot', true);
}

function alterSubscriptionReason(stmt: AlterSubscriptionStmt): string | null {
  switch (stmt.kind) {
    case 'ALTER_SUBSCRIPTION_REFRESH':
      return 'ALTER SUBSCRIPTION ... REFRESH';
    case 'ALTER_SUBSCRIPTION_SET_PUBLICATION':
    case 'ALTER_SUBSCRIPTION_ADD_PUBLICATION':
    case 'ALTER_SUBSCRIPTION_DROP_PUBLICATION':
      return flag(stmt.options, 'refresh', true) ? 'ALTER SUBSCRIPTION with refresh' : null;
    case 'ALTER_SUBSCRIPTION_OPTIONS':
      // Changing these alters the replication slot on the publisher, which cannot be rolled back.
      if (option(stmt.options, 'failover')) return 'ALTER SUBSCRIPTION ... SET (failover)';
      if (option(stmt.options, 'two_phase') && !flag(stmt.options, 'two_phase', true)) return 'ALTER SUBSCRIPTION ... SET (two_phase)';
      return null;
    default:
      return null;
  }
}

/** option finds a DefElem by name (the grammar lower-cases option names). */
function option(options: Node[] | undefined, name: string): DefElem | undefined {
  for (const o of options ?? []) if ('DefElem' in o && o.DefElem.defname === name) return o.DefElem;
  return undefined;
}

/** flag reads a boolean option like PostgreSQL's defGetBoolean; absent or unreadable gives `fallback`. */
function flag(options: Node[] | undefined, name: string, fallback: boolean): boolean {
  const def = option(options, name);
  if (!def) return fallback;
  const arg = def.arg;
  if (!arg) return true; // a bare option name means true
  if ('Integer' in arg) {
    const value = arg.Integer.ival ?? 0; // the JSON omits zero values
    return value === 0 ? false : value === 1 ? true : fallback;
  }
  if ('Boolean' in arg) return arg.Boolean.boolval ?? false;
  if ('String' in arg) {
    const word = (arg.String.sval ?? '').toLowerCase();
    if (word === 'true' || word === 'on') return true;
    if (word === 'false' || word === 'off') return false;
  }
  return fallback; // PostgreSQL rejects the value when it runs; keep the default meaning
}
