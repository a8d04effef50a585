import { appliedRow, type ForeignFormat, type ForeignTable } from './adapter';

/**
 * dbmate keeps `schema_migrations(version varchar(128) primary key)`: one row per applied version,
 * the digits of the file name as written. It writes the row in the migration's transaction and
 * deletes it on rollback, so Strata does the same.
 */
export const dbmate: ForeignFormat = {
  kind: 'dbmate',
  tool: 'dbmate',
  defaultTable: 'schema_migrations',
  matches: (columns) => columns.length === 1 && columns[0] === 'version',
  open: (table: ForeignTable) => ({
    kind: 'dbmate',
    tool: 'dbmate',
    checksums: null,
    async read(client) {
      const result = await client.query<{ version: string }>(`SELECT version::text AS version FROM ${table.qualified}`);
      return result.rows.map((row) => appliedRow({ version: row.version, name: row.version }));
    },
    refusal: () => null,
    insertQuery: (migration) => ({ text: `INSERT INTO ${table.qualified} (version) VALUES ($1)`, values: [migration.version] }),
    removeQuery: (version) => ({ text: `DELETE FROM ${table.qualified} WHERE version = $1`, values: [version] }),
    acceptQuery: () => null,
  }),
};
