import type pg from 'pg';
import { compareVersions } from '../types';
import { appliedRow, hasColumns, type ForeignFormat, type ForeignTable, type Query } from './adapter';

/**
 * golang-migrate keeps `schema_migrations(version bigint not null primary key, dirty boolean not null)`
 * with a single row: the current version. Every file at or below it counts as applied. A dirty row
 * means a migration failed halfway; golang-migrate then refuses to run until `migrate force`, and so
 * does Strata. Writing replaces the row, as golang-migrate's SetVersion does.
 */
export const golangMigrate: ForeignFormat = {
  kind: 'golang-migrate',
  tool: 'golang-migrate',
  defaultTable: 'schema_migrations',
  matches: (columns) => columns.length === 2 && hasColumns(columns, ['version', 'dirty']),
  open: (table: ForeignTable) => {
    let dirty: string | null = null;
    const setVersion = (version: string | null): Query =>
      version === null
        ? { text: `DELETE FROM ${table.qualified}`, values: [] }
        : { text: `WITH cleared AS (DELETE FROM ${table.qualified}) INSERT INTO ${table.qualified} (version, dirty) VALUES ($1, false)`, values: [version] };
    return {
      kind: 'golang-migrate',
      tool: 'golang-migrate',
      checksums: null,
      async read(client: pg.ClientBase) {
        const result = await client.query<{ version: string; dirty: boolean }>(`SELECT version::text AS version, dirty FROM ${table.qualified} LIMIT 1`);
        const current = result.rows[0];
        dirty = current?.dirty ? current.version : null;
        if (!current) return [];
        const files = table.set?.migrations ?? [];
        const rows = files.filter((m) => compareVersions(m.version, current.version) <= 0).map((m) => appliedRow({ version: m.version, name: m.name }));
        if (!files.some((m) => compareVersions(m.version, current.version) === 0)) rows.push(appliedRow({ version: current.version, name: current.version }));
        const last = rows.find((row) => compareVersions(row.version, current.version) === 0)!;
        if (current.dirty) last.failed = `golang-migrate marks version ${current.version} dirty (it failed halfway); fix the database, then run \`migrate force\``;
        return rows;
      },
      refusal: () =>
        dirty === null ? null : `golang-migrate marks version ${dirty} dirty: a migration failed halfway. Fix the database, then run \`migrate force <version>\` before Strata writes to this table.`,
      insertQuery: (migration) => setVersion(migration.version),
      removeQuery: (version) => {
        const below = (table.set?.migrations ?? []).filter((m) => compareVersions(m.version, version) < 0);
        return setVersion(below.length === 0 ? null : below[below.length - 1]!.version);
      },
      acceptQuery: () => null,
    };
  },
};
