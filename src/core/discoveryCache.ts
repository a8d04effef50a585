import { hash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/**
 * The discovery cache keeps, between runs of the CLI's read-only `status`, what discovery derived from
 * each file of one migrations folder: the checksum of its UP section and the facts that decide whether
 * and how it is a migration (markers, header description, no-transaction). Never the file's text, which
 * is read again when something needs it.
 *
 * A file's facts are trusted the way git trusts its index: only while its size, mtime and ctime (in
 * milliseconds, with the fraction the file system keeps), inode and device are those recorded, and only when its mtime and ctime are older than the
 * cache's write time minus RACY_MS. A file changed in the same clock tick as it was read could keep its
 * size and mtime; such a "racily clean" file is read again until it has been quiet for longer than any
 * file system's timestamp granularity.
 *
 * The cache file is one JSON document per folder (named by a hash of the folder's real path) in the
 * user's cache directory. It is written to a temporary file and renamed into place, so a reader sees a
 * whole old or a whole new file, and concurrent writers cannot interleave. A file that cannot be read,
 * does not parse, or was written by another format or version of Strata is ignored; failing to write is
 * not an error (the next run reads the files again).
 */

/** CACHE_FORMAT names the layout of the cache file; change it whenever what is stored per file changes. */
export const CACHE_FORMAT = 'strata-discovery-4';

/** RACY_MS is how old (relative to the cache's write time) a file's mtime and ctime must be before its facts are trusted. */
export const RACY_MS = 2000;

/** FileFacts is what discovery derives from one `.sql` file without keeping its text. */
export type FileFacts = SectionFacts | BadSections;

/** SectionFacts describes a file whose UP and DOWN sections could be told apart. */
export interface SectionFacts {
  ok: true;
  /** checksum is the UP section's checksum (see checksumOf); null for the `.down.sql` half of a pair, which has none. */
  checksum: string | null;
  /** description is the header's `-- Migration:` or `-- Description:` text. */
  description: string | null;
  noTransaction: boolean;
  /** upMarkerLine and downMarkerLine are the lines of the `-- UP` and `-- DOWN` markers. */
  upMarkerLine: number | null;
  downMarkerLine: number | null;
}

/** BadSections is a file whose markers could not be read (splitSections' message and line). */
export interface BadSections {
  ok: false;
  message: string;
  line: number;
}

/*
 * The file is text: a header line, then one line per file, fields separated by tabs:
 *
 *   strata-discovery-4 <tab> version <tab> written-at (ms since the epoch) <tab> folder (JSON string)
 *   name <tab> stat key <tab> S <tab> checksum <tab> flags <tab> UP marker line <tab> DOWN marker line <tab> description (JSON, or empty)
 *   name <tab> stat key <tab> E <tab> line <tab> message (JSON string)
 *
 * Loading indexes the lines by name without parsing them; a line is parsed when its file's stat matches.
 * Names with a tab or a line break are never cached (their files are read every time).
 */

const NO_TRANSACTION = 1;
const TAB = 9;
const UNCACHEABLE_NAME = /[\t\n\r]/;

/**
 * statKey is what must stay the same for a file's facts to be reused: size, mtime and ctime (ms, as
 * doubles: sub-microsecond steps are lost, which the racy window makes harmless, since an edit after the
 * cache was written moves the ctime by more than RACY_MS), inode, device. Number stats rather than
 * BigInt ones: at 10,000 files, the BigInts were a tenth of a status run's garbage.
 */
function statKey(stats: Stats): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}:${stats.dev}`;
}

/**
 * cacheDirectory is `$XDG_CACHE_HOME/strata`, else `%LOCALAPPDATA%\\strata` on Windows, else `~/.cache/strata`;
 * null when none of them is an absolute path (no cache then, rather than one in the working directory).
 */
export function cacheDirectory(env: Record<string, string | undefined>): string | null {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'strata');
  const local = env.LOCALAPPDATA;
  if (process.platform === 'win32' && local && path.isAbsolute(local)) return path.join(local, 'strata');
  let home = env.HOME;
  if (!home) {
    try {
      home = homedir();
    } catch {
      return null;
    }
  }
  return path.isAbsolute(home) ? path.join(home, '.cache', 'strata') : null;
}

/** DiscoveryCacheOptions: where the user's cache directory is, which Strata writes it, and where to log why it was not used. */
export interface DiscoveryCacheOptions {
  env: Record<string, string | undefined>;
  /** version is Strata's version: a cache written by another version is not trusted. */
  version: string;
  debug?: (message: string) => void;
}

/** DiscoveryCache is one folder's cache file, loaded on first use; see the comment at the top of this file. */
export class DiscoveryCache {
  /** text is the loaded file; lines maps each name to where its line starts in text. */
  private text = '';
  private lines: Map<string, number> | null = null;
  private limitMs = 0;
  /** kept are the lines (loaded, or made from a read) of the files this discovery saw. */
  private kept: string[] = [];
  private changed = false;
  private trusted = 0;
  private read = 0;
  private readonly debug: (message: string) => void;

  private constructor(
    /** file is the cache file's path. */
    readonly file: string,
    private readonly dir: string,
    private readonly version: string,
    debug: ((message: string) => void) | undefined,
  ) {
    this.debug = debug ?? (() => undefined);
  }

  /** forFolder is the cache of the migrations folder dir; null when the folder's real path cannot be found. */
  static forFolder(dir: string, options: DiscoveryCacheOptions): DiscoveryCache | null {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return null;
    }
    const directory = cacheDirectory(options.env);
    if (directory === null) {
      options.debug?.('discovery cache: not used (no absolute XDG_CACHE_HOME or home directory)');
      return null;
    }
    const name = `${hash('sha256', real, 'hex').slice(0, 32)}.txt`;
    return new DiscoveryCache(path.join(directory, name), real, options.version, options.debug);
  }

  /** size is how many files the cache file records (it is read on first use). */
  size(): number {
    return (this.lines ?? this.load()).size;
  }

  private header(writtenAtMs: number | string): string {
    return `${CACHE_FORMAT}\t${this.version}\t${writtenAtMs}\t${JSON.stringify(this.dir)}`;
  }

  /**
   * lookup returns the facts recorded for a file (its name relative to the folder) when they may be
   * trusted: the file's stat is the one recorded, and it was quiet for RACY_MS before the cache was written.
   */
  lookup(name: string, file: string): FileFacts | null {
    const lines = this.lines ?? this.load();
    const start = lines.get(name);
    if (start === undefined) return null;
    let stats: Stats | undefined;
    try {
      stats = statSync(file, { throwIfNoEntry: false });
    } catch {
      return null;
    }
    if (stats === undefined || stats.mtimeMs >= this.limitMs || stats.ctimeMs >= this.limitMs) return null;
    const { text } = this;
    const keyStart = start + name.length + 1;
    const key = statKey(stats);
    if (!text.startsWith(key, keyStart) || text.charCodeAt(keyStart + key.length) !== TAB) return null;
    let end = text.indexOf('\n', keyStart);
    if (end < 0) end = text.length;
    const facts = parseFacts(text, keyStart + key.length + 1, end);
    if (facts) {
      this.kept.push(text.slice(start, end));
      this.trusted++;
    }
    return facts;
  }

  /** record keeps what was derived from a file that had to be read, with the stat taken when it was read. */
  record(name: string, stats: Stats, facts: FileFacts): void {
    this.changed = true;
    this.read++;
    if (UNCACHEABLE_NAME.test(name)) return;
    const key = statKey(stats);
    const line = facts.ok
      ? `${name}\t${key}\tS\t${facts.checksum ?? ''}\t${facts.noTransaction ? NO_TRANSACTION : 0}\t${facts.upMarkerLine ?? ''}\t${facts.downMarkerLine ?? ''}\t${facts.description === null ? '' : JSON.stringify(facts.description)}`
      : `${name}\t${key}\tE\t${facts.line}\t${JSON.stringify(facts.message)}`;
    this.kept.push(line);
  }

  /**
   * save writes what this discovery used, when it differs from what was loaded (a file was read, or one
   * is gone), and lets go of the loaded text. Files still inside the racy window are left out: they are
   * read again next time.
   */
  save(): void {
    const lines = this.lines ?? this.load();
    const kept = this.kept;
    this.debug(`discovery cache: ${this.trusted} file(s) trusted by their stat, ${this.read} read`);
    this.text = '';
    this.lines = new Map();
    this.kept = [];
    if (!this.changed && kept.length === lines.size) return;
    const nowMs = Date.now();
    const limit = nowMs - RACY_MS;
    const quiet = kept.filter((line) => isQuiet(line, limit));
    const temporary = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileSync(temporary, `${this.header(nowMs)}\n${quiet.join('\n')}\n`, { mode: 0o600 });
      renameSync(temporary, this.file);
      this.debug(`discovery cache: wrote ${quiet.length} file(s) to ${this.file}`);
    } catch (error) {
      this.debug(`discovery cache: not written to ${this.file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Nothing more to do: the next run reads the files again.
      }
    }
  }

  /** load reads the cache file and indexes its lines; anything wrong with its header means an empty cache. */
  private load(): Map<string, number> {
    const lines = new Map<string, number>();
    this.lines = lines;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      this.debug(`discovery cache: none at ${this.file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      return lines;
    }
    const headerEnd = text.indexOf('\n');
    const fields = (headerEnd < 0 ? text : text.slice(0, headerEnd)).split('\t');
    const expected = this.header('').split('\t');
    if (headerEnd < 0 || fields.length !== 4 || fields[0] !== expected[0] || fields[1] !== expected[1] || fields[3] !== expected[3] || !/^\d+$/.test(fields[2]!)) {
      this.debug(`discovery cache: ignored ${this.file} (not a cache of this folder written by this version of Strata)`);
      return lines;
    }
    this.limitMs = Number(fields[2]!) - RACY_MS;
    this.text = text;
    for (let start = headerEnd + 1; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const tab = text.indexOf('\t', start);
      if (tab > start && tab < end) lines.set(text.slice(start, tab), start);
      start = end + 1;
    }
    return lines;
  }
}

/** isQuiet is true when the mtime and ctime in a line's stat key are before limit (ms). */
function isQuiet(line: string, limit: number): boolean {
  const parts = line.split('\t', 2)[1]!.split(':');
  return Number(parts[1]!) < limit && Number(parts[2]!) < limit;
}

/**
 * parseFacts reads the fields after the stat key of one line (text[from, end)); null when they are
 * malformed. It runs once per file in a process too short for V8 to optimize it: no split, no regular
 * expression, and JSON.parse only for a description or message.
 */
function parseFacts(text: string, from: number, end: number): FileFacts | null {
  const kind = text.charCodeAt(from);
  if (text.charCodeAt(from + 1) !== TAB) return null;
  try {
    if (kind === 83 /* S */) {
      const checksumEnd = text.indexOf('\t', from + 2);
      if (checksumEnd < 0 || checksumEnd >= end) return null;
      const checksumLength = checksumEnd - from - 2;
      if (checksumLength !== 0 && checksumLength !== 64) return null;
      const flags = text.charCodeAt(checksumEnd + 1) - 48;
      if (flags < 0 || flags > NO_TRANSACTION || text.charCodeAt(checksumEnd + 2) !== TAB) return null;
      const upEnd = text.indexOf('\t', checksumEnd + 3);
      const downEnd = upEnd < 0 ? -1 : text.indexOf('\t', upEnd + 1);
      if (downEnd < 0 || downEnd >= end) return null;
      const upMarkerLine = lineNumber(text, checksumEnd + 3, upEnd);
      const downMarkerLine = lineNumber(text, upEnd + 1, downEnd);
      if (upMarkerLine === undefined || downMarkerLine === undefined) return null;
      const description: unknown = downEnd + 1 === end ? null : JSON.parse(text.slice(downEnd + 1, end));
      if (description !== null && typeof description !== 'string') return null;
      return {
        ok: true,
        checksum: checksumLength === 0 ? null : text.slice(from + 2, checksumEnd),
        description,
        noTransaction: (flags & NO_TRANSACTION) !== 0,
        upMarkerLine,
        downMarkerLine,
      };
    }
    if (kind === 69 /* E */) {
      const lineEnd = text.indexOf('\t', from + 2);
      if (lineEnd < 0 || lineEnd >= end) return null;
      const line = lineNumber(text, from + 2, lineEnd);
      const message: unknown = JSON.parse(text.slice(lineEnd + 1, end));
      if (typeof line !== 'number' || typeof message !== 'string') return null;
      return { ok: false, message, line };
    }
  } catch {
    // A malformed description or message: the file is read again.
  }
  return null;
}

/** lineNumber reads text[from, to) as a positive line number: null when empty, undefined when malformed. */
function lineNumber(text: string, from: number, to: number): number | null | undefined {
  if (from === to) return null;
  if (to - from > 9) return undefined;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value > 0 ? value : undefined;
}
