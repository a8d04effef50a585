import assert from 'node:assert/strict';
import { describeHolder, lockKeyFor, type LockHolder } from '../../../src/core/lock';

describe('lockKeyFor', () => {
  it('is the same for the same table, across calls and across releases', () => {
    // Pinned: runners of two Strata versions on one database must take the same lock for the
    // default table. The key is the first 8 bytes of SHA-256("strata:public.schema_migrations").
    assert.deepEqual(lockKeyFor('public', 'schema_migrations'), {
      key: '494680033500692185',
      classid: '115176670',
      objid: '2588507865',
    });
    assert.deepEqual(lockKeyFor('app', 'migrations'), lockKeyFor('app', 'migrations'));
  });

  it('differs per table and per schema', () => {
    const keys = [
      lockKeyFor('public', 'schema_migrations'),
      lockKeyFor('public', 'strata_migrations'),
      lockKeyFor('tenant_a', 'schema_migrations'),
      lockKeyFor('Public', 'schema_migrations'),
    ].map((k) => k.key);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('gives classid and objid as the unsigned high and low halves of the signed 64-bit key', () => {
    // public.strata_migrations has a negative key, so its classid is 2^31 or more.
    for (const [schema, table] of [['public', 'strata_migrations'], ['public', 'schema_migrations'], ['x', 'y']] as const) {
      const { key, classid, objid } = lockKeyFor(schema, table);
      const unsigned = BigInt.asUintN(64, BigInt(key));
      assert.equal(BigInt(classid), unsigned >> 32n, `${schema}.${table} classid`);
      assert.equal(BigInt(objid), unsigned & 0xffffffffn, `${schema}.${table} objid`);
      assert.ok(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n, 'key fits a bigint');
    }
    assert.ok(BigInt(lockKeyFor('public', 'strata_migrations').key) < 0n);
    assert.ok(Number(lockKeyFor('public', 'strata_migrations').classid) >= 2 ** 31);
  });
});

describe('describeHolder', () => {
  it('names everything known about the session', () => {
    const holder: LockHolder = {
      pid: 4242,
      applicationName: 'strata',
      user: 'deploy',
      clientAddress: '10.0.0.7',
      since: new Date('2024-05-01T08:30:00Z'),
      state: 'active',
    };
    assert.equal(
      describeHolder(holder),
      "pid 4242, application_name 'strata', user deploy, from 10.0.0.7, connected since 2024-05-01T08:30:00.000Z",
    );
  });

  it('leaves out what is not known', () => {
    const holder: LockHolder = { pid: 7, applicationName: '', user: null, clientAddress: null, since: null, state: null };
    assert.equal(describeHolder(holder), "pid 7, application_name ''");
  });

  it('explains an invisible holder', () => {
    assert.equal(describeHolder(null), 'another session (it released the lock or is not visible to this user)');
  });
});
