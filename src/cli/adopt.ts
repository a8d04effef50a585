import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyHistory, inspectAdoption, STRATA_COPY_TABLE, type Adoption, type CopyResult } from '../core/adopt';
import { CONFIG_FILE } from '../core/config';
import { connect } from '../core/db';
import { StrataError } from '../core/errors';
import { HistoryTable } from '../core/history';
import { withAdvisoryLock } from '../core/lock';
import { EXIT, type CommandEnv } from './commands';

/** ConfigChange is what `adopt --copy` did to strata.json, or what the user should add by hand. */
interface ConfigChange {
  file: string;
  written: boolean;
  add: Record<string, string>;
}

/**
 * adopt shows the tracking table found and how much it says is applied; with --copy it copies another
 * tool's history into Strata's own table and adds `table` and `history` to strata.json (never
 * replacing a value the user set: then it prints what to change instead).
 */
export async function adopt(env: CommandEnv): Promise<number> {
  const { project } = env;
  if (!project.hasDatabase) throw new StrataError('connection-failed', 'adopt needs a database: pass --url, set DATABASE_URL or POSTGRES_URL, or set the PG* variables.');
  const client = await connect(project.target, { env: env.io.env });
  let adoption: Adoption;
  let copied: CopyResult | null = null;
  let change: ConfigChange | null = null;
  try {
    adoption = await inspectAdoption(client, project.history, project.set);
    if (env.options.copy) {
      const table = adoption.history.table === project.config.table ? STRATA_COPY_TABLE : project.config.table;
      const target = new HistoryTable(project.config.schema, table, { history: 'strata' });
      const lock = { schema: project.config.schema, table: project.config.table };
      copied = await withAdvisoryLock(client, lock, { timeoutMs: project.config.lockTimeoutMs, logger: env.logger }, () => copyHistory(client, project.history, project.set, target));
      change = updateConfig(project.config.root, project.config.configFile, table);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  if (env.options.json) {
    env.io.stdout(JSON.stringify(adoptJson(adoption, project.show(project.dir), copied, change, project.show), null, 2));
    return EXIT.ok;
  }
  env.io.stdout(formatAdoption(adoption, project.show(project.dir)));
  if (copied) env.io.stdout(`\nCopied ${copied.rows} row(s) into ${copied.schema}.${copied.table}; ${adoption.history.schema}.${adoption.history.table} is left as it was.`);
  if (change) env.io.stdout(configMessage(change, project.show));
  return EXIT.ok;
}

function formatAdoption(adoption: Adoption, dir: string): string {
  const { history } = adoption;
  const write = (refusal: string | null): string => (refusal === null ? 'yes' : `no: ${refusal}`);
  const rows = [
    `Tracking table: ${history.schema}.${history.table} (${history.tool}${history.exists ? '' : ', does not exist yet'})`,
    `Applied:        ${adoption.applied} (${adoption.drifted} edited since), pending ${adoption.pending}, failed ${adoption.failed}, file missing ${adoption.missing}`,
    `Checksums:      ${history.checksums ?? `none (${history.tool} keeps no checksum, so edits are not detected)`}`,
    `Folder:         ${dir}: ${adoption.layout}`,
    `Strata records applies there: ${write(history.upRefusal)}`,
    `Strata records rollbacks there: ${write(history.downRefusal)}`,
  ];
  if (history.kind !== 'strata') rows.push('', `To move over to Strata's own table, run \`strata adopt --copy\` (the ${history.tool} table is left untouched).`);
  return rows.join('\n');
}

function adoptJson(adoption: Adoption, dir: string, copied: CopyResult | null, change: ConfigChange | null, show: (path: string) => string): unknown {
  const { history } = adoption;
  return {
    table: `${history.schema}.${history.table}`,
    tool: history.kind,
    toolName: history.tool,
    exists: history.exists,
    applied: adoption.applied,
    drifted: adoption.drifted,
    pending: adoption.pending,
    failed: adoption.failed,
    missing: adoption.missing,
    checksums: history.checksums,
    dir,
    layout: adoption.layout,
    writable: { up: history.upRefusal === null, down: history.downRefusal === null },
    readOnly: { up: history.upRefusal, down: history.downRefusal },
    copied: copied && { table: `${copied.schema}.${copied.table}`, rows: copied.rows },
    config: change && { file: show(change.file), written: change.written, add: change.add },
  };
}

function configMessage(change: ConfigChange, show: (path: string) => string): string {
  const keys = Object.entries(change.add).map(([key, value]) => `"${key}": "${value}"`).join(', ');
  if (change.written) return `Added ${keys} to ${show(change.file)}.`;
  return `${show(change.file)} already sets one of these keys; change it by hand to: ${keys}`;
}

/**
 * updateConfig points strata.json at Strata's own table: it creates the file, or adds the keys to the
 * existing object as text (keeping the user's formatting); a key the user already set to another
 * value is left alone and reported.
 */
function updateConfig(root: string, configFile: string | null, table: string): ConfigChange {
  const file = configFile ?? join(root, CONFIG_FILE);
  const add = { table, history: 'strata' };
  if (!existsSync(file)) {
    writeFileSync(file, `${JSON.stringify(add, null, 2)}\n`);
    return { file, written: true, add };
  }
  const text = readFileSync(file, 'utf8');
  const current = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  const conflicting = Object.entries(add).some(([key, value]) => key in current && current[key] !== value);
  if (conflicting) return { file, written: false, add };
  const missing = Object.entries(add).filter(([key]) => !(key in current));
  if (missing.length === 0) return { file, written: true, add };
  const close = text.lastIndexOf('}');
  const before = text.slice(0, close).replace(/\s*$/, '');
  const entries = missing.map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(',\n');
  const separator = before.endsWith('{') ? '\n' : ',\n';
  writeFileSync(file, `${before}${separator}${entries}\n${text.slice(close)}`);
  return { file, written: true, add };
}
