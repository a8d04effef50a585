import assert from 'node:assert/strict';
import {
  APPLICATION_NAME,
  checkedTarget,
  clientConfig,
  describeTarget,
  passwordOf,
  qualifiedName,
  quoteIdentifier,
  redactSecrets,
  redactUrl,
  resolveConnectionTarget,
} from '../../../src/core/db';
import { StrataError } from '../../../src/core/errors';

const SECRET = 'hunter2';

/** refusal runs `run`, which must throw a StrataError with `code`, and returns its message. */
function refusal(run: () => unknown, code: string): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof StrataError, `expected a StrataError, got ${String(error)}`);
    assert.equal(error.code, code);
    return error.message;
  }
  return assert.fail(`expected a StrataError ${code}`);
}

describe('redactUrl', () => {
  it('hides the password and keeps user, host, port, database and parameters', () => {
    assert.equal(redactUrl(`postgres://alice:${SECRET}@db.example.com:5432/app?sslmode=require`), 'postgres://alice:***@db.example.com:5432/app?sslmode=require');
  });

  it('hides a percent-encoded password', () => {
    assert.equal(redactUrl('postgresql://alice:p%40ss%23@db/app'), 'postgresql://alice:***@db/app');
  });

  it('hides password and sslpassword query parameters', () => {
    assert.equal(redactUrl(`postgres://db/app?user=alice&password=${SECRET}&sslpassword=k3y`), 'postgres://db/app?user=alice&password=***&sslpassword=***');
  });

  it('leaves a URL without a password unchanged', () => {
    assert.equal(redactUrl('postgres://alice@db:5433/app'), 'postgres://alice@db:5433/app');
  });

  it('hides password values in a keyword/value connection string', () => {
    assert.equal(redactUrl(`host=db password=${SECRET} user=alice`), 'host=db password=*** user=alice');
  });

  it('hides the password of a URL written without its scheme', () => {
    assert.doesNotMatch(redactUrl(`alice:${SECRET}@db/app`), new RegExp(SECRET));
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence of each secret', () => {
    assert.equal(redactSecrets(`auth failed for ${SECRET}; ${SECRET} again`, [SECRET]), 'auth failed for ***; *** again');
  });

  it('also replaces the URL-encoded form of a secret', () => {
    assert.equal(redactSecrets('url postgres://a:p%40ss%23w@h/db, raw p@ss#w', ['p@ss#w']), 'url postgres://a:***@h/db, raw ***');
  });

  it('ignores null, undefined and empty secrets', () => {
    assert.equal(redactSecrets('nothing secret here', [null, undefined, '']), 'nothing secret here');
  });
});

describe('passwordOf', () => {
  it('returns the decoded password of a URL', () => {
    assert.equal(passwordOf(`postgres://alice:${SECRET}@db/app`), SECRET);
    assert.equal(passwordOf('postgres://alice:p%40ss%23@db/app'), 'p@ss#');
  });

  it('returns the password query parameter', () => {
    assert.equal(passwordOf(`postgres://db/app?password=${SECRET}`), SECRET);
  });

  it('returns null without a password, without a URL, or for text that is not a URL', () => {
    assert.equal(passwordOf('postgres://alice@db/app'), null);
    assert.equal(passwordOf(null), null);
    assert.equal(passwordOf(''), null);
    assert.equal(passwordOf('not a url'), null);
  });
});

describe('checkedTarget', () => {
  it('accepts postgres:// and postgresql:// URLs as they are', () => {
    for (const url of [`postgres://alice:${SECRET}@db:5432/app`, 'postgresql://db/app?sslmode=require', 'postgresql:///app?host=/tmp']) {
      assert.deepEqual(checkedTarget(url, '--url'), { url, source: '--url' });
    }
  });

  it('refuses other schemes without echoing the URL or its password', () => {
    const message = refusal(() => checkedTarget(`mysql://alice:${SECRET}@db/app`, 'DATABASE_URL'), 'invalid-argument');
    assert.match(message, /The connection URL in DATABASE_URL is not a valid postgres:\/\/ URL/);
    assert.doesNotMatch(message, new RegExp(SECRET));
    assert.doesNotMatch(message, /mysql|alice/);
  });

  it('refuses a URL without a scheme, whose "user:" would be read as one', () => {
    const message = refusal(() => checkedTarget(`alice:${SECRET}@db/app`, '--url'), 'invalid-argument');
    assert.doesNotMatch(message, new RegExp(SECRET));
  });

  it('refuses text that does not parse, telling how to encode special characters, without echoing it', () => {
    const message = refusal(() => checkedTarget(`postgres://alice:${SECRET}@db:port/app`, '--url'), 'invalid-argument');
    assert.match(message, /must be percent-encoded, e.g. # as %23/);
    assert.doesNotMatch(message, new RegExp(SECRET));
  });

  it('accepts a Unix-socket URL with credentials and the socket directory in ?host=', () => {
    const url = `postgres://app:${SECRET}@/app?host=/var/run/postgresql`;
    assert.deepEqual(checkedTarget(url, 'DATABASE_URL'), { url, source: 'DATABASE_URL' });
  });
});

describe('resolveConnectionTarget', () => {
  const url = (name: string): string => `postgres://u:p@${name}/db`;

  it('prefers --url over everything else', () => {
    const target = resolveConnectionTarget(url('explicit'), { DATABASE_URL: url('env') }, { DATABASE_URL: url('dotenv') });
    assert.deepEqual(target, { url: url('explicit'), source: '--url' });
  });

  it('then DATABASE_URL, then POSTGRES_URL from the environment', () => {
    assert.deepEqual(resolveConnectionTarget(undefined, { DATABASE_URL: url('a'), POSTGRES_URL: url('b') }), { url: url('a'), source: 'DATABASE_URL' });
    assert.deepEqual(resolveConnectionTarget(null, { POSTGRES_URL: url('b') }), { url: url('b'), source: 'POSTGRES_URL' });
  });

  it('prefers the environment over .env, even POSTGRES_URL over .env DATABASE_URL', () => {
    const target = resolveConnectionTarget(undefined, { POSTGRES_URL: url('env') }, { DATABASE_URL: url('dotenv') });
    assert.deepEqual(target, { url: url('env'), source: 'POSTGRES_URL' });
  });

  it('then DATABASE_URL, then POSTGRES_URL from .env, saying so', () => {
    assert.deepEqual(resolveConnectionTarget(undefined, {}, { DATABASE_URL: url('a'), POSTGRES_URL: url('b') }), { url: url('a'), source: 'DATABASE_URL in .env' });
    assert.deepEqual(resolveConnectionTarget(undefined, {}, { POSTGRES_URL: url('b') }), { url: url('b'), source: 'POSTGRES_URL in .env' });
  });

  it('falls back to the PG* variables, skipping empty values', () => {
    assert.deepEqual(resolveConnectionTarget('', { DATABASE_URL: '', PGHOST: 'db' }, { POSTGRES_URL: '' }), { url: null, source: 'PG* environment' });
  });

  it('refuses a malformed URL from the chosen source instead of falling back', () => {
    const message = refusal(() => resolveConnectionTarget(undefined, { DATABASE_URL: `mysql://u:${SECRET}@h/db`, POSTGRES_URL: url('ok') }), 'invalid-argument');
    assert.match(message, /in DATABASE_URL\b/);
    assert.doesNotMatch(message, new RegExp(SECRET));
  });
});

describe('quoteIdentifier', () => {
  it('double-quotes names, doubling embedded quotes', () => {
    assert.equal(quoteIdentifier('strata_migrations'), '"strata_migrations"');
    assert.equal(quoteIdentifier('My "odd" Table'), '"My ""odd"" Table"');
    assert.equal(quoteIdentifier('x"; DROP TABLE users; --'), '"x""; DROP TABLE users; --"');
  });

  it('refuses NUL characters', () => {
    refusal(() => quoteIdentifier('a\u0000b'), 'invalid-argument');
  });
});

describe('qualifiedName', () => {
  it('quotes schema and table separately', () => {
    assert.equal(qualifiedName('public', 'strata_migrations'), '"public"."strata_migrations"');
    assert.equal(qualifiedName('My.Schema', 't"x'), '"My.Schema"."t""x"');
  });
});

describe('clientConfig', () => {
  it('names the session "strata" and connects with the URL', () => {
    const config = clientConfig({ url: 'postgres://db/app', source: '--url' });
    assert.equal(APPLICATION_NAME, 'strata');
    assert.deepEqual(config, { application_name: 'strata', connectionTimeoutMillis: 10_000, connectionString: 'postgres://db/app' });
  });

  it('takes an application name, a timeout and a password when given', () => {
    const config = clientConfig({ url: null, source: 'PG* environment' }, { applicationName: 'strata-ext', connectTimeoutMs: 500, password: SECRET });
    assert.deepEqual(config, { application_name: 'strata-ext', connectionTimeoutMillis: 500, password: SECRET });
  });

  it('sets pipeline only when asked', () => {
    const target = { url: null, source: 'PG* environment' };
    assert.equal((clientConfig(target, { pipeline: true }) as Record<string, unknown>).pipeline, true);
    assert.equal('pipeline' in clientConfig(target), false);
  });

  it('overrides the database only when there is no URL', () => {
    assert.equal(clientConfig({ url: null, source: 'PG* environment', database: 'scratch_1' }).database, 'scratch_1');
    const withUrl = clientConfig({ url: 'postgres://db/app', source: '--url', database: 'scratch_1' });
    assert.equal(withUrl.database, undefined);
    assert.equal(withUrl.connectionString, 'postgres://db/app');
  });
});

describe('describeTarget', () => {
  it('shows a URL without its password', () => {
    assert.equal(describeTarget({ url: `postgres://alice:${SECRET}@db/app`, source: '--url' }), 'postgres://alice:***@db/app');
  });

  it('names the PG* host, port and database, with libpq defaults', () => {
    const target = { url: null, source: 'PG* environment' };
    assert.equal(describeTarget(target, { PGHOST: 'db', PGPORT: '5433', PGDATABASE: 'app' }), 'postgres://db:5433/app (from PG* environment)');
    assert.equal(describeTarget(target, { PGUSER: 'alice' }), 'postgres://localhost:5432/alice (from PG* environment)');
  });

  it('names the database a target overrides', () => {
    const target = { url: null, source: 'PG* environment', database: 'strata_verify_1' };
    assert.equal(describeTarget(target, { PGHOST: 'db', PGDATABASE: 'app' }), 'postgres://db:5432/strata_verify_1 (from PG* environment)');
  });
});
