/** ConnectionSetting is one entry of the `strata.connections` setting, as the user wrote it. */
export interface ConnectionSetting {
  name?: unknown;
  url?: unknown;
  host?: unknown;
  port?: unknown;
  database?: unknown;
  user?: unknown;
  ssl?: unknown;
  production?: unknown;
}

/** ConnectionOrigin says where a connection was found. */
export type ConnectionOrigin = 'settings' | 'environment' | '.env';

/** Connection is a database the user can select: from settings, the environment or the project's .env. */
export interface Connection {
  /** id is stable across sessions: `settings:<name>`, `environment:DATABASE_URL`, `.env:DATABASE_URL`. */
  id: string;
  /** name is what the status bar and quick pick show. */
  name: string;
  origin: ConnectionOrigin;
  /** url is the connection URL; null means the standard PG* environment variables. */
  url: string | null;
  production: boolean;
  /** secretKey is where its password lives in SecretStorage (settings connections only). */
  secretKey: string | null;
  /** problem explains a setting that cannot be used (no name, neither url nor host). */
  problem: string | null;
}

/** secretKeyFor is the SecretStorage key of a settings connection's password. */
export function secretKeyFor(name: string): string {
  return `strata.password:${name}`;
}

/**
 * fromSetting turns one `strata.connections` entry into a Connection. host/port/database/user become a
 * URL without password; the password comes from SecretStorage when connecting.
 */
export function fromSetting(setting: ConnectionSetting, index: number): Connection {
  const name = typeof setting.name === 'string' && setting.name.trim() !== '' ? setting.name.trim() : `connection ${index + 1}`;
  const base = { id: `settings:${name}`, name, origin: 'settings' as const, production: setting.production === true, secretKey: secretKeyFor(name) };
  if (typeof setting.url === 'string' && setting.url.trim() !== '') {
    return { ...base, url: withSsl(setting.url.trim(), setting.ssl), problem: null };
  }
  if (typeof setting.host !== 'string' || setting.host.trim() === '') {
    return { ...base, url: null, problem: `The connection "${name}" in settings (strata.connections) needs a "url" or a "host".` };
  }
  const url = new URL('postgres://localhost');
  url.hostname = setting.host.trim();
  if (typeof setting.port === 'number' || (typeof setting.port === 'string' && setting.port !== '')) url.port = String(setting.port);
  if (typeof setting.user === 'string') url.username = encodeURIComponent(setting.user);
  url.pathname = `/${encodeURIComponent(typeof setting.database === 'string' ? setting.database : 'postgres')}`;
  return { ...base, url: withSsl(url.toString(), setting.ssl), problem: null };
}

/** withSsl adds `sslmode=require` when the setting asks for SSL and the URL does not say already. */
function withSsl(url: string, ssl: unknown): string {
  if (ssl !== true) return url;
  try {
    const parsed = new URL(url);
    if (!parsed.searchParams.has('sslmode') && !parsed.searchParams.has('ssl')) parsed.searchParams.set('sslmode', 'require');
    return parsed.toString();
  } catch {
    return url; // reported as an invalid URL when connecting
  }
}

/** fromEnvironment lists DATABASE_URL / POSTGRES_URL from the extension host's environment, then the .env file. */
export function fromEnvironment(env: Record<string, string | undefined>, dotenv: Record<string, string>): Connection[] {
  const found: Connection[] = [];
  for (const [origin, values] of [['environment', env], ['.env', dotenv]] as const) {
    for (const key of ['DATABASE_URL', 'POSTGRES_URL']) {
      const url = values[key];
      if (!url) continue;
      const name = origin === 'environment' ? key : `${key} (.env)`;
      found.push({ id: `${origin}:${key}`, name, origin, url, production: false, secretKey: null, problem: null });
    }
  }
  return found;
}

/** hasPasswordInUrl is true for a URL that carries its password (which belongs in SecretStorage). */
export function hasPasswordInUrl(url: string | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.password !== '' || parsed.searchParams.has('password');
  } catch {
    return false;
  }
}

/**
 * withPassword puts a password from SecretStorage into a connection URL that has none. (pg lets a
 * connection string override a separately given password, even with an empty one; see the report.)
 */
export function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '' || parsed.searchParams.has('password')) return url;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** withoutPassword is the URL with its password removed. */
export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  parsed.searchParams.delete('password');
  return parsed.toString();
}

/**
 * defaultConnection picks a connection when the user has not chosen one: the environment and .env
 * first (the project's local database), then settings connections not flagged production. A production
 * connection is never chosen silently.
 */
export function defaultConnection(connections: readonly Connection[]): Connection | null {
  const usable = connections.filter((connection) => connection.problem === null);
  return usable.find((c) => c.origin !== 'settings') ?? usable.find((c) => !c.production) ?? null;
}
