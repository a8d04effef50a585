/**
 * Root hooks for the integration suite (required by test/.mocharc.integration.json): one PostgreSQL server
 * for the whole run, started before the first suite and stopped after the last.
 */
import type { RootHookObject } from 'mocha';
import { startTestServer, stopTestServer } from './postgres';

/** mochaHooks starts the run's PostgreSQL before all suites and stops it after them. */
export const mochaHooks: RootHookObject = {
  async beforeAll() {
    await startTestServer();
  },
  async afterAll() {
    await stopTestServer();
  },
};
