/**
 * A session the server ends while no query is running (an administrator's pg_terminate_backend, a
 * restart) fails its next query with a bare socket error ("write ECONNRESET"); lostConnection keeps
 * the server's own reason so that the CLI can say what happened (src/cli/project.ts, withRunContext).
 */
import assert from 'node:assert/strict';
import { connect, lostConnection } from '../../../src/core/db';
import { freshDatabase, withClient, type TestDatabase } from '../../support/postgres';

describe('db: a session lost between queries', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('is reported with the server\'s reason and the target, password hidden', async () => {
    const target = { url: db.url, source: 'test' };
    const client = await connect(target, { pipeline: true });
    try {
      assert.equal(lostConnection(client, target, {}), null, 'a live session has lost nothing');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      await withClient(db.url, (admin) => admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]));
      await ended;
      await assert.rejects(client.query('SELECT 1'));
      const error = lostConnection(client, target, {});
      assert.ok(error, 'the end was recorded');
      assert.equal(error.code, 'connection-failed');
      assert.match(error.message, /^the connection to postgres:\/\/\S+ was lost: terminating connection due to administrator command$/);
      const password = new URL(db.url).password;
      if (password) assert.ok(!error.message.includes(password), 'no password in the message');
    } finally {
      await client.end().catch(() => undefined);
    }
  });
});
