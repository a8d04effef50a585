import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ProjectConfig } from './config';
import { StrataError } from './errors';
import { parseMigrationFileName, TIMESTAMP_DIGITS, type ParsedName } from './filename';
import { markerKind, splitSections } from './sections';
import { compareVersions, type MigrationSet, type NamingScheme } from './types';

/** CreateOptions says where to create a migration and what the folder already holds. */
export interface CreateOptions {
  dir: string;
  description: string;
  config: ProjectConfig;
  /** now is the creation time (tests pass a fixed one); the timestamp version is its UTC time. */
  now?: Date;
  existing: MigrationSet;
}

/** CreatedMigration names the files written and where the cursor belongs in the UP file. */
export interface CreatedMigration {
  file: string;
  downFile: string | null;
  /** upLine is the 1-based line where the user starts typing the UP SQL. */
  upLine: number;
}

/** Conventions is how the folder names its files, read from the files already there. */
interface Conventions {
  scheme: NamingScheme;
  separator: '_' | '-';
  paired: boolean;
  /** newest is the highest version in the folder (files with problems included), if any. */
  newest: ParsedName | null;
}

/** BUILT_IN_TEMPLATE is used when the project has no `template`. */
export const BUILT_IN_TEMPLATE = '-- Migration: {{description}}\n-- Created: {{created}}\n\n-- UP\n\n-- DOWN\n';

const MAX_SLUG = 60;
const DEFAULT_SEQUENCE_WIDTH = 3;

/** createMigration writes the next migration file(s) from the template; it never overwrites a file. */
export async function createMigration(options: CreateOptions): Promise<CreatedMigration> {
  const now = options.now ?? new Date();
  const conventions = readConventions(options.existing, options.config.naming);
  const slug = slugify(options.description, conventions.separator);
  const version = nextVersion(conventions, now);
  const base = `${version}${conventions.separator}${slug}`;
  const values = { description: oneLine(options.description), version, name: slug, created: now.toISOString() };
  const template = await loadTemplate(options.config);
  const dir = path.resolve(options.dir);
  await mkdir(dir, { recursive: true });
  if (!conventions.paired) {
    const content = render(template ?? BUILT_IN_TEMPLATE, values);
    const file = path.join(dir, `${base}.sql`);
    await writeNew(file, content);
    return { file, downFile: null, upLine: cursorLine(content) };
  }
  const [up, down] = splitTemplate(render(template ?? BUILT_IN_TEMPLATE, values));
  const file = path.join(dir, `${base}.up.sql`);
  const downFile = path.join(dir, `${base}.down.sql`);
  await writeNew(file, up);
  await writeNew(downFile, down).catch(async (error: unknown) => {
    await unlink(file); // leave no half pair behind
    throw error;
  });
  return { file, downFile, upLine: cursorLine(up) };
}

/** readConventions derives scheme, separator and pairing from the folder, falling back to config, then defaults. */
function readConventions(existing: MigrationSet, naming: NamingScheme | null): Conventions {
  const files = [
    ...existing.migrations.flatMap((m) => [m.file, ...(m.downFile ? [m.downFile] : [])]),
    ...existing.problems.map((p) => p.file),
  ];
  const parsed = files.map((f) => parseMigrationFileName(path.basename(f))).filter((p): p is ParsedName => p !== null);
  const newest = parsed.reduce<ParsedName | null>((best, p) => (!best || compareVersions(p.version, best.version) > 0 ? p : best), null);
  const named = parsed.filter((p) => p.name !== ''); // a bare version has no separator to count
  const dashes = named.filter((p) => p.separator === '-').length;
  return {
    scheme: newest?.scheme ?? naming ?? 'timestamp',
    separator: dashes * 2 > named.length ? '-' : '_',
    // The newest migration shows the convention the team follows now, for pairs as for the scheme.
    paired: newest !== null && newest.part !== 'single',
    newest,
  };
}

/** slugify turns a description into the name part of a file name: lowercase ASCII letters and digits. */
export function slugify(description: string, separator: '_' | '-' = '_'): string {
  const ascii = description.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''); // é -> e
  const words = ascii.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
  const slug = words.join(separator).slice(0, MAX_SLUG).replace(/[_-]+$/, '');
  if (slug === '') {
    throw new StrataError('invalid-argument', `The description ${JSON.stringify(description)} has no letters or digits (a-z, 0-9) to name the file with.`, { description });
  }
  return slug;
}

/** nextVersion is the version after the newest existing one, in the folder's scheme. */
function nextVersion(conventions: Conventions, now: Date): string {
  const { scheme, newest } = conventions;
  if (scheme === 'sequence') {
    if (!newest) return '1'.padStart(DEFAULT_SEQUENCE_WIDTH, '0');
    return (BigInt(newest.version) + 1n).toString().padStart(newest.version.length, '0');
  }
  const stamp = timestamp(now);
  if (!newest || compareVersions(stamp, newest.version) > 0) return stamp;
  return nextSecond(newest.version);
}

/** timestamp formats a date as the UTC YYYYMMDDHHMMSS version. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, TIMESTAMP_DIGITS);
}

/** nextSecond is the timestamp one second after version; a version that is not a real time gets +1. */
function nextSecond(version: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(version);
  if (match) {
    const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number];
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s + 1));
    const next = timestamp(date);
    if (date.getUTCFullYear() <= 9999 && compareVersions(next, version) > 0) return next;
  }
  return (BigInt(version) + 1n).toString();
}

/** oneLine keeps a description on one line, so it cannot break out of a header comment. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** loadTemplate reads the project's template file, or null for the built-in one. */
async function loadTemplate(config: ProjectConfig): Promise<string | null> {
  if (config.template === null) return null;
  try {
    return await readFile(config.template, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    const where = config.configFile ? path.basename(config.configFile) : 'strata.json';
    throw new StrataError('config-invalid', `The migration template ${config.template} (\`template\` in ${where}) ${reason}.`, {
      file: config.configFile,
      key: 'template',
    });
  }
}

/** render replaces `{{description}}`, `{{version}}`, `{{name}}` and `{{created}}`; other text is kept. */
function render(template: string, values: Record<'description' | 'version' | 'name' | 'created', string>): string {
  return template.replace(/\{\{\s*(description|version|name|created)\s*\}\}/g, (_, key: keyof typeof values) => values[key]);
}

/**
 * splitTemplate turns a rendered single-file template into the two files of a pair: the header (the
 * text before the first marker) heads both, the UP text goes to the up file, the DOWN text to the down
 * file, and the marker lines are dropped. A template without markers is all UP.
 */
function splitTemplate(content: string): [string, string] {
  const sections = splitSections(content, '');
  if (!sections.ok || (sections.up.markerLine === null && sections.downMarkerLine === null)) return [content, ''];
  const firstMarker = sections.up.markerLine ?? sections.downMarkerLine!;
  const header = content.split('\n').slice(0, firstMarker - 1).join('\n');
  const upBody = sections.up.markerLine === null ? '' : sections.up.text;
  return [pairFile(header, upBody), pairFile(header, sections.down?.text ?? '')];
}

/** pairFile joins a header and a body with one blank line; with no body it ends in an empty line to type on. */
function pairFile(header: string, body: string): string {
  const head = header.trimEnd();
  const rest = body.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
  if (rest === '') return head === '' ? '' : `${head}\n\n`;
  return head === '' ? `${rest}\n` : `${head}\n\n${rest}\n`;
}

/**
 * cursorLine is where typing starts: the line after the UP marker, or, without one, the first line
 * after the leading comments and blank lines.
 */
export function cursorLine(content: string): number {
  const lines = content.split(/\r\n|\r|\n/);
  const marker = lines.findIndex((line) => markerKind(line) === 'up');
  if (marker >= 0) return Math.min(marker + 2, lines.length);
  const code = lines.findIndex((line) => line.trim() !== '' && !line.trimStart().startsWith('--'));
  return code >= 0 ? code + 1 : lines.length;
}

/** writeNew creates file with content, refusing to overwrite an existing file. */
async function writeNew(file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new StrataError('file-exists', `${file} already exists; Strata never overwrites a migration.`, { file });
  }
}
