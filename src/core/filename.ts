import type { NamingScheme } from './types';

/** ParsedName is what a migration file name says: its version, description part, scheme and role. */
export interface ParsedName {
  /** version is the digits exactly as written ("001", "20240115120000"). */
  version: string;
  /** name is the part after the separator, without extension; '' when the file has none. */
  name: string;
  scheme: NamingScheme;
  /** part is 'single' for a file with UP and DOWN in one, 'up'/'down' for one half of a pair. */
  part: 'single' | 'up' | 'down';
  /** separator is the character between version and name ('_' when there is no name). */
  separator: '_' | '-';
  /** flyway is set for Flyway's `V<version>__<description>.sql` / `U<version>__<description>.sql` names. */
  flyway?: true;
}

/** ACCEPTED_NAMES describes the accepted file names, for messages about names that are not. */
export const ACCEPTED_NAMES =
  'accepted names are VERSION_name.sql (VERSION a 14-digit UTC timestamp such as 20240115120000, ' +
  'or a sequence number such as 001), VERSION-name.sql, pairs VERSION_name.up.sql + VERSION_name.down.sql, ' +
  'and Flyway names V1.2__name.sql with U1.2__name.sql';

/** TIMESTAMP_DIGITS is the length of a YYYYMMDDHHMMSS version. */
export const TIMESTAMP_DIGITS = 14;

// The name starts with a letter or digit and holds letters, digits, '_' and '-' only: no dots, so
// `.up`/`.down` can never be mistaken for part of the name, and no spaces or quotes that shells trip on.
const NAME_PATTERN = /^(\d+)(?:([_-])([\p{L}\p{N}][\p{L}\p{N}_-]*))?(\.up|\.down)?\.sql$/iu;

// Flyway: V (versioned) or U (undo), a version of digits separated by '.' or '_', two underscores, a description.
const FLYWAY_PATTERN = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/u;
const FLYWAY_REPEATABLE = /^R__.+\.sql$/u;

/** isFlywayRepeatable is true for Flyway's repeatable `R__<description>.sql` files, which have no version. */
export function isFlywayRepeatable(basename: string): boolean {
  return FLYWAY_REPEATABLE.test(basename);
}

/**
 * parseMigrationFileName reads a base name such as `001_init.sql`; null when it is not a migration name.
 * A Flyway version is written with '.' for '_' (`V1_1__x.sql` is version `1.1`), as Flyway records it;
 * a V file is the UP half of a pair whose DOWN is the U file of the same version and description.
 */
export function parseMigrationFileName(basename: string): ParsedName | null {
  const flyway = basename.charCodeAt(0) === 86 /* V */ || basename.charCodeAt(0) === 85 /* U */ ? FLYWAY_PATTERN.exec(basename) : null;
  if (flyway) {
    const [, prefix, version = '', name = ''] = flyway;
    return { version: version.replace(/_/g, '.'), name, scheme: 'sequence', part: prefix === 'U' ? 'down' : 'up', separator: '_', flyway: true };
  }
  const match = NAME_PATTERN.exec(basename);
  if (!match) return null;
  const [, version = '', separator, name = '', part] = match;
  return {
    version,
    name,
    scheme: version.length === TIMESTAMP_DIGITS ? 'timestamp' : 'sequence',
    part: part === undefined ? 'single' : part.toLowerCase() === '.up' ? 'up' : 'down',
    separator: separator === '-' ? '-' : '_',
  };
}
