import { appliedRow, fileNameOf, hasColumns, RecordedNames, versionOfName, type ForeignFormat, type ForeignTable } from './adapter';

/**
 * node-pg-migrate keeps `pgmigrations(id serial primary key, name varchar(255) not null, run_on
 * timestamp not null)`: one row per applied migration, named by its file name without extension.
 */
export const nodePgMigrate: ForeignFormat = {
  kind: 'node-pg-migrate',
  tool: 'node-pg-migrate',
  defaultTable: 'pgmigrations',
  matches: (columns) => columns.length === 3 && hasColumns(columns, ['id', 'name', 'run_on']),
  open: (table: ForeignTable) => {
    const recorded = new RecordedNames();
    return {
      kind: 'node-pg-migrate',
      tool: 'node-pg-migrate',
      checksums: null,
      async read(client) {
        const result = await client.query<{ name: string; run_on: Date }>(`SELECT name, run_on FROM ${table.qualified} ORDER BY run_on, id`);
        recorded.clear();
        return result.rows.map((row) => {
          const parsed = versionOfName(row.name);
          recorded.set(parsed.version, row.name);
          return appliedRow({ ...parsed, appliedAt: row.run_on });
        });
      },
      refusal: () => null,
      insertQuery: (migration) => ({
        text: `INSERT INTO ${table.qualified} (name, run_on) VALUES ($1, NOW())`,
        values: [fileNameOf(migration).replace(/\.sql$/i, '')],
      }),
      removeQuery: (version) => ({ text: `DELETE FROM ${table.qualified} WHERE name = $1`, values: [recorded.get(version)] }),
      acceptQuery: () => null,
    };
  },
};
