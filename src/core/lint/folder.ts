/**
 * Linting a whole migrations folder: each file with what only the folder knows about it (duplicate
 * versions, bad names, orphan down files, the other half of a pair) and, when the caller read the
 * tracking table, what only the database knows (checksum drift, out of order).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FileProblem, MigrationFile, MigrationSet } from '../types';
import { runRules } from './engine';
import { RULES } from './registry';
import type { AppliedScript, LintFinding, LintOptions, Severity } from './types';

/** FolderLintOptions are the settings and database facts for a folder's lint. */
export interface FolderLintOptions {
  severities?: Record<string, 'off' | Severity>;
  optIn?: string[];
  /** applied: tracking-table rows by version; leave it out to lint offline (no drift). */
  applied?: ReadonlyMap<string, AppliedScript>;
  /** outOfOrder: pending versions older than the newest applied one. */
  outOfOrder?: ReadonlySet<string>;
  /** files: lint only these paths (absolute or relative to the process); files outside the folder are linted on their own. */
  files?: readonly string[];
  /** readFile reads a file as UTF-8 (injectable for tests). */
  readFile?: (file: string) => string;
}

/** FileLint is one file's findings, or why it could not be read. */
export interface FileLint {
  file: string;
  /** text is what was linted (null when the file could not be read). */
  text: string | null;
  findings: LintFinding[];
  /** error says why the file could not be read. */
  error: string | null;
}

/** FileRole is how a file belongs to the folder. */
interface FileRole {
  migration: MigrationFile | null;
  problems: FileProblem[];
}

/** lintFolder lints every file of a discovered folder (or only `files`), in version order; problems-only files come last. */
export function lintFolder(set: MigrationSet, options: FolderLintOptions = {}): FileLint[] {
  const read = options.readFile ?? ((file: string) => readFileSync(file, 'utf8'));
  const roles = rolesOf(set);
  const files = options.files ? [...new Set(options.files.map((f) => resolve(f)))] : [...roles.keys()];
  return files.map((file) => {
    const role = roles.get(file) ?? { migration: null, problems: [] };
    let text: string;
    try {
      text = read(file);
    } catch (error) {
      return { file, text: null, findings: [], error: describe(error) };
    }
    const lintOptions: LintOptions = { file, severities: options.severities, optIn: options.optIn, problems: role.problems };
    const m = role.migration;
    if (m && m.file === file) {
      lintOptions.applied = options.applied?.get(m.version) ?? null;
      lintOptions.outOfOrder = options.outOfOrder?.has(m.version) ?? false;
      if (m.file.toLowerCase().endsWith('.up.sql')) lintOptions.downFile = readDown(m, read);
    }
    return { file, text, findings: runRules(text, lintOptions, RULES), error: null };
  });
}

/** rolesOf maps every file of the folder to its migration and the problems found with it. */
function rolesOf(set: MigrationSet): Map<string, FileRole> {
  const roles = new Map<string, FileRole>();
  for (const m of set.migrations) {
    roles.set(m.file, { migration: m, problems: [] });
    if (m.downFile) roles.set(m.downFile, { migration: m, problems: [] });
  }
  for (const p of set.problems) {
    // Section errors are found again from the text, with their line; an unreadable file is reported when reading it.
    const role = roles.get(p.file) ?? { migration: null, problems: [] };
    if (p.kind !== 'bad-sections' && p.kind !== 'unreadable') role.problems.push(p);
    roles.set(p.file, role);
  }
  return roles;
}

/** readDown reads the `.down.sql` half of a pair (null when there is none or it cannot be read). */
function readDown(m: MigrationFile, read: (file: string) => string): { text: string } | null {
  if (!m.downFile) return null;
  try {
    return { text: read(m.downFile) };
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return code ?? (error instanceof Error ? error.message : String(error));
}
