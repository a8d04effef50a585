import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Migration is one migration, independent of any tool's file format. */
export interface Migration {
  version: string;
  name: string;
  up: string;
  down: string;
}

/** ToolFormat names the three on-disk formats the migration tools read. */
export type ToolFormat = 'strata' | 'dbmate' | 'npm';

const BASE = Date.UTC(2024, 0, 1, 0, 0, 0);

/** versionOf is a 14-digit UTC timestamp, one second apart: a name every tool accepts and orders the same way. */
export function versionOf(index: number): string {
  const d = new Date(BASE + index * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** noop: `SELECT 1;` up and down — only the tool's own per-migration work remains. */
export function noopMigrations(count: number): Migration[] {
  return Array.from({ length: count }, (_, i) => ({ version: versionOf(i + 1), name: `noop_${i + 1}`, up: 'SELECT 1;', down: 'SELECT 1;' }));
}

/** tiny: one small table per migration, dropped by its down. */
export function tinyMigrations(count: number): Migration[] {
  return Array.from({ length: count }, (_, i) => ({
    version: versionOf(i + 1),
    name: `create_t_${i + 1}`,
    up: `CREATE TABLE t_${i + 1} (id int primary key, v text);`,
    down: `DROP TABLE t_${i + 1};`,
  }));
}

/** big: one migration of `tables` CREATE TABLE statements and as many CREATE INDEX statements. */
export function bigMigration(tables: number): Migration[] {
  const up: string[] = [];
  const down: string[] = [];
  for (let i = 1; i <= tables; i++) up.push(`CREATE TABLE b_${i} (id int primary key, v text);`);
  for (let i = 1; i <= tables; i++) up.push(`CREATE INDEX b_${i}_v_idx ON b_${i} (v);`);
  for (let i = tables; i >= 1; i--) down.push(`DROP TABLE b_${i};`);
  return [{ version: versionOf(1), name: `big_${tables * 2}`, up: up.join('\n'), down: down.join('\n') }];
}

/** fileName is the migration's file name; the same for every tool (all accept VERSION_name.sql). */
export function fileName(m: Migration): string {
  return `${m.version}_${m.name}.sql`;
}

/** render writes one migration in a tool's own section markers. */
export function render(m: Migration, format: ToolFormat): string {
  switch (format) {
    case 'strata':
      return `-- UP\n${m.up}\n\n-- DOWN\n${m.down}\n`;
    case 'dbmate':
      return `-- migrate:up\n${m.up}\n\n-- migrate:down\n${m.down}\n`;
    case 'npm':
      return `-- Up Migration\n${m.up}\n\n-- Down Migration\n${m.down}\n`;
  }
}

const ALL_FORMATS: readonly ToolFormat[] = ['strata', 'dbmate', 'npm'];

/** writeMigrations writes the same migrations once per format (all, or those given), into root/<format>/; returns the folders. */
export function writeMigrations(root: string, migrations: readonly Migration[], formats: readonly ToolFormat[] = ALL_FORMATS): Record<ToolFormat, string> {
  const dirs = { strata: join(root, 'strata'), dbmate: join(root, 'dbmate'), npm: join(root, 'npm') };
  for (const [format, dir] of Object.entries(dirs) as [ToolFormat, string][]) {
    if (!formats.includes(format)) continue;
    mkdirSync(dir, { recursive: true });
    for (const m of migrations) writeFileSync(join(dir, fileName(m)), render(m, format));
  }
  return dirs;
}
