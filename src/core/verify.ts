import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { connect, quoteIdentifier, type ConnectionTarget, type ConnectOptions } from './db';
import { HistoryTable } from './history';
import type { Logger } from './logger';
import { migrateDown, migrateUp } from './runner';
import { assertUsableFolder } from './select';
import { diffSnapshots, snapshotSchema, type SchemaSnapshot } from './snapshot';
import { startEmbeddedServer } from './scratch';
import type { RunContext } from './context';
import type { MigrationFile, MigrationSet } from './types';

/** VerifyProblem is a migration whose UP or DOWN misbehaved on the scratch database. */
export interface VerifyProblem {
  version: string;
  file: string;
  problem: string;
  /** objects are the schema objects that differ (e.g. "table public.users", "column public.users.email"). */
  objects: string[];
}

/** VerifyResult is how many migrations were checked, what went wrong, and what could not be rolled back. */
export interface VerifyResult {
  checked: number;
  problems: VerifyProblem[];
  /** forwardOnly lists migrations without DOWN; rolling back stopped at the newest of them. */
  forwardOnly: string[];
  /** scratch says where the check ran ("temporary database strata_verify_… on …" or "embedded PostgreSQL 18"). */
  scratch: string;
}

/** VerifyOptions: the server to borrow a temporary database from (null: an embedded PostgreSQL). */
export interface VerifyOptions {
  target: ConnectionTarget | null;
  connectOptions?: ConnectOptions;
  schema: string;
  table: string;
  logger: Logger;
}

/**
 * verifyMigrations applies every migration from empty on a scratch database (never the user's),
 * rolls them all back, and applies them again, comparing catalog snapshots at each step to find
 * every migration whose DOWN does not undo its UP.
 */
export async function verifyMigrations(set: MigrationSet, options: VerifyOptions): Promise<VerifyResult> {
  assertUsableFolder(set);
  const scratch = await openScratch(options);
  try {
    const result = await checkOn(scratch.client, set, options);
    return { ...result, scratch: scratch.label };
  } finally {
    await scratch.close();
  }
}

interface Scratch {
  client: pg.Client;
  label: string;
  close(): Promise<void>;
}

async function openScratch(options: VerifyOptions): Promise<Scratch> {
  if (!options.target) {
    const server = await startEmbeddedServer({ log: (line) => options.logger.debug(line) });
    const client = await connect({ url: server.url, source: 'embedded PostgreSQL' }).catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    return {
      client,
      label: `embedded PostgreSQL ${server.major}`,
      close: async () => {
        await client.end().catch(() => undefined);
        await server.stop();
      },
    };
  }
  return borrowDatabase(options.target, options);
}

async function borrowDatabase(target: ConnectionTarget, options: VerifyOptions): Promise<Scratch> {
  const name = `strata_verify_${randomBytes(6).toString('hex')}`;
  const admin = await connect(target, options.connectOptions);
  try {
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw error;
  }
  const drop = async (): Promise<void> => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`).catch((error: unknown) => {
      options.logger.warn(`Could not drop the scratch database ${name}: ${String(error)}`);
    });
    await admin.end().catch(() => undefined);
  };
  try {
    const client = await connect(scratchTarget(target, name), options.connectOptions);
    return {
      client,
      label: `temporary database ${name}`,
      close: async () => {
        await client.end().catch(() => undefined);
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

// pg lets a connection string override `database`, so the scratch database goes into the URL itself.
function scratchTarget(target: ConnectionTarget, database: string): ConnectionTarget {
  if (!target.url) return { url: null, source: target.source, database };
  const url = new URL(target.url);
  url.pathname = `/${encodeURIComponent(database)}`;
  return { url: url.toString(), source: target.source };
}

async function checkOn(client: pg.Client, set: MigrationSet, options: VerifyOptions): Promise<Omit<VerifyResult, 'scratch'>> {
  const history = new HistoryTable(options.schema, options.table);
  const ctx: RunContext = { client, history, logger: options.logger, lockTimeoutMs: 10_000, statementTimeoutMs: null };
  const snapshot = (): Promise<SchemaSnapshot> => snapshotSchema(client, { exclude: [{ schema: options.schema, table: options.table }] });
  const problems: VerifyProblem[] = [];
  const forwardOnly = set.migrations.filter((m) => !m.down).map((m) => m.version);

  const afterUp: SchemaSnapshot[] = [await snapshot()];
  for (const migration of set.migrations) {
    const run = await migrateUp(ctx, set, { steps: 1 });
    if (run.error) return { checked: afterUp.length - 1, problems: [failed(migration, 'UP failed', run.error.message)], forwardOnly };
    afterUp.push(await snapshot());
  }

  let rolledBackTo = set.migrations.length;
  for (let i = set.migrations.length - 1; i >= 0; i--) {
    const migration = set.migrations[i]!;
    if (!migration.down) break;
    const before = afterUp[i + 1]!;
    const run = await migrateDown(ctx, set, { steps: 1 });
    if (run.error) {
      problems.push(failed(migration, 'DOWN failed', run.error.message));
      return { checked: set.migrations.length, problems, forwardOnly };
    }
    const objects = notRestored(afterUp[i]!, before, await snapshot());
    if (objects.length > 0) problems.push({ version: migration.version, file: migration.file, problem: 'DOWN does not undo UP', objects });
    rolledBackTo = i;
  }

  for (let i = rolledBackTo; i < set.migrations.length; i++) {
    const migration = set.migrations[i]!;
    const run = await migrateUp(ctx, set, { steps: 1 });
    if (run.error) {
      problems.push(failed(migration, 'UP failed when applied again after rollback', run.error.message));
      break;
    }
    const { added, removed, changed } = diffSnapshots(afterUp[i + 1]!, await snapshot());
    const objects = [...added, ...removed, ...changed].sort();
    if (objects.length > 0) problems.push({ version: migration.version, file: migration.file, problem: 'applying again after rollback gives a different schema', objects });
  }
  return { checked: set.migrations.length, problems, forwardOnly };
}

// Keys the UP or the DOWN touched must be back to what they were before the UP ran.
function notRestored(beforeUp: SchemaSnapshot, afterUp: SchemaSnapshot, afterDown: SchemaSnapshot): string[] {
  const up = diffSnapshots(beforeUp, afterUp);
  const down = diffSnapshots(afterUp, afterDown);
  const touched = new Set([...up.added, ...up.removed, ...up.changed, ...down.added, ...down.removed, ...down.changed]);
  return [...touched].filter((key) => beforeUp.get(key) !== afterDown.get(key)).sort();
}

function failed(migration: MigrationFile, problem: string, message: string): VerifyProblem {
  return { version: migration.version, file: migration.file, problem: `${problem}: ${message}`, objects: [] };
}
