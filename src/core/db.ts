import type pg from 'pg';
import { StrataError } from './errors';

/** APPLICATION_NAME is how every Strata session identifies itself in pg_stat_activity. */
export const APPLICATION_NAME = 'strata';

/** ConnectionTarget is where to connect: a URL, or null to use the standard PG* environment variables. */
export interface ConnectionTarget {
  url: string | null;
  /** source says where the target came from, for messages ("--url", "DATABASE_URL", "PG* environment"). */
  source: string;
  /** database overrides PGDATABASE when there is no URL (a scratch database on the same server). */
  database?: string | undefined;
}

/**
 * resolveConnectionTarget picks the database the way the CLI documents it: an explicit URL, else
 * DATABASE_URL, else POSTGRES_URL (from the environment, then from the project's .env), else the
 * standard PG* variables that pg reads itself.
 */
export function resolveConnectionTarget(
  explicitUrl: string | null | undefined,
  env: Record<string, string | undefined>,
  dotenv: Record<string, string> = {},
): ConnectionTarget {
  if (explicitUrl) return checkedTarget(explicitUrl, '--url');
  for (const name of ['DATABASE_URL', 'POSTGRES_URL']) {
    const value = env[name];
    if (value) return checkedTarget(value, name);
  }
  for (const name of ['DATABASE_URL', 'POSTGRES_URL']) {
    const value = dotenv[name];
    if (value) return checkedTarget(value, `${name} in .env`);
  }
  return { url: null, source: 'PG* environment' };
}

/**
 * checkedTarget accepts only postgres:// and postgresql:// URLs that parse. Anything else is refused
 * without echoing it, because a malformed URL is where a password is most likely to be misread
 * (`user:secret@host/db` parses with "user:" as its scheme, and pg would take it for a database name).
 */
export function checkedTarget(url: string, source: string): ConnectionTarget {
  if (!parsePostgresUrl(url)) {
    throw new StrataError(
      'invalid-argument',
      `The connection URL in ${source} is not a valid postgres:// URL (expected postgres://user:password@host:port/database; ` +
        `characters such as # @ / ? in the password must be percent-encoded, e.g. # as %23).`,
      { source },
    );
  }
  return { url, source };
}

/**
 * parsePostgresUrl parses a postgres:// or postgresql:// URL, or returns null. pg also accepts an empty
 * host with the socket directory in `?host=` (postgres://user:pw@/db?host=/var/run/postgresql), which
 * the WHATWG parser rejects, so such a URL is read with a placeholder host.
 */
export function parsePostgresUrl(url: string): URL | null {
  for (const candidate of [url, url.replace(/^(postgres(?:ql)?:\/\/[^/?#]*@)\//, '$1localhost/')]) {
    try {
      const parsed = new URL(candidate);
      if (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:') return parsed;
    } catch {
      // try the next reading
    }
  }
  return null;
}

/** redactUrl hides the password of a connection URL, keeping everything else readable. */
export function redactUrl(url: string): string {
  const parsed = parsePostgresUrl(url);
  if (!parsed || url.includes('@/')) {
    // Not a URL we can rebuild faithfully: hide anything that looks like a password value.
    return url.replace(/(password\s*=\s*)([^&\s]+)/gi, '$1***').replace(/:[^@/:]*@/g, ':***@');
  }
  if (parsed.password) parsed.password = '***';
  for (const key of ['password', 'sslpassword']) {
    if (parsed.searchParams.has(key)) parsed.searchParams.set(key, '***');
  }
  return parsed.toString();
}

/** redactSecrets removes every known secret from a message before it is shown or logged. */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 1) continue;
    result = result.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) result = result.split(encoded).join('***');
  }
  return result;
}

/** passwordOf returns the password embedded in a connection URL, or null. */
export function passwordOf(url: string | null): string | null {
  const parsed = url ? parsePostgresUrl(url) : null;
  if (!parsed) return null;
  return parsed.password ? decodeURIComponent(parsed.password) : parsed.searchParams.get('password');
}

/** urlWithPassword puts a password into a postgres URL that has none; a URL with its own password is kept. */
export function urlWithPassword(url: string, password: string): string {
  const parsed = parsePostgresUrl(url);
  if (!parsed || url.includes('@/') || parsed.password !== '' || parsed.searchParams.has('password')) return url;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** describeTarget names a connection target for messages, without its password. */
export function describeTarget(target: ConnectionTarget, env: Record<string, string | undefined> = {}): string {
  if (target.url) return redactUrl(target.url);
  const host = env.PGHOST ?? 'localhost';
  const port = env.PGPORT ?? '5432';
  const db = target.database ?? env.PGDATABASE ?? env.PGUSER ?? 'postgres';
  return `postgres://${host}:${port}/${db} (from PG* environment)`;
}

/** ConnectOptions tunes a new session. */
export interface ConnectOptions {
  password?: string | null;
  connectTimeoutMs?: number;
  applicationName?: string;
  env?: Record<string, string | undefined>;
  /** pipeline lets the session send queries without waiting for earlier answers (one round trip per migration). */
  pipeline?: boolean;
}

/** clientConfig is the pg configuration for a target: application_name set, password from SecretStorage when given. */
export function clientConfig(target: ConnectionTarget, options: ConnectOptions = {}): pg.ClientConfig {
  const config: pg.ClientConfig = {
    application_name: options.applicationName ?? APPLICATION_NAME,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  };
  // pg lets a connection string override a separately given password (even an empty one), so a
  // password kept apart (SecretStorage) goes into the URL when the URL has none.
  if (target.url) config.connectionString = options.password ? urlWithPassword(target.url, options.password) : target.url;
  else if (target.database) config.database = target.database;
  if (options.password) config.password = options.password;
  // `pipeline` is newer than the type definitions of pg.
  if (options.pipeline) Object.assign(config, { pipeline: true });
  return config;
}

/** lost holds why a session ended while no query was running (the server's message, e.g. "terminating connection due to administrator command"). */
const lost = new WeakMap<pg.Client, Error>();

/**
 * connect opens a session and turns every way that can fail into a message that names the target
 * (password hidden) and says what went wrong.
 */
export async function connect(target: ConnectionTarget, options: ConnectOptions = {}): Promise<pg.Client> {
  let client: pg.Client | null = null;
  try {
    // pg is loaded on the first connection, not at startup: commands that never connect (lint,
    // create, help) and the extension's activation should not pay for it.
    const { default: postgres } = await import('pg');
    client = new postgres.Client(clientConfig(target, options));
    // A connection lost later is reported by the query that was running; without a listener the
    // 'error' event would crash the process. Lost between queries (the session ended by the server or
    // an administrator), the next query only fails with a socket error: the reason is kept for lostReason.
    const session = client;
    session.on('error', (error: Error) => {
      if (!lost.has(session)) lost.set(session, error);
    });
    await client.connect();
    return client;
  } catch (error) {
    await client?.end().catch(() => undefined);
    throw connectionError(target, error, options);
  }
}

/**
 * lostConnection turns an error of a session that was ended by the server, or whose socket failed, into
 * one that says so and names the target (password hidden); null when the session did not report such
 * an end, and the error stands as it is.
 */
export function lostConnection(client: pg.Client, target: ConnectionTarget, env: Record<string, string | undefined>): StrataError | null {
  const reason = lost.get(client);
  if (!reason) return null;
  return new StrataError('connection-failed', redactSecrets(`the connection to ${describeTarget(target, env)} was lost: ${reason.message}`, [passwordOf(target.url)]));
}

function connectionError(target: ConnectionTarget, error: unknown, options: ConnectOptions): StrataError {
  const where = describeTarget(target, options.env);
  const secrets = [passwordOf(target.url), options.password];
  const raw = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  let reason = raw;
  if (code === 'ECONNREFUSED') reason = 'connection refused (is the server running and accepting TCP connections?)';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') reason = 'host not found';
  else if (code === '28P01') reason = `${raw} (check the password or the connection's user)`;
  else if (code === '3D000') reason = raw;
  const noPassword = /password must be a string/.test(raw);
  if (noPassword) reason = 'the server asks for a password and none was given (set it in the URL, PGPASSWORD or ~/.pgpass)';
  else if (/timeout/i.test(raw)) reason = `no answer within ${options.connectTimeoutMs ?? 10_000} ms`;
  return new StrataError('connection-failed', redactSecrets(`could not connect to ${where} (${target.source}): ${reason}`, secrets), {
    sqlstate: code ?? null,
    reason: noPassword ? 'no-password' : null,
  });
}

/** quoteIdentifier quotes a name for SQL; every identifier that comes from configuration passes through it. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\u0000')) throw new StrataError('invalid-argument', 'identifiers cannot contain NUL characters');
  return `"${name.replace(/"/g, '""')}"`;
}

/** qualifiedName is schema.table, both quoted. */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}

/** cancelBackend asks the server to cancel what a session is running, from a separate short-lived session. */
export async function cancelBackend(target: ConnectionTarget, pid: number, options: ConnectOptions = {}): Promise<void> {
  const client = await connect(target, options);
  try {
    await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await client.end().catch(() => undefined);
  }
}
