import assert from 'node:assert/strict';
import { defaultConnection, fromEnvironment, fromSetting, hasPasswordInUrl, withoutPassword, withPassword } from '../../../src/extension/connections/connection';

describe('connection settings', () => {
  it('builds a URL without password from host, port, database, user and ssl', () => {
    const connection = fromSetting({ name: ' staging ', host: 'db.example.com', port: 6543, database: 'app', user: 'deploy', ssl: true, production: true }, 0);
    assert.equal(connection.name, 'staging');
    assert.equal(connection.id, 'settings:staging');
    assert.equal(connection.url, 'postgres://deploy@db.example.com:6543/app?sslmode=require');
    assert.equal(connection.production, true);
    assert.equal(connection.secretKey, 'strata.password:staging');
    assert.equal(connection.problem, null);
  });

  it('explains an entry with neither url nor host', () => {
    assert.match(fromSetting({ name: 'broken' }, 2).problem ?? '', /"broken" in settings \(strata\.connections\) needs a "url" or a "host"/);
    assert.equal(fromSetting({}, 2).name, 'connection 3');
  });

  it('moves passwords between URLs and secret storage without touching the rest', () => {
    const url = 'postgres://app:s%23cret@localhost:5432/app?sslmode=disable';
    assert.equal(hasPasswordInUrl(url), true);
    assert.equal(withoutPassword(url), 'postgres://app@localhost:5432/app?sslmode=disable');
    assert.equal(hasPasswordInUrl(withoutPassword(url)), false);
    assert.equal(withPassword('postgres://app@localhost/app', 's#cret'), 'postgres://app:s%23cret@localhost/app');
    assert.equal(withPassword(url, 'other'), url, 'a URL that has a password keeps it');
  });

  it('offers DATABASE_URL and POSTGRES_URL from the environment, then from .env', () => {
    const found = fromEnvironment({ POSTGRES_URL: 'postgres://e/db' }, { DATABASE_URL: 'postgres://d/db' });
    assert.deepEqual(found.map((c) => [c.id, c.name]), [['environment:POSTGRES_URL', 'POSTGRES_URL'], ['.env:DATABASE_URL', 'DATABASE_URL (.env)']]);
  });

  it('picks the environment or .env by default, else a non-production connection, never a production one', () => {
    const production = fromSetting({ name: 'prod', url: 'postgres://p/db', production: true }, 0);
    const local = fromSetting({ name: 'local', url: 'postgres://l/db' }, 1);
    const [dotenv] = fromEnvironment({}, { DATABASE_URL: 'postgres://d/db' });
    assert.equal(defaultConnection([production, local, dotenv!])?.name, 'DATABASE_URL (.env)');
    assert.equal(defaultConnection([production, local])?.name, 'local');
    assert.equal(defaultConnection([production]), null);
  });
});
