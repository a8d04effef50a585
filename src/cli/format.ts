import type { MigrationErrorDetails } from '../core/errors';
import type { RunRecord } from '../core/context';
import type { MigrationStatus } from '../core/types';

/** table aligns rows of cells into columns separated by two spaces. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

// Pads to a width in characters (code points); String#padEnd counts UTF-16 units, which emoji double.
function pad(cell: string, width: number): string {
  return cell + ' '.repeat(Math.max(0, width - [...cell].length));
}

/** formatTimestamp prints a time as UTC "YYYY-MM-DD HH:MM:SS". */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

/** formatStatus is the human `status` output: counts, then applied (with time), pending, problems. */
export function formatStatus(statuses: readonly MigrationStatus[], show: (path: string) => string, where: string): string {
  const applied = statuses.filter((s) => s.state === 'applied' || s.state === 'drifted');
  const pending = statuses.filter((s) => s.state === 'pending' || s.state === 'out-of-order');
  const problems = statuses.filter((s) => s.state !== 'applied' && s.state !== 'pending');
  const lines = [
    `Migrations: ${statuses.length} total, ${applied.length} applied, ${pending.length} pending, ${problems.length} with problems`,
    `Database:   ${where}`,
  ];
  if (applied.length > 0) {
    lines.push('', 'Applied:');
    lines.push(
      table(applied.map((s) => [s.version, s.description, s.applied && s.applied.appliedAt.getTime() > 0 ? formatTimestamp(s.applied.appliedAt) : '', s.applied ? `${s.applied.executionMs} ms` : '', s.state === 'drifted' ? 'DRIFTED' : ''])),
    );
  }
  if (pending.length > 0) {
    lines.push('', 'Pending:');
    lines.push(table(pending.map((s) => [s.version, s.description, s.state === 'out-of-order' ? 'OUT OF ORDER' : ''])));
  }
  if (problems.length > 0) {
    lines.push('', 'Problems:');
    lines.push(table(problems.map((s) => [s.state, s.version || '-', s.file ? show(s.file) : s.name, s.problem ?? ''])));
  }
  return lines.join('\n');
}

/** statusJson is the `status --json` contract (DESIGN.md): fields stable, more may be added. */
export function statusJson(statuses: readonly MigrationStatus[], show: (path: string) => string): unknown {
  return {
    migrations: statuses.map((s) => ({
      version: s.version,
      name: s.name,
      description: s.description,
      file: s.file ? show(s.file) : null,
      state: s.state,
      appliedAt: s.applied && s.applied.appliedAt.getTime() > 0 ? s.applied.appliedAt.toISOString() : null,
      executionMs: s.applied ? s.applied.executionMs : null,
      appliedBy: s.applied ? s.applied.appliedBy : null,
      problem: s.problem,
    })),
  };
}

/** STATUS_CHUNK is about how many characters statusJsonChunks puts in one piece of output. */
const STATUS_CHUNK = 64 * 1024;

/**
 * statusJsonChunks is `JSON.stringify(statusJson(statuses, show), null, 2)` in pieces of about 64 KB
 * (the same text, character for character), so that 10,000 migrations are printed without building
 * a 3 MB object tree and string first.
 */
export function* statusJsonChunks(statuses: readonly MigrationStatus[], show: (path: string) => string): Generator<string> {
  if (statuses.length === 0) {
    yield '{\n  "migrations": []\n}';
    return;
  }
  let chunk = '{\n  "migrations": [\n';
  // Migrations recorded together (baseline, adopt --copy) share their time: format it once.
  let lastTime = NaN;
  let lastIso = '';
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i]!;
    const applied = s.applied;
    const time = applied ? applied.appliedAt.getTime() : 0;
    if (time > 0 && time !== lastTime) {
      lastTime = time;
      lastIso = applied!.appliedAt.toISOString();
    }
    chunk +=
      '    {\n      "version": ' + json(s.version) +
      ',\n      "name": ' + json(s.name) +
      ',\n      "description": ' + json(s.description) +
      ',\n      "file": ' + (s.file ? JSON.stringify(show(s.file)) : 'null') +
      ',\n      "state": "' + s.state +
      '",\n      "appliedAt": ' + (time > 0 ? '"' + lastIso + '"' : 'null') +
      ',\n      "executionMs": ' + (applied ? json(applied.executionMs) : 'null') +
      ',\n      "appliedBy": ' + (applied ? json(applied.appliedBy) : 'null') +
      ',\n      "problem": ' + json(s.problem) +
      (i === statuses.length - 1 ? '\n    }\n  ]\n}' : '\n    },\n');
    if (chunk.length >= STATUS_CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** json is JSON.stringify of one value, `null` for undefined (so that every field of the contract is present). */
function json(value: string | number | null | undefined): string {
  return JSON.stringify(value) ?? 'null';
}

/** errorJson is the `error` object of the run contracts. */
export function errorJson(error: MigrationErrorDetails | null, show: (path: string) => string): unknown {
  if (!error) return null;
  return {
    version: error.version,
    file: show(error.file),
    line: error.line,
    column: error.column,
    sqlstate: error.sqlstate,
    message: error.message,
    detail: error.detail,
    hint: error.hint,
    statement: error.statement,
    where: error.where,
  };
}

/** recordsJson lists migrations that ran, in the run contracts' shape. */
export function recordsJson(records: readonly RunRecord[], show: (path: string) => string): unknown[] {
  return records.map((r) => ({ version: r.version, file: show(r.file), executionMs: r.executionMs, transactional: r.transactional }));
}

/** formatError prints a migration failure like a compiler: file:line:column, then the server's words. */
export function formatError(error: MigrationErrorDetails, show: (path: string) => string): string {
  const lines = [`${show(error.file)}:${error.line}:${error.column}: error${error.sqlstate ? ` ${error.sqlstate}` : ''}: ${error.message}`];
  if (error.detail) lines.push(`  detail: ${error.detail}`);
  if (error.hint) lines.push(`  hint: ${error.hint}`);
  if (error.where) lines.push(`  where: ${error.where}`);
  if (error.statement) lines.push(`  statement: ${firstLines(error.statement, 3)}`);
  return lines.join('\n');
}

function firstLines(text: string, count: number): string {
  const lines = text.split(/\r?\n/);
  return lines.length <= count ? text : `${lines.slice(0, count).join('\n')}\n  …`;
}
