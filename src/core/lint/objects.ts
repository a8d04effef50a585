/**
 * The schema objects a migration creates and drops, as structure rules compare them: DOWN should take
 * away every object UP creates, directly, with the table or schema (CASCADE) it belongs to, or, for an
 * object UP creates OR REPLACE, by re-creating it. createdBy and droppedBy read them from parse trees.
 */
import { sameSchema } from './document';
import { qualifiedName } from './fixes';
import type { Range } from './ranges';
import type { LintStatement } from './statement';

/** ObjectKind is the kind of a schema object as DROP names it. */
export type ObjectKind =
  | 'table' | 'view' | 'materialized view' | 'index' | 'sequence' | 'function' | 'procedure' | 'routine' | 'trigger'
  | 'policy' | 'rule' | 'type' | 'domain' | 'schema' | 'extension' | 'column' | 'constraint' | 'role';

/** SchemaObject is one object by kind and (possibly qualified) name; `table` for objects that live on a table. */
export interface SchemaObject {
  kind: ObjectKind;
  schema?: string;
  name: string;
  table?: { schema?: string; name: string };
}

/** CreatedObject is an object UP creates, with the statement and range that create it. */
export interface CreatedObject extends SchemaObject {
  replaceable: boolean;
  statement: LintStatement;
  range: Range;
}

/** DroppedObject is an object a statement drops; `cascade` when DROP ... CASCADE. */
export interface DroppedObject extends SchemaObject {
  cascade: boolean;
}

/** ON_TABLE kinds are dropped as `name ON table`. */
export const ON_TABLE = new Set<ObjectKind>(['trigger', 'policy', 'rule']);

const NO_DROPS: { drop: SchemaObject & { cascade?: boolean }; at: number }[] = [];
/** RELATION_KINDS are the kinds whose drop takes their indexes, triggers, policies, rules, columns and constraints along. */
const RELATION_KINDS = new Set<ObjectKind>(['table', 'view', 'materialized view']);

/**
 * Drops indexes dropped objects by name, so that asking whether an object is undone costs a few map
 * lookups (its own name, its table's, its schema's) however many statements a file has.
 */
export class Drops {
  private readonly byName = new Map<string, { drop: SchemaObject & { cascade?: boolean }; at: number }[]>();

  /** add records the objects a statement at position `at` drops (or re-creates). */
  add(objects: readonly (SchemaObject & { cascade?: boolean })[], at = 0): void {
    for (const drop of objects) {
      const list = this.byName.get(drop.name);
      if (list) list.push({ drop, at });
      else this.byName.set(drop.name, [{ drop, at }]);
    }
  }

  /** undoes: a drop after position `after` takes the object away, directly, with its table, or with its schema (CASCADE). */
  undoes(o: SchemaObject, after = -1): boolean {
    // Loops rather than filter/map: this runs once per object UP creates, thousands in a large file.
    for (const d of this.byName.get(o.name) ?? NO_DROPS) if (d.at > after && same(o, d.drop)) return true;
    const table = o.table;
    if (table) {
      for (const d of this.byName.get(table.name) ?? NO_DROPS) {
        if (d.at > after && RELATION_KINDS.has(d.drop.kind) && sameSchema(d.drop.schema, table.schema)) return true;
      }
    }
    return this.schemaDropped(o.schema, after) || this.schemaDropped(table?.schema, after);
  }

  /** schemaDropped: DROP SCHEMA ... CASCADE of that schema after position `after`. */
  private schemaDropped(schema: string | undefined, after: number): boolean {
    if (schema === undefined) return false;
    for (const d of this.byName.get(schema) ?? NO_DROPS) if (d.at > after && d.drop.kind === 'schema' && d.drop.cascade === true) return true;
    return false;
  }

  /** recreates: the object is created again (CREATE OR REPLACE puts back an earlier definition). */
  recreates(o: SchemaObject): boolean {
    return (this.byName.get(o.name) ?? []).some((d) => same(o, d.drop));
  }
}

/** same: the same kind (ROUTINE covers functions and procedures), name, schema and table. */
function same(a: SchemaObject, b: SchemaObject): boolean {
  const kinds = a.kind === b.kind || (b.kind === 'routine' && (a.kind === 'function' || a.kind === 'procedure'));
  if (!kinds || a.name !== b.name || !sameSchema(a.schema, b.schema)) return false;
  if (!a.table || !b.table) return true;
  return a.table.name === b.table.name && sameSchema(a.table.schema, b.table.schema);
}

/** dropSql is the statement that drops an object again, IF EXISTS so DOWN can run twice. */
export function dropSql(o: SchemaObject): string {
  const table = o.table ? qualifiedName(o.table.schema, o.table.name) : '';
  if (o.kind === 'column' || o.kind === 'constraint') return `ALTER TABLE ${table} DROP ${o.kind.toUpperCase()} IF EXISTS ${qualifiedName(o.name)};`;
  if (ON_TABLE.has(o.kind)) return `DROP ${o.kind.toUpperCase()} IF EXISTS ${qualifiedName(o.name)} ON ${table};`;
  const schema = o.kind === 'index' ? (o.schema ?? o.table?.schema) : o.schema;
  return `DROP ${o.kind.toUpperCase()} IF EXISTS ${qualifiedName(schema, o.name)};`;
}

/** describe names an object for messages, e.g. `table public.users` or `trigger touch on users`. */
export function describe(o: SchemaObject): string {
  const name = o.schema ? `${o.schema}.${o.name}` : o.name;
  return o.table ? `${o.kind} ${name} on ${o.table.schema ? `${o.table.schema}.` : ''}${o.table.name}` : `${o.kind} ${name}`;
}

/** tableOf is a RangeVar's table. */
export function tableOf(rv: { schemaname?: string; relname?: string }): { schema?: string; name: string } {
  return { schema: rv.schemaname, name: rv.relname ?? '' };
}

/** split reads [schema, name] or [name] (a catalog prefix is ignored). */
export function split(parts: readonly string[]): { schema?: string; name: string } {
  const name = parts[parts.length - 1] ?? '';
  return parts.length > 1 ? { schema: parts[parts.length - 2], name } : { name };
}

