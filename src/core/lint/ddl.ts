/**
 * Small facts about DDL shared by several rules: how object types are spelled, where keywords sit,
 * and what a parse-tree name list says.
 */
import type { AlterTableCmd, ColumnDef, Constraint, Node, ObjectType, RangeVar } from 'libpg-query';
import { codeTokens, findKeyword } from './ranges';
import type { LintStatement } from './statement';

/** OBJECT_WORDS spells each object type as in DDL, with the keyword just before the object's name in DROP. */
export const OBJECT_WORDS: Partial<Record<ObjectType, { label: string; keyword: string }>> = {
  OBJECT_TABLE: { label: 'TABLE', keyword: 'table' },
  OBJECT_FOREIGN_TABLE: { label: 'FOREIGN TABLE', keyword: 'table' },
  OBJECT_VIEW: { label: 'VIEW', keyword: 'view' },
  OBJECT_MATVIEW: { label: 'MATERIALIZED VIEW', keyword: 'view' },
  OBJECT_INDEX: { label: 'INDEX', keyword: 'index' },
  OBJECT_SEQUENCE: { label: 'SEQUENCE', keyword: 'sequence' },
  OBJECT_TYPE: { label: 'TYPE', keyword: 'type' },
  OBJECT_DOMAIN: { label: 'DOMAIN', keyword: 'domain' },
  OBJECT_SCHEMA: { label: 'SCHEMA', keyword: 'schema' },
  OBJECT_EXTENSION: { label: 'EXTENSION', keyword: 'extension' },
  OBJECT_FUNCTION: { label: 'FUNCTION', keyword: 'function' },
  OBJECT_PROCEDURE: { label: 'PROCEDURE', keyword: 'procedure' },
  OBJECT_ROUTINE: { label: 'ROUTINE', keyword: 'routine' },
  OBJECT_AGGREGATE: { label: 'AGGREGATE', keyword: 'aggregate' },
  OBJECT_OPERATOR: { label: 'OPERATOR', keyword: 'operator' },
  OBJECT_OPCLASS: { label: 'OPERATOR CLASS', keyword: 'class' },
  OBJECT_OPFAMILY: { label: 'OPERATOR FAMILY', keyword: 'family' },
  OBJECT_TRIGGER: { label: 'TRIGGER', keyword: 'trigger' },
  OBJECT_EVENT_TRIGGER: { label: 'EVENT TRIGGER', keyword: 'trigger' },
  OBJECT_POLICY: { label: 'POLICY', keyword: 'policy' },
  OBJECT_RULE: { label: 'RULE', keyword: 'rule' },
  OBJECT_PUBLICATION: { label: 'PUBLICATION', keyword: 'publication' },
  OBJECT_FDW: { label: 'FOREIGN DATA WRAPPER', keyword: 'wrapper' },
  OBJECT_FOREIGN_SERVER: { label: 'SERVER', keyword: 'server' },
  OBJECT_ACCESS_METHOD: { label: 'ACCESS METHOD', keyword: 'method' },
  OBJECT_STATISTIC_EXT: { label: 'STATISTICS', keyword: 'statistics' },
  OBJECT_TSCONFIGURATION: { label: 'TEXT SEARCH CONFIGURATION', keyword: 'configuration' },
  OBJECT_TSDICTIONARY: { label: 'TEXT SEARCH DICTIONARY', keyword: 'dictionary' },
  OBJECT_TSPARSER: { label: 'TEXT SEARCH PARSER', keyword: 'parser' },
  OBJECT_TSTEMPLATE: { label: 'TEXT SEARCH TEMPLATE', keyword: 'template' },
  OBJECT_TRANSFORM: { label: 'TRANSFORM', keyword: 'transform' },
  OBJECT_LANGUAGE: { label: 'LANGUAGE', keyword: 'language' },
  OBJECT_CAST: { label: 'CAST', keyword: 'cast' },
  OBJECT_COLLATION: { label: 'COLLATION', keyword: 'collation' },
  OBJECT_CONVERSION: { label: 'CONVERSION', keyword: 'conversion' },
};

/**
 * afterKeyword is the offset just past the first token that is `keyword` (searching from the second
 * token, past CREATE/DROP/ALTER), and past `then` when that keyword follows it (INDEX CONCURRENTLY).
 * -1 when the statement has no such keyword. Tokens before `before` suffice when it is given.
 */
export function afterKeyword(s: LintStatement, keyword: string, then?: string, before?: number): number {
  const tokens = codeTokens(before === undefined ? s.tokens() : s.tokensBefore(before));
  let i = findKeyword(tokens, keyword, 1);
  if (i < 0) return -1;
  if (then !== undefined && tokens[i + 1]?.keyword === then) i++;
  return tokens[i]!.end;
}

/** names reads a list of String nodes (a qualified name) into its parts. */
export function names(list: readonly Node[] | undefined): string[] {
  const parts: string[] = [];
  for (const item of list ?? []) if ('String' in item && item.String.sval !== undefined) parts.push(item.String.sval);
  return parts;
}

/** relationName is a RangeVar's name as written: schema.name or name. */
export function relationName(rv: RangeVar | undefined): string {
  if (!rv) return '';
  return rv.schemaname ? `${rv.schemaname}.${rv.relname ?? ''}` : (rv.relname ?? '');
}

/** isTemporary: temporary relations vanish with the session, so re-runs and locks do not matter for them. */
export function isTemporary(rv: RangeVar | undefined): boolean {
  return rv?.relpersistence === 't';
}

/** AlterTable is an ALTER TABLE's relation and its commands. */
export interface AlterTable {
  relation: RangeVar | undefined;
  cmds: AlterTableCmd[];
}

const NOT_ALTER_TABLE: AlterTable = { relation: undefined, cmds: [] };
/** alterTables remembers each statement's commands: several rules read every ALTER TABLE. */
const alterTables = new WeakMap<LintStatement, AlterTable>();

/** alterTableOf gives an ALTER TABLE's relation and its commands (none for other statements, and for ALTER TYPE). */
export function alterTableOf(s: LintStatement): AlterTable {
  const alter = s.get('AlterTableStmt');
  if (!alter || alter.objtype === 'OBJECT_TYPE') return NOT_ALTER_TABLE;
  let known = alterTables.get(s);
  if (!known) {
    const cmds: AlterTableCmd[] = [];
    for (const c of alter.cmds ?? []) if ('AlterTableCmd' in c) cmds.push(c.AlterTableCmd);
    known = { relation: alter.relation, cmds };
    alterTables.set(s, known);
  }
  return known;
}

/** columnDefOf is the column an ADD COLUMN or ALTER COLUMN TYPE command describes. */
export function columnDefOf(cmd: AlterTableCmd): ColumnDef | undefined {
  return cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined;
}

/** constraintOf is the constraint an ADD CONSTRAINT command adds. */
export function constraintOf(cmd: AlterTableCmd): Constraint | undefined {
  return cmd.subtype === 'AT_AddConstraint' && cmd.def && 'Constraint' in cmd.def ? cmd.def.Constraint : undefined;
}
