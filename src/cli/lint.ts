/**
 * `strata lint [files...]`: lints the migrations folder (or the files named), offline. With `--drift`
 * it also reads the tracking table, so edited applied migrations and out-of-order ones are reported;
 * it never connects otherwise, even when a database is configured.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect } from '../core/db';
import { StrataError } from '../core/errors';
import { lintFolder, unknownRuleIds, type AppliedScript, type FileLint, type LintFinding, type Severity } from '../core/lint';
import { startParseWorker } from '../core/sql/parallel';
import { loadParser, PARALLEL_MIN_LENGTH } from '../core/sql/parser';
import { appliedScriptOf, computeStatus } from '../core/status';
import { HistoryTable } from '../core/history';
import { loadConfig, type ProjectConfig } from '../core/config';
import type { MigrationFile } from '../core/types';
import { resolveConnectionTarget } from '../core/db';
import type { CliOptions } from './args';
import { UsageError } from './args';
import { EXIT, type CommandEnv } from './commands';
import type { CliIo } from './io';
import { loadProject, pathShower, type Project } from './project';

/** lint runs `strata lint` and returns its exit code: 3 when any finding is an error, 1 when a file could not be read. */
export async function lint(env: CommandEnv): Promise<number> {
  const { project, options, io } = env;
  const files = options.positionals.map((f) => resolve(io.cwd, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new UsageError(`no such file: ${missing.map(project.show).join(', ')}`);
  for (const id of unknownRuleIds(project.config.lint)) io.stderr(`warning: strata.json: lint: unknown rule "${id}"`);
  // A large file is parsed on two threads: the worker loads while this thread does.
  const large = files.length > 0 ? files.some((f) => sizeOf(f) >= PARALLEL_MIN_LENGTH) : project.set.migrations.some(isLarge);
  const [drift] = await Promise.all([options.drift ? readDrift(env) : undefined, loadParser(), large ? startParseWorker() : undefined]);
  const results = lintFolder(project.set, {
    severities: project.config.lint,
    files: files.length > 0 ? files : undefined,
    applied: drift?.applied,
    outOfOrder: drift?.outOfOrder,
  });
  const findings = results.flatMap((r) => r.findings.map((f) => ({ file: r.file, finding: f })));
  if (options.json) {
    io.stdout(JSON.stringify(lintJson(results, project.show), null, 2));
  } else {
    const report = results.flatMap((r) => r.findings.map((f) => renderFinding(r.text ?? '', f, project.show(r.file))));
    report.push(summary(findings.map((f) => f.finding.severity), results.length));
    io.stdout(report.join('\n\n'));
  }
  for (const r of results) if (r.error) io.stderr(`strata: ${project.show(r.file)}: ${r.error}`);
  if (results.some((r) => r.error)) return EXIT.failure;
  return findings.some((f) => f.finding.severity === 'error') ? EXIT.findings : EXIT.ok;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function isLarge(m: MigrationFile): boolean {
  return m.up.text.length >= PARALLEL_MIN_LENGTH || (m.down?.text.length ?? 0) >= PARALLEL_MIN_LENGTH;
}

/**
 * loadLintProject is loadProject for lint: files named on the command line are linted even when the
 * project has no migrations folder.
 */
export async function loadLintProject(options: CliOptions, io: CliIo): Promise<Project> {
  try {
    return await loadProject(options, io);
  } catch (error) {
    if (options.positionals.length === 0 || !(error instanceof StrataError) || error.code !== 'migrations-dir-missing') throw error;
    const config: ProjectConfig = await loadConfig(io.cwd, options.config ? { file: resolve(io.cwd, options.config) } : {});
    return {
      config,
      dir: io.cwd,
      set: { dir: io.cwd, migrations: [], problems: [] },
      target: resolveConnectionTarget(options.url, io.env, {}),
      hasDatabase: false,
      history: new HistoryTable(config.schema, config.table, { history: config.history }),
      secrets: [],
      show: pathShower(io.cwd),
    };
  }
}

/** readDrift reads the tracking table for checksum drift and out-of-order migrations. */
async function readDrift(env: CommandEnv): Promise<{ applied: Map<string, AppliedScript>; outOfOrder: Set<string> }> {
  const { project } = env;
  if (!project.hasDatabase) {
    throw new StrataError('connection-failed', 'lint --drift needs a database: pass --url, set DATABASE_URL or POSTGRES_URL, or set the PG* variables.');
  }
  const client = await connect(project.target, { env: env.io.env });
  let statuses;
  try {
    statuses = computeStatus(project.set, await project.history.read(client));
  } finally {
    await client.end().catch(() => undefined);
  }
  const applied = new Map<string, AppliedScript>();
  const outOfOrder = new Set<string>();
  for (const s of statuses) {
    if (!s.migration) continue;
    const script = appliedScriptOf(s);
    if (script) applied.set(s.migration.version, script);
    // A project that allows out-of-order runs ("outOfOrder": true) has nothing to be told about them.
    if (s.state === 'out-of-order' && !project.config.outOfOrder) outOfOrder.add(s.migration.version);
  }
  return { applied, outOfOrder };
}

/** packageRoot is the folder the CLI was installed from: the nearest one above this file that has docs/rules. */
let packageRoot: string | null | undefined;
function findPackageRoot(): string | null {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'docs', 'rules'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** links remembers each rule page's URL: a run can have thousands of findings and there are a few dozen pages. */
const links = new Map<string, string>();

/** docsLink is a rule page as a file: URL into the installed package (as given when the pages are not there). */
export function docsLink(page: string): string {
  let link = links.get(page);
  if (link === undefined) {
    packageRoot ??= findPackageRoot();
    link = packageRoot === null ? page : pathToFileURL(join(packageRoot, page)).href;
    links.set(page, link);
  }
  return link;
}

/** lintJson is the `lint --json` contract (DESIGN.md): fields stable, more may be added. */
export function lintJson(results: readonly FileLint[], show: (path: string) => string): unknown {
  return {
    findings: results.flatMap((r) =>
      r.findings.map((f) => ({
        file: show(r.file),
        rule: f.rule,
        family: f.family,
        severity: f.severity,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        message: f.message,
        help: f.help,
        docsUrl: docsLink(f.docsUrl),
      })),
    ),
    errors: results.filter((r) => r.error).map((r) => ({ file: show(r.file), message: r.error })),
  };
}

/** MAX_SHOWN is how many characters of a long source line are shown around the finding. */
const MAX_SHOWN = 160;

/**
 * renderFinding prints a finding like a compiler: `file:line:col: severity rule: message`, the source
 * line with a caret underline under the range (to the line's end when the range goes on), and the help.
 */
export function renderFinding(text: string, f: LintFinding, file: string): string {
  const line = [...sourceLine(text, f.start)];
  const from = f.column - 1;
  const to = f.endLine === f.line ? Math.max(from + 1, f.endColumn - 1) : Math.max(from + 1, line.length);
  // A long line (a minified file) is cut to a window around the range.
  const first = line.length > MAX_SHOWN ? Math.max(0, from - 40) : 0;
  const last = Math.min(line.length, first + MAX_SHOWN);
  const shown = (first > 0 ? '…' : '') + line.slice(first, last).join('') + (last < line.length ? '…' : '');
  const lead = (first > 0 ? ' ' : '') + line.slice(first, from).map((c) => (c === '\t' ? '\t' : ' ')).join('');
  const carets = '^'.repeat(Math.max(1, Math.min(to, last + 1) - from));
  const gutter = String(f.line);
  const pad = ' '.repeat(gutter.length);
  return [
    `${file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`,
    `${gutter} | ${shown}`.trimEnd(),
    `${pad} | ${lead}${carets}`,
    `${pad} = help: ${f.help}`,
  ].join('\n');
}

/** sourceLine is the text of the line holding `offset`, without its line break. */
function sourceLine(text: string, offset: number): string {
  let start = Math.min(offset, text.length);
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = Math.min(offset, text.length);
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return text.slice(start, end);
}

/** summary is the last line of the human output. */
function summary(severities: readonly Severity[], files: number): string {
  const count = (s: Severity): number => severities.filter((x) => x === s).length;
  const where = `${files} file${files === 1 ? '' : 's'}`;
  if (severities.length === 0) return `No problems found in ${where}.`;
  const parts = [`${count('error')} error(s)`, `${count('warning')} warning(s)`, `${count('info')} info`];
  return `${severities.length} problem(s) in ${where}: ${parts.join(', ')}.`;
}
