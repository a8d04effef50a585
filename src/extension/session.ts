import type pg from 'pg';
import type { ConnectionTarget } from '../core/db';
import { StrataError } from '../core/errors';
import { withPassword, type Connection } from './connections/connection';
import type { Connections } from './connections/connections';
import { loadEngine, type Engine } from './lazyEngine';
import type { Output } from './output';
import { isStrataError } from './strataError';

/** Session is one open database session for a command, with everything needed to cancel and close it. */
export interface Session {
  engine: Engine;
  client: pg.Client;
  target: ConnectionTarget;
  connection: Connection;
  /** cancelBackend cancels what a server process runs, from a second short-lived session. */
  cancelBackend(pid: number): Promise<void>;
  close(): Promise<void>;
}

/** SessionOptions: `pipeline` for runs (one round trip per migration, as the CLI does). */
export interface SessionOptions {
  pipeline?: boolean;
}

/**
 * openSession connects to a connection: the URL is checked by the engine, the password comes from
 * SecretStorage, both are registered with the output channel as secrets before anything is logged, and
 * every query the session sends is written to the log with its time.
 */
export async function openSession(connections: Connections, output: Output, connection: Connection, options: SessionOptions = {}): Promise<Session> {
  if (connection.problem) throw new StrataError('config-invalid', connection.problem);
  const engine = await loadEngine();
  const password = await connections.password(connection);
  output.addSecrets(engine.redactSecrets, [connection.url ? engine.passwordOf(connection.url) : null, password, process.env.PGPASSWORD]);
  const target = targetOf(engine, connection, password);
  const connectOptions = { password, env: process.env };
  const started = performance.now();
  const client = await engine.connect(target, { ...connectOptions, pipeline: options.pipeline === true }).catch((error: unknown) => {
    throw explainMissingPassword(error, connection, password);
  });
  output.info(`Connected to ${describe(engine, target)} (${connection.name}) in ${Math.round(performance.now() - started)} ms`);
  logQueries(client, output);
  return {
    engine,
    client,
    target,
    connection,
    cancelBackend: (pid) => engine.cancelBackend(target, pid, connectOptions),
    close: () => client.end().catch(() => undefined),
  };
}

/**
 * explainMissingPassword turns the engine's "no password" connection failure (the server asked for a
 * password and there was none) into advice to set one; other errors pass through.
 */
function explainMissingPassword(error: unknown, connection: Connection, password: string | null): unknown {
  if (password || !connection.secretKey || !isStrataError(error) || error.details.reason !== 'no-password') return error;
  return new StrataError(
    'connection-failed',
    `${connection.name} needs a password and none is stored: run "Strata: Set Connection Password".`,
    { ...error.details, sqlstate: '28P01', reason: 'no-password' },
  );
}

/**
 * targetOf is the engine's connection target for a connection, with the stored password when there is
 * one; the URL is validated without echoing it.
 */
export function targetOf(engine: Engine, connection: Connection, password: string | null = null): ConnectionTarget {
  const source = connection.origin === 'settings' ? `connection "${connection.name}" in settings` : connection.name;
  if (connection.url === null) return { url: null, source: 'PG* environment' };
  const checked = engine.checkedTarget(connection.url, source);
  return password ? { ...checked, url: withPassword(connection.url, password) } : checked;
}

/** describe names a target for the log and for tooltips, password hidden. */
export function describe(engine: Engine, target: ConnectionTarget): string {
  return target.url ? engine.redactUrl(target.url) : 'the PG* environment variables';
}

/** withSession opens a session, hands it to work, and always closes it. */
export async function withSession<T>(
  connections: Connections,
  output: Output,
  connection: Connection,
  work: (session: Session) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> {
  const session = await openSession(connections, output, connection, options);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

const SHOWN_SQL = 160;

/** logQueries writes each query to the log as it completes: its time, its first characters, and whether it failed. */
function logQueries(client: pg.Client, output: Output): void {
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  const wrapped = (...args: unknown[]): unknown => {
    const text = queryText(args[0]);
    const started = performance.now();
    const result = original(...args);
    if (text !== null && isThenable(result)) {
      const took = (): string => `${Math.round(performance.now() - started)} ms`;
      result.then(
        () => {
          output.info(`sql (${took()}): ${shorten(text)}`);
          // The whole text of long statements (a migration's section) at trace level: Output > Set Log Level.
          if (text.length > SHOWN_SQL) output.trace(text);
        },
        (error: unknown) => output.warn(`sql failed (${took()}): ${shorten(text)}: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
    return result;
  };
  Object.assign(client, { query: wrapped });
}

function queryText(query: unknown): string | null {
  if (typeof query === 'string') return query;
  if (typeof query === 'object' && query !== null && typeof (query as { text?: unknown }).text === 'string') return (query as { text: string }).text;
  return null;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** shorten keeps a query on one line of the log. */
function shorten(sql: string): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length > SHOWN_SQL ? `${line.slice(0, SHOWN_SQL - 1)}…` : line;
}
