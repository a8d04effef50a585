import assert from 'node:assert/strict';
import { parseMigrationFileName } from '../../../src/core/filename';

describe('parseMigrationFileName', () => {
  it('reads a 14-digit timestamp with an underscore as the timestamp scheme', () => {
    assert.deepEqual(parseMigrationFileName('20240115120000_add_user_indexes.sql'), {
      version: '20240115120000', name: 'add_user_indexes', scheme: 'timestamp', part: 'single', separator: '_',
    });
  });

  it('reads a timestamp with a hyphen separator', () => {
    assert.deepEqual(parseMigrationFileName('20240115120000-add-user-indexes.sql'), {
      version: '20240115120000', name: 'add-user-indexes', scheme: 'timestamp', part: 'single', separator: '-',
    });
  });

  it('reads zero-padded sequences with either separator as the sequence scheme', () => {
    assert.deepEqual(parseMigrationFileName('001_initial_schema.sql'), {
      version: '001', name: 'initial_schema', scheme: 'sequence', part: 'single', separator: '_',
    });
    assert.deepEqual(parseMigrationFileName('003-add-reset-token-fields.sql'), {
      version: '003', name: 'add-reset-token-fields', scheme: 'sequence', part: 'single', separator: '-',
    });
  });

  it('treats every digit count other than 14 as a sequence', () => {
    assert.equal(parseMigrationFileName('1_a.sql')?.scheme, 'sequence');
    assert.equal(parseMigrationFileName('2024011512000_a.sql')?.scheme, 'sequence');
    assert.equal(parseMigrationFileName('202401151200000_a.sql')?.scheme, 'sequence');
  });

  it('reads the up and down halves of a pair', () => {
    assert.deepEqual(parseMigrationFileName('004_add_usage_tracking.up.sql'), {
      version: '004', name: 'add_usage_tracking', scheme: 'sequence', part: 'up', separator: '_',
    });
    assert.deepEqual(parseMigrationFileName('004_add_usage_tracking.down.sql'), {
      version: '004', name: 'add_usage_tracking', scheme: 'sequence', part: 'down', separator: '_',
    });
  });

  it('accepts a version without a description, with name ""', () => {
    assert.deepEqual(parseMigrationFileName('20240115120000.sql'), {
      version: '20240115120000', name: '', scheme: 'timestamp', part: 'single', separator: '_',
    });
    assert.equal(parseMigrationFileName('005.up.sql')?.part, 'up');
  });

  it('ignores the case of .sql, .up and .down', () => {
    assert.equal(parseMigrationFileName('001_init.SQL')?.name, 'init');
    assert.equal(parseMigrationFileName('001_init.UP.Sql')?.part, 'up');
    assert.equal(parseMigrationFileName('001_init.Down.SQL')?.part, 'down');
  });

  it('rejects names that are not migrations', () => {
    for (const name of [
      'init.sql', 'V1_init.sql', 'v1__init.sql', 'R1__x.sql', '001_init.txt', '001_init.sql.bak', '001_.sql', '001__init.sql',
      '001 init.sql', '_001_init.sql', '001_init', 'seed.up.sql', '001_a.b.sql', '001_init.sideways.sql', '.sql',
    ]) {
      assert.equal(parseMigrationFileName(name), null, name);
    }
  });
});

describe('parseMigrationFileName (Flyway names)', () => {
  it('reads V and U files as the two halves of a pair, with dotted versions', () => {
    assert.deepEqual(parseMigrationFileName('V1__Create_person_table.sql'), {
      version: '1', name: 'Create_person_table', scheme: 'sequence', part: 'up', separator: '_', flyway: true,
    });
    assert.equal(parseMigrationFileName('V1_1__add.sql')?.version, '1.1');
    assert.equal(parseMigrationFileName('V1.10__add.sql')?.version, '1.10');
    assert.equal(parseMigrationFileName('U1.1__add.sql')?.part, 'down');
  });
});
