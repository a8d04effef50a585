import type { ForeignFormat, HistoryKind } from './adapter';
import { dbmate } from './dbmate';
import { flyway } from './flyway';
import { golangMigrate } from './golangMigrate';
import { idName, migrationHistory, nameList, versionMd5 } from './handMade';
import { nodePgMigrate } from './nodePgMigrate';
import { prisma } from './prisma';

/** FOREIGN_FORMATS are the other tools' tables, in the order a table's columns are matched against them. */
export const FOREIGN_FORMATS: readonly ForeignFormat[] = [flyway, prisma, versionMd5, migrationHistory, nodePgMigrate, golangMigrate, dbmate, idName, nameList];

/** WELL_KNOWN_TABLES are looked for, in this order, when the configured table does not exist and `history` is `auto`. */
export const WELL_KNOWN_TABLES = ['flyway_schema_history', '_prisma_migrations', 'pgmigrations', 'migration_history', 'schema_migrations', 'migrations'] as const;

/** foreignFormat is the format of a kind other than Strata's. */
export function foreignFormat(kind: Exclude<HistoryKind, 'strata'>): ForeignFormat {
  return FOREIGN_FORMATS.find((format) => format.kind === kind)!;
}

/** formatOfColumns is the foreign format whose shape the columns have, or null. */
export function formatOfColumns(columns: readonly string[]): ForeignFormat | null {
  return FOREIGN_FORMATS.find((format) => format.matches(columns)) ?? null;
}
