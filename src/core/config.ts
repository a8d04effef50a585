import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { StrataError } from './errors';
import { lineColumnAt, stripBom } from './text';
import type { NamingScheme } from './types';
import { HISTORY_CHOICES, type HistoryChoice } from './adapters/adapter';

/** LintSeverity is what a project can set a lint rule to. */
export type LintSeverity = 'off' | 'info' | 'warning' | 'error';

/** ProjectConfig is `strata.json` with defaults applied and paths made absolute. */
export interface ProjectConfig {
  /** root is the absolute project folder the config belongs to. */
  root: string;
  /** configFile is the absolute path of the file read, or null when there is none. */
  configFile: string | null;
  /** migrationsDir is absolute, as configured; null means detect it (resolveMigrationsDir). */
  migrationsDir: string | null;
  naming: NamingScheme | null;
  /** template is the absolute path of the project's migration template. */
  template: string | null;
  schema: string;
  table: string;
  outOfOrder: boolean;
  lockTimeoutMs: number;
  statementTimeoutMs: number | null;
  lint: Record<string, LintSeverity>;
  /** history is the tracking table's format: `auto` detects it from the table's shape (README, Adopting a project). */
  history: HistoryChoice;
  /** productionHosts are database hosts (`host` or `host:port`) the CLI treats as production: it confirms, or wants --yes. */
  productionHosts: string[];
}

/** CONFIG_FILE is the name of the project configuration file at the project root. */
export const CONFIG_FILE = 'strata.json';

/** DETECTED_MIGRATION_DIRS are searched in this order when `migrationsDir` is not set. */
export const DETECTED_MIGRATION_DIRS = [
  'migrations',
  'db/migrations',
  'database/migrations',
  'server/database/migrations',
  'src/database/migrations',
  'src/db/migrations',
  'ops/migrations/sql',
  'prisma/migrations',
  'db/migration',
  'src/main/resources/db/migration',
] as const;

const KEYS = ['$schema', 'migrationsDir', 'naming', 'template', 'schema', 'table', 'outOfOrder', 'lockTimeout', 'statementTimeout', 'lint', 'history', 'productionHosts'] as const;
const SEVERITIES: readonly LintSeverity[] = ['off', 'info', 'warning', 'error'];
/** MAX_TIMEOUT_MS is PostgreSQL's largest timeout setting (INT_MAX milliseconds). */
const MAX_TIMEOUT_MS = 2147483647;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** defaultConfig is the configuration of a project without `strata.json`. */
export function defaultConfig(root: string): ProjectConfig {
  return {
    root: path.resolve(root),
    configFile: null,
    migrationsDir: null,
    naming: null,
    template: null,
    schema: 'public',
    table: 'schema_migrations',
    outOfOrder: false,
    lockTimeoutMs: 60_000,
    statementTimeoutMs: null,
    lint: {},
    history: 'auto',
    productionHosts: [],
  };
}

/**
 * loadConfig reads `strata.json` at root (or options.file, relative to root). A missing default file
 * means defaults; a missing explicit file, bad JSON or a bad value is a StrataError('config-invalid').
 */
export async function loadConfig(root: string, options: { file?: string } = {}): Promise<ProjectConfig> {
  const config = defaultConfig(root);
  const file = path.resolve(config.root, options.file ?? CONFIG_FILE);
  const shown = displayPath(config.root, file);
  const text = await readConfigText(file, shown, options.file !== undefined);
  if (text === null) return config;
  const value = parseJson(text, file, shown);
  if (!isPlainObject(value)) throw invalid(file, null, `${shown} must hold a JSON object ({ ... }), got ${describe(value)}`);
  applyKeys(config, value, file, shown);
  config.configFile = file;
  return config;
}

/** displayPath is how a config file is named in messages: relative to the project when inside it. */
function displayPath(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** readConfigText reads the file; null when the default file does not exist. */
async function readConfigText(file: string, shown: string, explicit: boolean): Promise<string | null> {
  try {
    return stripBom(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return null;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw invalid(file, null, `${shown} ${reason}`);
  }
}

/** parseJson parses the file; on failure the message has the line and column of the first error. */
function parseJson(text: string, file: string, shown: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    // V8 gives a position for some errors only, so the offending offset is found by our own scan.
    const offset = jsonErrorOffset(text);
    const { line, column } = lineColumnAt(text, offset < 0 ? text.length : offset);
    const reason = message
      .replace(/\s*in JSON at position \d+.*$/s, '')
      .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '') // V8 quotes the file; the position says more
      .replace(/\n/g, '\\n')
      .replace(/^Unexpected end of JSON input$/, 'unexpected end of file');
    throw new StrataError('config-invalid', `${shown}:${line}:${column}: invalid JSON: ${reason}`, { file, key: null, line, column });
  }
}

const JSON_LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const JSON_ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** jsonErrorOffset is the offset where text stops being valid JSON, or -1 when it is valid. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const take = (char: string): boolean => {
    if (text[i] !== char) return false;
    i++;
    return true;
  };
  const literal = (): boolean => {
    JSON_LITERAL.lastIndex = i;
    if (!JSON_LITERAL.test(text)) return false;
    i = JSON_LITERAL.lastIndex;
    return true;
  };
  const string = (): boolean => {
    if (!take('"')) return false;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x22) return take('"');
      if (code < 0x20) return false;
      if (code !== 0x5c) continue;
      JSON_ESCAPE.lastIndex = i;
      if (!JSON_ESCAPE.test(text)) return false;
      i = JSON_ESCAPE.lastIndex - 1;
    }
    return false;
  };
  const list = (close: string, item: () => boolean): boolean => {
    i++;
    space();
    if (take(close)) return true;
    for (;;) {
      if (!item()) return false;
      space();
      if (take(close)) return true;
      if (!take(',')) return false;
    }
  };
  const member = (): boolean => {
    space();
    if (!string()) return false;
    space();
    return take(':') && value();
  };
  const value = (): boolean => {
    space();
    if (text[i] === '{') return list('}', member);
    if (text[i] === '[') return list(']', value);
    return text[i] === '"' ? string() : literal();
  };
  if (!value()) return i;
  space();
  return i < text.length ? i : -1;
}

/** invalid builds the error for a bad configuration value. */
function invalid(file: string, key: string | null, message: string): StrataError {
  return new StrataError('config-invalid', message, { file, key });
}

/** isPlainObject is true for a JSON object (not an array or null). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** describe shows a JSON value in a message, shortened when long. */
function describe(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** applyKeys validates every key of the parsed file and stores it into config. */
function applyKeys(config: ProjectConfig, value: Record<string, unknown>, file: string, shown: string): void {
  const fail = (key: string, expected: string, got: unknown): never => {
    throw invalid(file, key, `${shown}: \`${key}\` must be ${expected}, got ${describe(got)}`);
  };
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' && CONNECTION_URL.test(item)) throw invalid(file, key, connectionUrlMessage(shown, key));
    if (!(KEYS as readonly string[]).includes(key)) throw invalid(file, key, unknownKeyMessage(shown, key));
    applyKey(config, key as (typeof KEYS)[number], item, fail);
  }
}

type Fail = (key: string, expected: string, got: unknown) => never;

/** applyKey validates one known key. */
function applyKey(config: ProjectConfig, key: (typeof KEYS)[number], item: unknown, fail: Fail): void {
  switch (key) {
    case '$schema':
      return;
    case 'migrationsDir':
    case 'template':
      if (typeof item !== 'string' || item.trim() === '') return fail(key, 'a non-empty path (relative to the project folder)', item);
      config[key] = path.resolve(config.root, item);
      return;
    case 'naming':
      if (item !== 'timestamp' && item !== 'sequence') return fail(key, '"timestamp" or "sequence"', item);
      config.naming = item;
      return;
    case 'schema':
    case 'table':
      config[key] = identifier(key, item, fail);
      return;
    case 'outOfOrder':
      if (typeof item !== 'boolean') return fail(key, 'true or false', item);
      config.outOfOrder = item;
      return;
    case 'lockTimeout':
      config.lockTimeoutMs = duration(key, item, fail);
      return;
    case 'statementTimeout':
      config.statementTimeoutMs = item === null ? null : duration(key, item, fail);
      return;
    case 'lint':
      config.lint = lintSettings(item, fail);
      return;
    case 'history':
      if (typeof item !== 'string' || !(HISTORY_CHOICES as readonly string[]).includes(item)) return fail(key, HISTORY_CHOICES.map((c) => `"${c}"`).join(', '), item);
      config.history = item as HistoryChoice;
      return;
    case 'productionHosts':
      if (!Array.isArray(item) || !item.every((host) => typeof host === 'string' && /^[^\s/@]+$/.test(host))) {
        return fail(key, 'a list of host names, e.g. ["db.example.com", "10.0.0.5:5433"]', Array.isArray(item) ? '[…]' : item);
      }
      config.productionHosts = item.map((host: string) => host.toLowerCase());
      return;
  }
}

/** identifier checks a schema or table name: PostgreSQL truncates names beyond 63 bytes and rejects NUL. */
function identifier(key: string, item: unknown, fail: Fail): string {
  if (typeof item !== 'string' || item === '') return fail(key, 'a non-empty name', item);
  if (item.includes('\0')) return fail(key, 'a name without NUL characters', item);
  if (Buffer.byteLength(item, 'utf8') > 63) return fail(key, 'a name of at most 63 bytes (PostgreSQL truncates longer names)', item);
  return item;
}

/** duration reads milliseconds, or a string such as "500ms", "30s", "2min", "1h" (bare digits are ms, as in PostgreSQL). */
function duration(key: string, item: unknown, fail: Fail): number {
  const expected = 'a number of milliseconds or a duration such as "500ms", "30s", "2min"';
  let ms: number;
  if (typeof item === 'number') ms = item;
  else if (typeof item === 'string') {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(item);
    if (!match) return fail(key, expected, item);
    ms = Number(match[1]) * UNIT_MS[(match[2] ?? 'ms').toLowerCase()]!;
  } else return fail(key, expected, item);
  if (!Number.isFinite(ms) || ms < 0) return fail(key, expected, item);
  const rounded = Math.round(ms);
  if (rounded > MAX_TIMEOUT_MS) return fail(key, `at most ${MAX_TIMEOUT_MS} ms (about 24 days)`, item);
  return rounded;
}

/** lintSettings checks `lint`: an object mapping rule ids to a severity. */
function lintSettings(item: unknown, fail: Fail): Record<string, LintSeverity> {
  if (!isPlainObject(item)) return fail('lint', 'an object mapping rule ids to "off", "info", "warning" or "error"', item);
  const lint: Record<string, LintSeverity> = {};
  for (const [rule, severity] of Object.entries(item)) {
    if (!(SEVERITIES as readonly unknown[]).includes(severity)) return fail(`lint.${rule}`, '"off", "info", "warning" or "error"', severity);
    lint[rule] = severity as LintSeverity;
  }
  return lint;
}

/** CONNECTION_URL is how a connection URL (which may carry a password) begins. */
const CONNECTION_URL = /^\s*postgres(?:ql)?:\/\//i;

/** connectionUrlMessage flags a connection URL in the committed config file, without repeating it. */
function connectionUrlMessage(shown: string, key: string): string {
  return `${shown}: \`${key}\` holds a connection URL; ${shown} is meant to be committed and must not name databases or hold passwords. ` +
    'Pass --url, or set DATABASE_URL in the environment or in the project\'s .env (keep .env out of version control).';
}

/** unknownKeyMessage names an unknown key, suggesting the closest known one. */
function unknownKeyMessage(shown: string, key: string): string {
  const known = KEYS.filter((k) => k !== '$schema');
  const suggestion = closest(key, known);
  const hint = suggestion ? `; did you mean \`${suggestion}\`?` : `; known keys: ${known.join(', ')}`;
  return `${shown}: unknown key \`${key}\`${hint}`;
}

/** closest is the candidate nearest to word (ignoring case, '_' and '-'), if near enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | null {
  const simplify = (s: string): string => s.toLowerCase().replace(/[_\-\s]/g, '');
  const target = simplify(word);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(target, simplify(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(target.length / 3)) ? best : null;
}

/** editDistance is the Levenshtein distance between a and b. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * resolveMigrationsDir is the configured migrations folder (which must exist) or the first existing
 * folder of DETECTED_MIGRATION_DIRS under the project root.
 */
export async function resolveMigrationsDir(config: ProjectConfig): Promise<string> {
  if (config.migrationsDir !== null) {
    const shown = config.configFile ? displayPath(config.root, config.configFile) : CONFIG_FILE;
    const problem = await folderProblem(config.migrationsDir);
    if (problem === null) return config.migrationsDir;
    throw new StrataError('migrations-dir-missing', `The migrations folder ${config.migrationsDir} (\`migrationsDir\` in ${shown}) ${problem}.`, {
      dir: config.migrationsDir,
      file: config.configFile,
      key: 'migrationsDir',
    });
  }
  for (const candidate of DETECTED_MIGRATION_DIRS) {
    const dir = path.join(config.root, candidate);
    if ((await folderProblem(dir)) === null) return dir;
  }
  const searched = DETECTED_MIGRATION_DIRS.join(', ');
  throw new StrataError(
    'migrations-dir-missing',
    `No migrations folder found in ${config.root} (looked for ${searched}). Create one, or set \`migrationsDir\` in ${CONFIG_FILE}.`,
    { dir: null, searched: [...DETECTED_MIGRATION_DIRS], key: 'migrationsDir' },
  );
}

/** folderProblem is null for an existing folder, else why it cannot be used. */
async function folderProblem(dir: string): Promise<string | null> {
  try {
    return (await stat(dir)).isDirectory() ? null : 'is not a folder';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
  }
}
