import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { checksumOf } from './checksum';
import { StrataError } from './errors';
import { splitSections } from './sections';
import type { ChecksumKind, MigrationFile } from './types';

/**
 * fileAsRun reads a migration's file again, for a tool whose checksum covers the whole file (UP and DOWN
 * sections, header and all), and makes sure it is still the file whose UP section was run: a file edited
 * after Strata read it would otherwise be recorded with the checksum of text that never ran. Throws
 * before the tracking row is written (in a transaction, before anything is sent).
 */
export function fileAsRun(migration: MigrationFile): Buffer {
  // Remembered per migration: a migration run outside a transaction checks its file before its first
  // statement and records it after the last, from the same bytes.
  const known = filesAsRun.get(migration);
  if (known) return known;
  const bytes = readFileSync(migration.file);
  const split = splitSections(bytes.toString('utf8'), migration.file);
  if (!split.ok || checksumOf(split.up.text) !== migration.checksum) {
    throw new StrataError('migration-file-invalid', `${basename(migration.file)} changed after Strata read it, so it was not recorded; run the command again.`, { file: migration.file });
  }
  filesAsRun.set(migration, bytes);
  return bytes;
}

const filesAsRun = new WeakMap<MigrationFile, Buffer>();

/** md5Checksum is the MD5 (hex) of a file's bytes exactly as on disk, as hand-made runners compute it. */
export function md5Checksum(bytes: Buffer): string {
  return hash('md5', bytes, 'hex');
}

/**
 * flywayChecksum is Flyway's checksum of a script (AbstractLoadableResource.checksum): the file is read
 * line by line (BOM removed from the first line, line terminators \r\n, \r and \n dropped) and a CRC32
 * is updated with each line's UTF-8 bytes; the result is stored as a signed 32-bit integer. Feeding
 * the lines one after another equals one CRC32 over the text with its line terminators removed.
 */
export function flywayChecksum(text: string): number {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // zlib is loaded here, on first use: only Flyway projects need it, and loading it costs every start ~2 ms.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { crc32 } = require('node:zlib') as typeof import('node:zlib');
  return crc32(Buffer.from(withoutBom.replace(/\r\n|\r|\n/g, ''), 'utf8')) | 0;
}

/** prismaChecksum is Prisma Migrate's checksum of `migration.sql`: the SHA-256 (hex, zero-padded) of its text as is. */
export function prismaChecksum(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * prismaChecksumMatches is Prisma's own comparison (schema-connector `script_matches_checksum`): the
 * script as is, with CRLF turned into LF, or with LF turned into CRLF; a stored checksum that is not
 * 64 characters long was written without zero-padding each byte (older Prisma versions).
 */
export function prismaChecksumMatches(text: string, stored: string): boolean {
  const variants = [text, text.replace(/\r\n/g, '\n'), text.replace(/\n/g, '\r\n')];
  return variants.some((variant) => {
    const digest = hash('sha256', variant, 'buffer');
    const rendered = stored.length !== 64 && stored !== '' ? [...digest].map((byte) => byte.toString(16)).join('') : digest.toString('hex');
    return rendered === stored;
  });
}

/** foreignChecksumMatches is true when a file still has the checksum another tool stored for it (always, for a tool without checksums). */
export function foreignChecksumMatches(kind: ChecksumKind, stored: string, file: string): boolean {
  if (kind === 'none') return true;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return false;
  }
  if (kind === 'md5') return md5Checksum(bytes) === stored;
  const text = bytes.toString('utf8');
  if (kind === 'flyway-crc32') return String(flywayChecksum(text)) === stored;
  return prismaChecksumMatches(text, stored);
}
