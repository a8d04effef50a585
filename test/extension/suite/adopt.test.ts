import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Command } from '../../../src/extension/commandIds';
import type { StrataApi } from '../../../src/extension/extension';
import { createDatabase, query, resetMigrations, strata, Stubs, treeText, useDatabase, workspacePath, writeWorkspaceFile, type TestDatabase } from './helpers';

/** dbmate writes `-- migrate:up` / `-- migrate:down` sections and keeps `schema_migrations(version)`. */
function dbmateFile(table: string): string {
  return `-- migrate:up\nCREATE TABLE ${table} (id int);\n\n-- migrate:down\nDROP TABLE ${table};\n`;
}

describe('a dbmate project opened as it is', () => {
  let api: StrataApi;
  let database: TestDatabase;
  let config: string;
  const stubs = new Stubs();

  before(async () => {
    api = await strata();
    // No strata.json: nothing but the connection is configured.
    config = readFileSync(workspacePath('strata.json'), 'utf8');
    rmSync(workspacePath('strata.json'));
    rmSync(workspacePath('migrations'), { recursive: true, force: true });
    writeWorkspaceFile('migrations/20240101000000_users.sql', dbmateFile('users'));
    writeWorkspaceFile('migrations/20240102000000_posts.sql', dbmateFile('posts'));
    writeWorkspaceFile('migrations/20240103000000_tags.sql', dbmateFile('tags'));
    database = await createDatabase();
    await query(database.url, 'CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)');
    await query(database.url, 'CREATE TABLE users (id int); CREATE TABLE posts (id int)');
    await query(database.url, "INSERT INTO schema_migrations (version) VALUES ('20240101000000'), ('20240102000000')");
    await useDatabase(api, database.url);
  });
  afterEach(() => stubs.restore());
  // Not databaseSuite: dbmate's table must exist before the extension first reads this database.
  after(async () => {
    writeFileSync(workspacePath('strata.json'), config);
    resetMigrations();
    await api.projects.refreshAll();
    await database.drop();
  });

  it("shows dbmate's applied and pending migrations on the first refresh", async () => {
    assert.deepEqual(await treeText(api), ['Pending (1)', '  20240103000000 tags', 'Applied (2)', '  20240101000000 users', '  20240102000000 posts']);
  });

  it("names dbmate's table in Show Tracking Table (Adopt)", async () => {
    const messages = stubs.collectMessages();
    await vscode.commands.executeCommand(Command.showTrackingTable);
    assert.match(messages.info[0] ?? '', /^dbmate's table public\.schema_migrations: 2 applied, 1 pending\.$/);
  });

  it("applies the pending one into dbmate's table, in dbmate's format", async () => {
    stubs.collectMessages();
    await vscode.commands.executeCommand(Command.applyAll);
    const rows = await query<{ version: string }>(database.url, 'SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(rows.map((row) => row.version), ['20240101000000', '20240102000000', '20240103000000']);
    const columns = await query<{ column_name: string }>(database.url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'schema_migrations'");
    assert.deepEqual(columns.map((c) => c.column_name), ['version']);
    assert.deepEqual((await treeText(api)).slice(0, 2), ['Pending (0)', 'Applied (3)']);
  });
});
