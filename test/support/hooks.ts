/**
 * Root hooks for the integration suite (required by test/.mocharc.integration.json): one PostgreSQL server
 * for the whole run, started before the first suite and stopped after the last.
 */
import type { RootHookObject } from 'mocha';
import { startTestServer, stopTestServer } from './postgres';

// A run interrupted by Ctrl-C, a CI timeout or a closed terminal would otherwise die without the 'exit'
// event, the only place the server and its temp dir can still be cleaned up.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.once(signal, () => process.exit(code));
}

/** mochaHooks starts the run's PostgreSQL before all suites and stops it after them. */
export const mochaHooks: RootHookObject = {
  async beforeAll() {
    await startTestServer();
  },
  async afterAll() {
    await stopTestServer();
  },
};
