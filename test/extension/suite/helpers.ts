/**
 * Helpers for tests that run inside the extension host: the extension's API, the workspace folder,
 * databases on the test server, the tree as text, and stand-ins for prompts.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import * as vscode from 'vscode';
import type { StrataApi } from '../../../src/extension/extension';
import type { TreeNode } from '../../../src/extension/tree/nodes';

export const EXTENSION_ID = 'strata.strata';

/** strata activates the extension (if it is not yet) and returns its API. */
export async function strata(): Promise<StrataApi> {
  const extension = vscode.extensions.getExtension<StrataApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  return extension.activate();
}

/** extensionRoot is the repository (the extension under development). */
export function extensionRoot(): string {
  return vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
}

/** workspaceFolder is the folder the test run opened (a copy of test/extension/fixtures/project). */
export function workspaceFolder(): string {
  const folder = process.env.STRATA_TEST_WORKSPACE;
  if (!folder) throw new Error('STRATA_TEST_WORKSPACE is not set: run the host tests with `npm run test:extension`.');
  return folder;
}

/** workspacePath is a path inside the workspace folder. */
export function workspacePath(...parts: string[]): string {
  return join(workspaceFolder(), ...parts);
}

/** writeWorkspaceFile writes a file of the workspace, creating folders as needed. */
export function writeWorkspaceFile(relative: string, content: string): string {
  const file = workspacePath(relative);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** resetMigrations puts the fixture's migrations back, removing any other file of the folder. */
export function resetMigrations(): void {
  const target = workspacePath('migrations');
  rmSync(target, { recursive: true, force: true });
  cpSync(join(extensionRoot(), 'test', 'extension', 'fixtures', 'project', 'migrations'), target, { recursive: true });
}

/** migrationFiles lists the migration folder's file names. */
export function migrationFiles(): string[] {
  return readdirSync(workspacePath('migrations')).sort();
}

/** TestDatabase is a database of its own on the test server. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** createDatabase makes an empty database on the run's PostgreSQL. */
export async function createDatabase(): Promise<TestDatabase> {
  const admin = process.env.STRATA_TEST_ADMIN_URL;
  if (!admin) throw new Error('STRATA_TEST_ADMIN_URL is not set');
  const name = `strata_host_${randomBytes(4).toString('hex')}`;
  await query(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => query(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined) };
}

/** query runs one statement on a database and returns its rows. */
export async function query<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, application_name: 'strata-host-tests' });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** appliedVersions reads the tracking table directly (not through the extension). */
export async function appliedVersions(url: string): Promise<string[]> {
  const exists = await query<{ found: boolean }>(url, `SELECT to_regclass('public.schema_migrations') IS NOT NULL AS found`);
  if (!exists[0]?.found) return [];
  return (await query<{ version: string }>(url, 'SELECT version FROM public.schema_migrations ORDER BY version')).map((row) => row.version);
}

/** useDatabase points the workspace's .env at a database and waits until the extension has read it. */
export async function useDatabase(api: StrataApi, url: string): Promise<void> {
  writeWorkspaceFile('.env', `DATABASE_URL=${url}\n`);
  await api.projects.refreshAll();
}

/**
 * treeText renders the tree as the user sees it, one line per item, indented by depth:
 * `Pending (2)`, `  20240101000000 Create users`.
 */
export async function treeText(api: StrataApi): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (node: TreeNode | undefined, depth: number): Promise<void> => {
    for (const child of await api.tree.getChildren(node)) {
      const item = api.tree.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const description = child.kind === 'group' ? ` (${String(item.description)})` : '';
      lines.push(`${'  '.repeat(depth)}${label}${description}`);
      await walk(child, depth + 1);
    }
  };
  await walk(undefined, 0);
  return lines;
}

/** findNode returns the tree node of a migration version. */
export async function findNode(api: StrataApi, version: string): Promise<TreeNode> {
  const search = async (node: TreeNode | undefined): Promise<TreeNode | undefined> => {
    for (const child of await api.tree.getChildren(node)) {
      if (child.kind === 'migration' && child.status.version === version) return child;
      const found = await search(child);
      if (found) return found;
    }
    return undefined;
  };
  const found = await search(undefined);
  if (!found) throw new Error(`no tree item for version ${version}:\n${(await treeText(api)).join('\n')}`);
  return found;
}

type AnyFunction = (...args: never[]) => unknown;

/**
 * Stubs replaces functions of an object (the `vscode.window` the extension shares with these tests)
 * and records the calls; `restore()` puts the originals back (call it in afterEach).
 */
export class Stubs {
  private readonly restores: (() => void)[] = [];
  readonly calls = new Map<string, unknown[][]>();

  stub<T extends object, K extends keyof T>(target: T, key: K, replacement: T[K] & AnyFunction): void {
    const original = target[key];
    const calls: unknown[][] = [];
    this.calls.set(String(key), calls);
    const recorded = (...args: unknown[]): unknown => {
      calls.push(args);
      return (replacement as (...a: unknown[]) => unknown)(...args);
    };
    (target as Record<K, unknown>)[key] = recorded;
    this.restores.push(() => {
      (target as Record<K, unknown>)[key] = original;
    });
  }

  /** answerModals makes every modal warning return `answer` (a button title, or undefined for Cancel). */
  answerModals(answer: string | undefined): void {
    this.stub(vscode.window, 'showWarningMessage', ((...args: unknown[]) => {
      const options = args[1];
      const modal = typeof options === 'object' && options !== null && (options as { modal?: boolean }).modal === true;
      return Promise.resolve(modal ? answer : undefined);
    }));
  }

  /** collectMessages records information and error messages without showing them. */
  collectMessages(): { info: string[]; errors: string[] } {
    const info: string[] = [];
    const errors: string[] = [];
    this.stub(vscode.window, 'showInformationMessage', ((message: string) => {
      info.push(message);
      return Promise.resolve(undefined);
    }));
    this.stub(vscode.window, 'showErrorMessage', ((message: string) => {
      errors.push(message);
      return Promise.resolve(undefined);
    }));
    return { info, errors };
  }

  restore(): void {
    while (this.restores.length > 0) this.restores.pop()!();
    this.calls.clear();
  }
}

/** nextEvent resolves with the next event that satisfies the predicate, or rejects after timeoutMs. */
export function nextEvent<T>(event: vscode.Event<T>, predicate: (value: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no matching event within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = event((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

/**
 * databaseSuite registers the hooks the suites that run migrations share: Strata activated, the
 * fixture migrations reset (then `prepare` adds a suite's own files), a new database selected as the
 * folder's connection, stubs restored after each test; after the suite, the fixtures reset, the tree
 * refreshed, editors closed and the database dropped. `ready` receives the API and the database.
 */
export function databaseSuite(stubs: Stubs, ready: (api: StrataApi, database: TestDatabase) => void, prepare: () => void = () => undefined): void {
  let api: StrataApi | undefined;
  let database: TestDatabase | undefined;
  before(async () => {
    api = await strata();
    resetMigrations();
    prepare();
    database = await createDatabase();
    await useDatabase(api, database.url);
    ready(api, database);
  });
  afterEach(() => stubs.restore());
  after(async () => {
    resetMigrations();
    await api?.projects.refreshAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await database?.drop();
  });
}
