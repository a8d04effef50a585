import assert from 'node:assert/strict';
import { flywayChecksum, md5Checksum, prismaChecksum, prismaChecksumMatches } from '../../../src/core/foreignChecksum';
import { compareVersions } from '../../../src/core/types';

describe('foreign checksums', () => {
  // Flyway's checksum is java.util.zip.CRC32 over each line's UTF-8 bytes, cast to int. CRC-32's
  // published check value is CRC32("123456789") = 0xCBF43926, which as a signed int is -873187034.
  it('computes Flyway\'s CRC32 as a signed int, independent of line endings and a BOM', () => {
    assert.equal(flywayChecksum('123456789'), -873187034);
    assert.equal(flywayChecksum('123\n456\n789\n'), -873187034);
    assert.equal(flywayChecksum('\uFEFF123\r\n456\r789'), -873187034);
    // CRC32("The quick brown fox jumps over the lazy dog") = 0x414FA339.
    assert.equal(flywayChecksum('The quick brown fox jumps over the lazy dog'), 0x414fa339);
    assert.notEqual(flywayChecksum('SELECT 1;'), flywayChecksum('SELECT 2;'));
  });

  // Prisma's own test (schema-connector checksum.rs): render_checksum("hello") is this padded hex.
  it('computes Prisma\'s SHA-256 and matches as Prisma does (CRLF either way, unpadded legacy form)', () => {
    assert.equal(prismaChecksum('hello'), '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    assert.ok(prismaChecksumMatches('ab\r\ncd\r\n', prismaChecksum('ab\ncd\n')));
    assert.ok(prismaChecksumMatches('ab\ncd\n', prismaChecksum('ab\r\ncd\r\n')));
    assert.ok(!prismaChecksumMatches('abc\n', prismaChecksum('abc')));
    const unpadded = [...Buffer.from(prismaChecksum('hello'), 'hex')].map((b) => b.toString(16)).join('');
    assert.ok(unpadded.length < 64);
    assert.ok(prismaChecksumMatches('hello', unpadded));
  });

  it('computes MD5 of the file\'s bytes (BOM and CRLF count)', () => {
    assert.equal(md5Checksum(Buffer.from('')), 'd41d8cd98f00b204e9800998ecf8427e');
    assert.notEqual(md5Checksum(Buffer.from('a\r\n')), md5Checksum(Buffer.from('a\n')));
  });

  it('orders dotted versions part by part, missing parts as zero', () => {
    assert.ok(compareVersions('1.2', '1.10') < 0);
    assert.ok(compareVersions('1.10', '2') < 0);
    assert.equal(compareVersions('1', '1.0'), 0);
    assert.equal(compareVersions('01.1', '1.1'), 0);
    assert.ok(compareVersions('10', '9') > 0);
  });
});
