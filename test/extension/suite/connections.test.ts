import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/extension/commandIds';
import type { StrataApi } from '../../../src/extension/extension';
import { appliedVersions, createDatabase, resetMigrations, strata, Stubs, useDatabase, type TestDatabase } from './helpers';

type Setting = Record<string, unknown>;

/** waitUntil resolves once check() holds, re-checking whenever event fires. */
function waitUntil<T>(check: () => boolean | Promise<boolean>, event: vscode.Event<T>, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      subscription.dispose();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`condition not met within ${timeoutMs} ms`)), timeoutMs);
    const probe = async (): Promise<void> => {
      if (await check()) finish();
    };
    const subscription = event(() => void probe());
    void probe();
  });
}

describe('connections', () => {
  let api: StrataApi;
  let database: TestDatabase;
  let password: string;
  let base: Setting;
  const stubs = new Stubs();
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('strata');
  const setConnections = (value: Setting[] | undefined): Thenable<void> => settings().update('connections', value, vscode.ConfigurationTarget.Workspace);
  const pickConnection = (name: string): void =>
    stubs.stub(vscode.window, 'showQuickPick', ((items: readonly { label: string; connection?: { name: string } }[]) =>
      Promise.resolve(items.find((item) => item.connection?.name === name))) as unknown as typeof vscode.window.showQuickPick);

  before(async () => {
    api = await strata();
    resetMigrations();
    database = await createDatabase();
    await useDatabase(api, database.url);
    const url = new URL(database.url);
    password = decodeURIComponent(url.password);
    base = { name: 'local', host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), database: database.name };
  });
  afterEach(() => stubs.restore());
  after(async () => {
    await setConnections(undefined);
    await api.projects.refreshAll();
    await database.drop();
  });

  it('connects to a settings connection only with the password from secret storage', async () => {
    await setConnections([base]);
    const messages = stubs.collectMessages();
    pickConnection('local');
    await vscode.commands.executeCommand(Command.selectConnection);
    await vscode.commands.executeCommand(Command.testConnection);
    assert.match(messages.errors[0] ?? '', /local needs a password and none is stored: run "Strata: Set Connection Password"/);
    assert.deepEqual(stubs.calls.get('showErrorMessage')![0]!.slice(1), ['Set Password', 'Select Connection']);

    stubs.stub(vscode.window, 'showInputBox', (() => Promise.resolve('not-the-password')));
    await vscode.commands.executeCommand(Command.setPassword);
    await vscode.commands.executeCommand(Command.testConnection);
    assert.match(messages.errors[1] ?? '', /password authentication failed/);
    assert.ok(!messages.errors[1]!.includes('not-the-password'));

    stubs.stub(vscode.window, 'showInputBox', (() => Promise.resolve(password)));
    await vscode.commands.executeCommand(Command.setPassword);
    await vscode.commands.executeCommand(Command.testConnection);
    assert.match(messages.info.at(-1) ?? '', /^Connected to local: PostgreSQL \d+/);
    assert.equal(settings().get<Setting[]>('connections')?.[0]?.url, undefined, 'no password written to settings');
    assert.match(api.statusBar.text, /^\$\(database\) local · 3 pending$/);
  });

  it('never writes a password to the Strata output', () => {
    const log = api.output.recent().join('\n');
    assert.match(log, /Connected to /);
    assert.ok(!log.includes(password), 'the database password is in the log');
    assert.ok(!log.includes('not-the-password'), 'a mistyped password is in the log');
  });

  it('asks before applying to a production connection, and does nothing when refused', async () => {
    await setConnections([{ ...base, production: true }]);
    await api.projects.refreshAll();
    stubs.collectMessages();
    stubs.answerModals(undefined);
    await vscode.commands.executeCommand(Command.applyAll);
    const [message] = stubs.calls.get('showWarningMessage')![0]! as [string];
    assert.match(message, /^Apply 3 migrations to the production database "local"\?$/);
    assert.deepEqual(await appliedVersions(database.url), []);
    stubs.restore();
    stubs.collectMessages();
    stubs.answerModals('Apply to Production');
    await vscode.commands.executeCommand(Command.applyAll);
    assert.deepEqual(await appliedVersions(database.url), ['20240101000000', '20240102000000', '20240103000000']);
  });

  it('offers to move a password found in a settings URL to secret storage', async () => {
    const url = new URL(database.url);
    stubs.stub(vscode.window, 'showWarningMessage', ((message: string) =>
      Promise.resolve(/has its password in settings/.test(message) ? 'Move Password' : undefined)));
    await setConnections([{ name: 'inline', url: url.toString() }]);
    const stored = (): boolean => {
      const value = settings().inspect<Setting[]>('connections')?.workspaceValue?.[0]?.url;
      return typeof value === 'string' && new URL(value).password === '';
    };
    await waitUntil(stored, vscode.workspace.onDidChangeConfiguration);
    url.password = '';
    assert.equal(settings().inspect<Setting[]>('connections')?.workspaceValue?.[0]?.url, url.toString());
    const messages = stubs.collectMessages();
    pickConnection('inline');
    await vscode.commands.executeCommand(Command.selectConnection);
    await vscode.commands.executeCommand(Command.testConnection);
    assert.match(messages.info.at(-1) ?? '', /^Connected to inline: PostgreSQL/);
  });

  it('adds a connection from prompts: settings get the URL without its password, secret storage the password', async () => {
    await setConnections(undefined);
    const answers = ['added', database.url];
    stubs.stub(vscode.window, 'showInputBox', (() => Promise.resolve(answers.shift())));
    stubs.stub(vscode.window, 'showQuickPick', ((items: readonly string[]) => Promise.resolve(items[0])) as unknown as typeof vscode.window.showQuickPick);
    const messages = stubs.collectMessages();
    await vscode.commands.executeCommand(Command.addConnection);
    const saved = settings().inspect<Setting[]>('connections')?.workspaceValue ?? [];
    const url = new URL(database.url);
    url.password = '';
    assert.deepEqual(saved, [{ name: 'added', url: url.toString(), production: false }]);
    assert.match(messages.info[0] ?? '', /^Added the connection "added" \(its password is in VS Code's secret storage\)\.$/);
    await vscode.commands.executeCommand(Command.testConnection);
    assert.match(messages.info.at(-1) ?? '', /^Connected to added: PostgreSQL/);
    assert.match(api.statusBar.text, /^\$\(database\) added · /);
  });
});
