/** NamingScheme is how a folder numbers its migrations: 14-digit UTC timestamps or zero-padded sequences. */
export type NamingScheme = 'timestamp' | 'sequence';

/** Section is the UP or DOWN part of a migration, with where it sits in its file. */
export interface Section {
  /** file is the absolute path of the file the section was read from. */
  file: string;
  /** text is the section's SQL exactly as in the file (BOM removed, line endings untouched). */
  text: string;
  /** offset is the UTF-16 index of `text` in the file's text (after BOM removal). */
  offset: number;
  /** line and column (1-based, characters) of the first character of `text` in the file. */
  line: number;
  column: number;
  /** markerLine is the 1-based line of the `-- UP` / `-- DOWN` marker, when the section has one. */
  markerLine: number | null;
}

/** MigrationFile is one migration as found on disk: a single file, or an `.up.sql`/`.down.sql` pair. */
export interface MigrationFile {
  /** version is the numeric prefix exactly as written in the file name (e.g. "20240115120000", "001"). */
  version: string;
  /** name is the part of the file name after the version, without extension (e.g. "add_user_indexes"). */
  name: string;
  /** description is the header's `-- Migration:` text when present, otherwise the name made readable. */
  description: string;
  scheme: NamingScheme;
  /** file is the absolute path of the single file, or of the `.up.sql` file of a pair. */
  file: string;
  /** downFile is the absolute path of the `.down.sql` file of a pair. */
  downFile: string | null;
  up: Section;
  /** down is null for forward-only migrations. */
  down: Section | null;
  /** noTransaction is set by the `strata:no-transaction` directive (or dbmate's `transaction:false`). */
  noTransaction: boolean;
  /** checksum is the SHA-256 (hex) of the UP text with BOM removed and line endings normalised to LF. */
  checksum: string;
}

/** FileProblemKind names what is wrong with a `.sql` file that could not become a migration. */
export type FileProblemKind = 'bad-name' | 'duplicate-version' | 'orphan-down' | 'bad-sections' | 'unreadable' | 'unsupported';

/** FileProblem is a `.sql` file in the migrations folder that is reported instead of silently skipped. */
export interface FileProblem {
  file: string;
  kind: FileProblemKind;
  message: string;
  /** version is set when the name could be read (duplicates, section errors). */
  version: string | null;
  /** line (1-based) when the problem is at a place inside the file. */
  line: number | null;
}

/** MigrationSet is everything found in a migrations folder, migrations in version order. */
export interface MigrationSet {
  dir: string;
  migrations: MigrationFile[];
  problems: FileProblem[];
}

/**
 * ChecksumKind names how another tool's tracking table checksums a file (README, Adopting a project):
 * `none` keeps no checksum (never drift), `md5` is the MD5 of the file's bytes, `flyway-crc32` is
 * Flyway's line-wise CRC32, `prisma-sha256` is Prisma's SHA-256 of `migration.sql`.
 */
export type ChecksumKind = 'none' | 'md5' | 'flyway-crc32' | 'prisma-sha256';

/** AppliedMigration is one row of the tracking table. */
export interface AppliedMigration {
  version: string;
  name: string;
  /** checksum is Strata's checksum, or the other tool's when `checksumKind` is set. */
  checksum: string;
  script: string | null;
  /** appliedAt is when it ran; the epoch when the tool does not record it (golang-migrate, dbmate). */
  appliedAt: Date;
  appliedBy: string;
  executionMs: number;
  /** checksumKind is set for rows of another tool's table: how `checksum` was computed. */
  checksumKind?: ChecksumKind;
  /** failed is set when the tool recorded the migration as failed (or dirty, or unfinished). */
  failed?: string;
  /** retry is set on a failed row that `up` may run again (a log-style table records every attempt). */
  retry?: true;
}

/** MigrationState is what `status` reports for each migration. */
export type MigrationState = 'applied' | 'pending' | 'drifted' | 'missing' | 'out-of-order' | 'failed' | 'invalid';

/** MigrationStatus joins a file (if any) with its history row (if any). */
export interface MigrationStatus {
  version: string;
  name: string;
  description: string;
  state: MigrationState;
  migration: MigrationFile | null;
  applied: AppliedMigration | null;
  /** problem explains states other than applied/pending, in the user's words. */
  problem: string | null;
  /** file is the path shown to the user (absolute), null for a missing file. */
  file: string | null;
}

/**
 * compareVersions orders versions numerically ("2" < "10", "001" == "1"). Dotted versions (Flyway's
 * `1.1`, `1.10`) compare part by part, each part numerically, missing parts as 0 (`1` == `1.0`).
 */
export function compareVersions(a: string, b: string): number {
  if (a.includes('.') || b.includes('.')) return compareDotted(a, b);
  const x = withoutLeadingZeros(a);
  const y = withoutLeadingZeros(b);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** compareDotted compares two versions part by part (parts split on '.'). */
function compareDotted(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const order = compareVersions(x[i] ?? '0', y[i] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * withoutLeadingZeros drops the zero padding of a version ("001" -> "1", "000" -> "0"); a dotted
 * version loses it in every part and its trailing zero parts ("1.01.0" -> "1.1").
 */
export function withoutLeadingZeros(version: string): string {
  if (version.includes('.')) {
    const parts = version.split('.').map(withoutLeadingZeros);
    while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
    return parts.join('.');
  }
  if (version.charCodeAt(0) !== 48 /* 0 */) return version;
  let i = 0;
  while (i < version.length - 1 && version.charCodeAt(i) === 48) i++;
  return version.slice(i);
}
