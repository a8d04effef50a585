import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import { checksumOf } from './checksum';
import type { DiscoveryCache, FileFacts } from './discoveryCache';
import { StrataError } from './errors';
import { ACCEPTED_NAMES, isFlywayRepeatable, parseMigrationFileName, type ParsedName } from './filename';
import { hasSql, splitSections, type SectionsOk, type SectionsResult } from './sections';
import { compareVersions, withoutLeadingZeros, type FileProblem, type MigrationFile, type MigrationSet } from './types';

/** Entry is one `.sql` file whose name parsed. */
interface Entry {
  /** name is the file's path relative to the folder. */
  name: string;
  file: string;
  parsed: ParsedName;
}

/** Unit is what should become one migration: a single file, or an up file with its down file. */
interface Unit {
  main: Entry;
  downs: Entry[];
}

// Reading is synchronous on purpose: for thousands of small files, readFileSync in a loop is about
// 15x faster than fs.promises.readFile (each promise read is four thread-pool round trips). The loop
// yields to the event loop every BATCH files so an editor stays responsive on huge folders.
const BATCH = 500;
const CACHED_BATCH = 100;

function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
// One buffer serves every small file; readText is synchronous, so concurrent discoveries never share it mid-read.
const shared = Buffer.allocUnsafe(64 * 1024);

/** DiscoverOptions says how far the reads of an earlier discovery of the same folder may be trusted. */
export interface DiscoverOptions {
  /**
   * trustRemembered reuses a file's earlier read without checking its stat: for a caller that hears of
   * every change (the editor's file watcher) and calls forgetReads for each changed file. By default
   * each remembered file is checked with one `stat` (size, mtime, ctime, inode) before it is reused.
   */
  trustRemembered?: boolean;
  /**
   * cache is the CLI's persistent record of earlier discoveries of this folder (see discoveryCache.ts):
   * a file whose stat it vouches for is not read, and its migration's `up` and `down` are read only when
   * used. Discovery with a cache neither uses nor changes the reads remembered in memory.
   */
  cache?: DiscoveryCache;
}

/** PRISMA_SCRIPT is the file inside each of Prisma's `<timestamp>_<name>/` migration folders. */
export const PRISMA_SCRIPT = 'migration.sql';

/**
 * discoverMigrations reads the `.sql` files of one folder into migrations and problems. Subfolders are
 * not searched, except Prisma's layout: a subfolder named like a migration (`20240115120000_init`)
 * holding `migration.sql` is that migration. Files unchanged since the last discovery of the folder
 * are not read again (see Reader).
 */
export async function discoverMigrations(dir: string, options: DiscoverOptions = {}): Promise<MigrationSet> {
  const { cache } = options;
  // With a cache, most of the time goes to one `stat` per file: the CLI reads the tracking table
  // meanwhile, so yield first (its connection starts) and often (each yield lets it take a step).
  if (cache) await yieldToEventLoop();
  const batch = cache ? CACHED_BATCH : BATCH;
  const absolute = path.resolve(dir);
  const problems: FileProblem[] = [];
  const entries: Entry[] = [];
  const prefix = absolute.endsWith(path.sep) ? absolute : absolute + path.sep;
  for (const name of listSqlFiles(absolute)) {
    const file = prefix + name; // path.join would normalise again, which costs real time for 10,000 files
    const parsed = parseMigrationFileName(name.endsWith(PRISMA_SUFFIX) ? name.slice(0, -PRISMA_SUFFIX.length) + '.sql' : name);
    if (parsed) entries.push({ name, file, parsed });
    else if (isFlywayRepeatable(name)) problems.push(problem(file, 'unsupported', `${name} is a Flyway repeatable migration; Strata lists it but does not run it (run it with Flyway)`));
    else problems.push(problem(file, 'bad-name', `${name} is not a migration file name: ${ACCEPTED_NAMES}`));
  }
  const units = groupUnits(entries, problems);
  const reader = new Reader(absolute, options.trustRemembered === true);
  const migrations: MigrationFile[] = [];
  for (let i = 0; i < units.length; i++) {
    if (i > 0 && i % batch === 0) await yieldToEventLoop();
    const result = cache ? buildFromFacts(cache, units[i]!) : buildMigration(reader, units[i]!);
    if ('kind' in result) problems.push(result);
    else migrations.push(result);
  }
  if (cache) cache.save();
  else remembered.set(absolute, reader.current);
  sortByVersion(migrations);
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { dir: absolute, migrations, problems };
}

/** sortByVersion sorts as compareVersions does, computing each version's key once. */
function sortByVersion(migrations: MigrationFile[]): void {
  if (migrations.some((m) => m.version.includes('.'))) {
    migrations.sort((a, b) => compareVersions(a.version, b.version));
    return;
  }
  const keys = new Map(migrations.map((m) => [m, versionKey(m.version)]));
  migrations.sort((a, b) => {
    const x = keys.get(a)!;
    const y = keys.get(b)!;
    return x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : 0;
  });
}

const PRISMA_SUFFIX = path.sep + PRISMA_SCRIPT;

/** listSqlFiles names the `.sql` files in dir, and `<folder>/migration.sql` of Prisma's migration folders; other files are ignored. */
function listSqlFiles(dir: string): string[] {
  let dirents: Dirent[];
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code ?? String(error)})`;
    throw new StrataError('migrations-dir-missing', `The migrations folder ${dir} ${reason}.`, { dir });
  }
  const names = dirents
    .filter((d) => d.name.toLowerCase().endsWith('.sql') && (d.isFile() || (d.isSymbolicLink() && isFileTarget(path.join(dir, d.name)))))
    .map((d) => d.name);
  for (const d of dirents) {
    if (!d.isDirectory() || !parseMigrationFileName(`${d.name}.sql`)) continue;
    const script = d.name + PRISMA_SUFFIX;
    if (isPlainFile(path.join(dir, script))) names.push(script);
  }
  return names;
}

/** isPlainFile is true when file exists and is a file. */
function isPlainFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** isFileTarget follows a symbolic link; a broken link counts as a file so it is reported as unreadable. */
function isFileTarget(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return true;
  }
}

/** problem builds a FileProblem. */
function problem(file: string, kind: FileProblem['kind'], message: string, version: string | null = null, line: number | null = null): FileProblem {
  return { file, kind, message, version, line };
}

/** versionKey is the version without leading zeros, so `001` and `1` collide and sort as compareVersions says. */
function versionKey(version: string): string {
  return withoutLeadingZeros(version);
}

/**
 * groupUnits pairs `.down.sql` files with their `.up.sql` (same version and name as written), reports
 * orphan downs, and reports every file of every unit that shares its numeric version with another.
 */
function groupUnits(entries: Entry[], problems: FileProblem[]): Unit[] {
  const byVersion = new Map<string, Unit[]>();
  const ups = new Map<string, Unit>();
  for (const entry of entries) {
    if (entry.parsed.part === 'down') continue;
    const unit: Unit = { main: entry, downs: [] };
    const key = versionKey(entry.parsed.version);
    const group = byVersion.get(key);
    if (group) group.push(unit);
    else byVersion.set(key, [unit]);
    if (entry.parsed.part === 'up') ups.set(`${entry.parsed.version}\0${entry.parsed.name}`, unit);
  }
  for (const entry of entries) {
    if (entry.parsed.part !== 'down') continue;
    const unit = ups.get(`${entry.parsed.version}\0${entry.parsed.name}`);
    if (unit) unit.downs.push(entry);
    else problems.push(problem(entry.file, 'orphan-down', `${path.basename(entry.file)} has no matching ${upName(entry.parsed)}`, entry.parsed.version));
  }
  const units: Unit[] = [];
  for (const group of byVersion.values()) {
    const only = group.length === 1 ? group[0]! : null;
    if (only && only.downs.length <= 1) {
      units.push(only);
      continue;
    }
    const files = group.flatMap((u) => [u.main, ...u.downs]);
    for (const unit of group) {
      const own = [unit.main, ...unit.downs];
      // Name the other migrations' files, not this file's own pair (unless the pair itself is doubled).
      const others = group.length > 1 ? files.filter((f) => !own.includes(f)) : files;
      for (const entry of own) problems.push(duplicate(entry, others.filter((f) => f !== entry)));
    }
  }
  return units;
}

/** upName is the `.up.sql` name a `.down.sql` file expects. */
function upName(parsed: ParsedName): string {
  if (parsed.flyway) return `V${parsed.version}__${parsed.name}.sql`;
  return `${parsed.version}${parsed.name === '' ? '' : parsed.separator + parsed.name}.up.sql`;
}

/** duplicate reports one of several files claiming the same version. */
function duplicate(entry: Entry, others: Entry[]): FileProblem {
  const names = others.map((f) => path.basename(f.file)).join(', ');
  const message = `version ${entry.parsed.version} is also used by ${names}; each version must belong to one migration`;
  return problem(entry.file, 'duplicate-version', message, entry.parsed.version);
}

/**
 * Reads are remembered per file, keyed by what `stat` says (size, mtime, ctime, inode), so a refresh
 * of a large folder (the editor refreshes on every save and run) stats each file instead of reading
 * and hashing it again. A file whose mtime is less than RACY_MS old is never remembered: a file
 * system's clock can be coarse enough that two writes in one tick leave the same mtime and size, so
 * a file is trusted by its stat only once it has been quiet for longer than any such tick (as git
 * treats "racily clean" index entries).
 */
interface Remembered {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  sections: SectionsOk | FileProblem;
  /** checksum of the UP section, computed on first use. */
  checksum: string | null;
  /** migration built from this file alone (no `.down.sql` half), kept for the next discovery. */
  migration: MigrationFile | null;
}
const RACY_MS = 2000;
/** remembered holds the last reads of each folder's files; each discovery replaces its folder's map. */
const remembered = new Map<string, Map<string, Remembered>>();

/** forgetReads drops what discovery remembers of one file (it changed), or of every file when none is named. */
export function forgetReads(file?: string): void {
  if (file === undefined) remembered.clear();
  else for (const reads of remembered.values()) reads.delete(path.resolve(file));
}

function sameFile(entry: Remembered, stats: Stats): boolean {
  return entry.size === stats.size && entry.mtimeMs === stats.mtimeMs && entry.ctimeMs === stats.ctimeMs && entry.ino === stats.ino;
}

/** Reader reads one discovery's files, reusing what the previous discovery of the same folder read. */
class Reader {
  private readonly previous: Map<string, Remembered> | undefined;
  readonly current = new Map<string, Remembered>();
  /** remember false: a one-off read that neither uses nor feeds what earlier discoveries remembered. */
  constructor(
    dir: string,
    private readonly trust: boolean,
    remember = true,
  ) {
    this.previous = remember ? remembered.get(dir) : undefined;
  }

  /** sections reads and splits one file (or reuses the last read when the file is unchanged). */
  sections(entry: Entry): Remembered | FileProblem {
    const known = this.previous?.get(entry.file);
    if (known) {
      const stats = this.trust ? null : statSync(entry.file, { throwIfNoEntry: false });
      if (this.trust || (stats && sameFile(known, stats))) {
        this.current.set(entry.file, known);
        return known;
      }
    }
    const split = readAndSplit(entry);
    if ('kind' in split) return split;
    const { result, stats } = split;
    const sections = result.ok ? result : badSections(entry, result);
    const read: Remembered = { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, sections, checksum: null, migration: null };
    if (Date.now() - stats.mtimeMs > RACY_MS) this.current.set(entry.file, read);
    return read;
  }
}

/** readAndSplit reads a file and splits it into sections, with the stat taken before reading; a problem when it cannot be read. */
function readAndSplit(entry: Entry): { result: SectionsResult; stats: Stats } | FileProblem {
  let read: [string, Stats];
  try {
    read = readText(entry.file);
  } catch (error) {
    return unreadable(entry, error);
  }
  return { result: splitSections(read[0], entry.file), stats: read[1] };
}

/** readText reads a whole file as UTF-8 through the shared buffer (a private copy for large files), with its stat taken before reading. */
function readText(file: string): [string, Stats] {
  const fd = openSync(file, 'r');
  try {
    const stats = fstatSync(fd);
    let bytes = shared;
    let length = 0;
    for (;;) {
      const read = readSync(fd, bytes, length, bytes.length - length, null);
      length += read;
      // A short read of a regular file means end of file; this saves a syscall per file.
      if (read === 0 || length < bytes.length) return [bytes.toString('utf8', 0, length), stats];
      bytes = Buffer.concat([bytes, Buffer.allocUnsafe(bytes.length)]);
    }
  } finally {
    closeSync(fd);
  }
}

/** readSections reads one file's sections, or describes why it could not. */
function readSections(reader: Reader, entry: Entry): SectionsOk | FileProblem {
  const read = reader.sections(entry);
  return 'kind' in read ? read : read.sections;
}

/** upChecksum is the checksum of an UP section, computed once per remembered read. */
function upChecksum(read: Remembered, sections: SectionsOk): string {
  return (read.checksum ??= checksumOf(sections.up.text));
}

/** buildMigration reads a unit's file(s) into a MigrationFile; a single file unchanged since the last discovery gives the same one. */
function buildMigration(reader: Reader, unit: Unit): MigrationFile | FileProblem {
  const { main } = unit;
  const read = reader.sections(main);
  if ('kind' in read) return read;
  const single = unit.downs.length === 0;
  if (single && read.migration) return read.migration;
  const upSections = read.sections;
  if ('kind' in upSections) return upSections;
  if (main.parsed.part === 'up' && upSections.downMarkerLine !== null) return downMarkerInUpFile(main, upSections.downMarkerLine);
  const downEntry = unit.downs[0];
  const down = downEntry ? readDownFile(reader, downEntry) : { section: upSections.down, noTransaction: false };
  if ('kind' in down) return down;
  const { version, name, scheme } = main.parsed;
  const migration: MigrationFile = {
    version,
    name,
    description: describe(upSections.description, main.parsed),
    scheme,
    file: main.file,
    downFile: downEntry?.file ?? null,
    up: upSections.up,
    down: down.section,
    noTransaction: upSections.noTransaction || down.noTransaction,
    checksum: upChecksum(read, upSections),
  };
  if (single) read.migration = migration;
  return migration;
}

/**
 * readDownFile reads the `.down.sql` half of a pair: its DOWN section if it has a DOWN marker, else
 * the whole file; an UP marker there is an error. Only comments and blank lines means no DOWN.
 */
function readDownFile(reader: Reader, entry: Entry): { section: MigrationFile['down']; noTransaction: boolean } | FileProblem {
  const sections = readSections(reader, entry);
  if ('kind' in sections) return sections;
  if (sections.up.markerLine !== null) return upMarkerInDownFile(entry, sections.up.markerLine);
  if (sections.downMarkerLine !== null) return { section: sections.down, noTransaction: sections.noTransaction };
  return { section: hasSql(sections.up.text) ? sections.up : null, noTransaction: sections.noTransaction };
}

/**
 * buildFromFacts is buildMigration from what the cache knows of each file (reading and recording the
 * files it does not vouch for): the same checks and the same messages, with `up` and `down` left unread.
 */
function buildFromFacts(cache: DiscoveryCache, unit: Unit): MigrationFile | FileProblem {
  const { main } = unit;
  const facts = factsFor(cache, main);
  if ('kind' in facts) return facts;
  if (!facts.ok) return badSections(main, facts);
  if (main.parsed.part === 'up' && facts.downMarkerLine !== null) return downMarkerInUpFile(main, facts.downMarkerLine);
  const downEntry = unit.downs[0];
  let downNoTransaction = false;
  if (downEntry) {
    const down = factsFor(cache, downEntry);
    if ('kind' in down) return down;
    if (!down.ok) return badSections(downEntry, down);
    if (down.upMarkerLine !== null) return upMarkerInDownFile(downEntry, down.upMarkerLine);
    downNoTransaction = down.noTransaction;
  }
  if (facts.checksum === null) return problem(main.file, 'unreadable', `${path.basename(main.file)} cannot be read (no checksum)`, main.parsed.version);
  return new UnreadMigration(unit, describe(facts.description, main.parsed), facts.noTransaction || downNoTransaction, facts.checksum);
}

/** describe is a migration's description: its header's, else its name made readable. */
function describe(header: string | null, parsed: ParsedName): string {
  return header ?? parsed.name.replace(/[_-]+/g, ' ').trim();
}

// The problems a file can have, worded the same whether discovery read the file or the status cache knew it.
function unreadable(entry: Entry, error: unknown): FileProblem {
  const reason = (error as NodeJS.ErrnoException).code ?? String(error);
  return problem(entry.file, 'unreadable', `${path.basename(entry.file)} cannot be read (${reason})`, entry.parsed.version);
}

function badSections(entry: Entry, facts: { message: string; line: number }): FileProblem {
  return problem(entry.file, 'bad-sections', `${path.basename(entry.file)}: ${facts.message}`, entry.parsed.version, facts.line);
}

function downMarkerInUpFile(entry: Entry, line: number): FileProblem {
  return problem(entry.file, 'bad-sections', `${path.basename(entry.file)} has a DOWN marker (line ${line}); in a pair, DOWN goes in the .down.sql file`, entry.parsed.version, line);
}

function upMarkerInDownFile(entry: Entry, line: number): FileProblem {
  return problem(entry.file, 'bad-sections', `${path.basename(entry.file)} has an UP marker (line ${line}); in a pair, UP goes in the .up.sql file`, entry.parsed.version, line);
}

/** factsFor is what the cache vouches for about one file, or what reading it now gives (recorded in the cache). */
function factsFor(cache: DiscoveryCache, entry: Entry): FileFacts | FileProblem {
  const known = cache.lookup(entry.name, entry.file);
  if (known) return known;
  const split = readAndSplit(entry);
  if ('kind' in split) return split;
  const { result, stats } = split;
  const down = entry.parsed.part === 'down';
  const facts: FileFacts = result.ok
    ? {
        ok: true,
        checksum: down ? null : checksumOf(result.up.text),
        description: result.description,
        noTransaction: result.noTransaction,
        upMarkerLine: result.up.markerLine,
        downMarkerLine: result.downMarkerLine,
      }
    : { ok: false, message: result.message, line: result.line };
  cache.record(entry.name, stats, facts);
  return facts;
}

/**
 * UnreadMigration is a migration built from cached facts: everything `status` shows is known, and its
 * `up` and `down` sections are read from disk on first use. A file that no longer gives the recorded
 * checksum by then is an error rather than a silent mix of old facts and new text.
 */
class UnreadMigration implements MigrationFile {
  private sections: { up: MigrationFile['up']; down: MigrationFile['down'] } | null = null;
  constructor(
    private readonly unit: Unit,
    readonly description: string,
    readonly noTransaction: boolean,
    readonly checksum: string,
  ) {}

  get version(): string {
    return this.unit.main.parsed.version;
  }

  get name(): string {
    return this.unit.main.parsed.name;
  }

  get scheme(): MigrationFile['scheme'] {
    return this.unit.main.parsed.scheme;
  }

  get file(): string {
    return this.unit.main.file;
  }

  get downFile(): string | null {
    return this.unit.downs[0]?.file ?? null;
  }

  get up(): MigrationFile['up'] {
    return this.read().up;
  }

  get down(): MigrationFile['down'] {
    return this.read().down;
  }

  private read(): { up: MigrationFile['up']; down: MigrationFile['down'] } {
    if (this.sections) return this.sections;
    const fresh = buildMigration(new Reader(path.dirname(this.file), false, false), this.unit);
    if ('kind' in fresh) throw new StrataError('migration-file-invalid', fresh.message, { file: fresh.file });
    if (fresh.checksum !== this.checksum) {
      throw new StrataError('migration-file-invalid', `${path.basename(this.file)} changed while Strata was reading the migrations folder; run the command again.`, { file: this.file });
    }
    this.sections = { up: fresh.up, down: fresh.down };
    return this.sections;
  }
}
