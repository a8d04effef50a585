import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checksumOf, isCosmeticChange } from '../../../src/core/checksum';

describe('checksumOf', () => {
  const lf = 'CREATE TABLE a (id int);\nCREATE INDEX ON a (id);\n';

  it('is the SHA-256 hex of the text', () => {
    assert.equal(checksumOf(lf), createHash('sha256').update(lf, 'utf8').digest('hex'));
    assert.match(checksumOf(lf), /^[0-9a-f]{64}$/);
  });

  it('ignores CRLF, lone CR and a BOM', () => {
    assert.equal(checksumOf(lf.replace(/\n/g, '\r\n')), checksumOf(lf));
    assert.equal(checksumOf(lf.replace(/\n/g, '\r')), checksumOf(lf));
    assert.equal(checksumOf(`\uFEFF${lf}`), checksumOf(lf));
  });

  it('changes with any other change, including whitespace', () => {
    assert.notEqual(checksumOf(`${lf} `), checksumOf(lf));
    assert.notEqual(checksumOf(lf.replace('id int', 'id bigint')), checksumOf(lf));
  });

  it('hashes UTF-8 bytes of non-ASCII text', () => {
    const text = "INSERT INTO t VALUES ('é');\n";
    assert.equal(checksumOf(text), createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'));
  });
});

describe('isCosmeticChange', () => {
  const applied = 'CREATE TABLE a (\n  id int\n);\n';

  it('is true for whitespace, indentation and line-ending changes', () => {
    assert.equal(isCosmeticChange(applied, 'CREATE TABLE a (id int);'), true);
    assert.equal(isCosmeticChange(applied, 'CREATE  TABLE a(\r\n\tid int\r\n) ;\r\n'), true);
  });

  it('is true for added, removed or edited comments', () => {
    assert.equal(isCosmeticChange(applied, '-- make a\nCREATE TABLE a ( -- the table\n  id int /* key */\n);\n'), true);
    assert.equal(isCosmeticChange('-- old\nSELECT 1;', '-- new\nSELECT 1;'), true);
  });

  it('is false for a change to the SQL', () => {
    assert.equal(isCosmeticChange(applied, 'CREATE TABLE a (\n  id bigint\n);\n'), false);
    assert.equal(isCosmeticChange(applied, 'CREATE TABLE b (\n  id int\n);\n'), false);
  });

  it('keeps the space between two words (a b is not ab)', () => {
    assert.equal(isCosmeticChange('SELECT a b FROM t;', 'SELECT ab FROM t;'), false);
  });

  it('treats quoted text as significant, including its whitespace and dashes', () => {
    assert.equal(isCosmeticChange("SELECT 'a  b';", "SELECT 'a b';"), false);
    assert.equal(isCosmeticChange("SELECT '--x', 1;", "SELECT '--y', 1;"), false);
    assert.equal(isCosmeticChange('SELECT "it\'s -- here";', 'SELECT "it\'s -- there";'), false);
    assert.equal(isCosmeticChange("SELECT 'it''s -- x' ;", "SELECT 'it''s -- x';"), true);
  });
});
