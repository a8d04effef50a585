import { createHash } from 'node:crypto';
import type pg from 'pg';
import { StrataError } from './errors';
import type { Logger } from './logger';

/** LockHolder is the session that holds the migration lock, as pg_stat_activity shows it. */
export interface LockHolder {
  pid: number;
  applicationName: string;
  user: string | null;
  clientAddress: string | null;
  /** since is when the holding session connected (PostgreSQL does not record when a lock was granted). */
  since: Date | null;
  state: string | null;
}

/** LockOptions says how long to wait and whom to tell while waiting. */
export interface LockOptions {
  timeoutMs: number;
  logger: Logger;
  onWait?: (holder: LockHolder | null) => void;
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * lockKeyFor derives the advisory lock key from the tracking table's name, so runners of the same
 * table exclude each other and runners of different tables do not. Returned as the two 32-bit
 * halves pg_locks shows (classid, objid) and as the signed 64-bit key pg_try_advisory_lock takes.
 */
export function lockKeyFor(schema: string, table: string): { key: string; classid: string; objid: string } {
  const digest = createHash('sha256').update(`strata:${schema}.${table}`).digest();
  const key = digest.readBigInt64BE(0);
  return { key: key.toString(), classid: String(digest.readUInt32BE(0)), objid: String(digest.readUInt32BE(4)) };
}

/** describeHolder puts a lock holder in words for messages. */
export function describeHolder(holder: LockHolder | null): string {
  if (!holder) return 'another session (it released the lock or is not visible to this user)';
  const parts = [`pid ${holder.pid}`, `application_name '${holder.applicationName}'`];
  if (holder.user) parts.push(`user ${holder.user}`);
  if (holder.clientAddress) parts.push(`from ${holder.clientAddress}`);
  if (holder.since) parts.push(`connected since ${holder.since.toISOString()}`);
  return parts.join(', ');
}

/** findLockHolder returns the session holding the advisory lock, if it can be seen. */
export async function findLockHolder(client: pg.ClientBase, classid: string, objid: string): Promise<LockHolder | null> {
  const result = await client.query<{
    pid: number;
    application_name: string;
    usename: string | null;
    client_addr: string | null;
    backend_start: Date | null;
    state: string | null;
  }>(
    `SELECT a.pid, a.application_name, a.usename, host(a.client_addr) AS client_addr, a.backend_start, a.state
       FROM pg_catalog.pg_locks l
       JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.classid = $1::oid AND l.objid = $2::oid AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      LIMIT 1`,
    [classid, objid],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    pid: row.pid,
    applicationName: row.application_name,
    user: row.usename,
    clientAddress: row.client_addr,
    since: row.backend_start,
    state: row.state,
  };
}

/**
 * withAdvisoryLock runs `work` while holding the session-level advisory lock of a tracking table.
 * It waits up to `timeoutMs`, telling the user who holds the lock; the lock is released when the
 * work ends, and by the server if the process dies.
 */
export async function withAdvisoryLock<T>(
  client: pg.ClientBase,
  lock: { schema: string; table: string },
  options: LockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const { key, classid, objid } = lockKeyFor(lock.schema, lock.table);
  await acquire(client, key, classid, objid, options);
  try {
    return await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
  }
}

async function tryLock(client: pg.ClientBase, key: string): Promise<boolean> {
  const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
  return result.rows[0]?.locked === true;
}

async function acquire(client: pg.ClientBase, key: string, classid: string, objid: string, options: LockOptions): Promise<void> {
  if (await tryLock(client, key)) return;
  const deadline = Date.now() + options.timeoutMs;
  let holder = await findLockHolder(client, classid, objid);
  options.logger.warn(`Waiting up to ${options.timeoutMs} ms for the migration lock held by ${describeHolder(holder)}`);
  options.onWait?.(holder);
  const pollMs = options.pollMs ?? 100;
  for (;;) {
    if (options.signal?.aborted) throw new StrataError('cancelled', 'Cancelled while waiting for the migration lock');
    if (Date.now() >= deadline) {
      throw new StrataError(
        'lock-timeout',
        `Timed out after ${options.timeoutMs} ms waiting for the migration lock held by ${describeHolder(holder)}. ` +
          `Another migration run is in progress; wait for it, or raise "lockTimeout" in strata.json.`,
        { holder },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    if (await tryLock(client, key)) return;
    const current = await findLockHolder(client, classid, objid);
    if (current && current.pid !== holder?.pid) {
      holder = current;
      options.logger.warn(`The migration lock is now held by ${describeHolder(holder)}`);
      options.onWait?.(holder);
    }
  }
}
