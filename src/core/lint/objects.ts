/**
 * The schema objects a migration creates and drops, read from parse trees, so that structure rules can
 * tell whether DOWN undoes UP: every object UP creates should be dropped by DOWN, directly or with the
 * table, or schema (CASCADE) it belongs to; an object UP creates OR REPLACE may instead be re-created.
 */
import type { Node, ObjectType } from 'libpg-query';
import { isTemporary, names } from './ddl';
import { sameSchema } from './document';
import { qualifiedName } from './fixes';
import { constraintRange, headline, nameRange, throughRelation, type Range } from './ranges';
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

const NONE: CreatedObject[] = [];

/** createdBy lists the objects a statement creates (none for temporary ones, which end with the session). */
export function createdBy(s: LintStatement): CreatedObject[] {
  switch (s.kind) {
    case 'CreateStmt':
    case 'CreateTableAsStmt':
    case 'ViewStmt':
    case 'IndexStmt':
    case 'CreateFunctionStmt':
      return relations(s);
    case 'CreateSeqStmt':
    case 'CreateTrigStmt':
    case 'CreatePolicyStmt':
    case 'RuleStmt':
      return onTables(s);
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
    case 'CreateRangeStmt':
    case 'DefineStmt':
    case 'CreateDomainStmt':
      return types(s);
    case 'CreateSchemaStmt':
    case 'CreateExtensionStmt':
    case 'CreateRoleStmt':
      return others(s);
    case 'AlterTableStmt':
      return columns(s);
    default:
      return NONE;
  }
}

/** relations: tables, materialized views, views, named indexes, functions and procedures. */
function relations(s: LintStatement): CreatedObject[] {
  const make = (o: SchemaObject, range: Range = headline(s), replaceable = false): CreatedObject[] => [{ ...o, replaceable, statement: s, range }];
  const table = s.get('CreateStmt')?.relation;
  if (table?.relname) return isTemporary(table) ? NONE : make({ kind: 'table', schema: table.schemaname, name: table.relname }, throughRelation(s, table));
  const tableAs = s.get('CreateTableAsStmt');
  const rel = tableAs?.into?.rel;
  if (tableAs && rel?.relname && !tableAs.is_select_into && !isTemporary(rel)) {
    return make({ kind: tableAs.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table', schema: rel.schemaname, name: rel.relname }, throughRelation(s, rel));
  }
  const view = s.get('ViewStmt');
  if (view?.view?.relname && !isTemporary(view.view)) return make({ kind: 'view', schema: view.view.schemaname, name: view.view.relname }, throughRelation(s, view.view), view.replace);
  const index = s.get('IndexStmt');
  if (index?.idxname && index.relation?.relname) {
    const on = { schema: index.relation.schemaname, name: index.relation.relname };
    return make({ kind: 'index', schema: on.schema, name: index.idxname, table: on }, throughRelation(s, index.relation));
  }
  const fn = s.get('CreateFunctionStmt');
  if (fn) return make({ kind: fn.is_procedure ? 'procedure' : 'function', ...split(names(fn.funcname)) }, headline(s), fn.replace);
  return NONE;
}

/** onTables: sequences owned by a column, triggers, policies and rules, which go when their table goes. */
function onTables(s: LintStatement): CreatedObject[] {
  const make = (o: SchemaObject, replaceable = false, rv = s.get('CreateTrigStmt')?.relation): CreatedObject[] => [
    { ...o, replaceable, statement: s, range: throughRelation(s, rv) },
  ];
  const seq = s.get('CreateSeqStmt');
  if (seq?.sequence?.relname && !isTemporary(seq.sequence)) {
    const owner = seq.options?.map((o) => ('DefElem' in o && o.DefElem.defname === 'owned_by' && o.DefElem.arg && 'List' in o.DefElem.arg ? names(o.DefElem.arg.List.items) : [])).find((p) => p.length >= 2);
    const table = owner ? split(owner.slice(0, -1)) : undefined;
    return make({ kind: 'sequence', schema: seq.sequence.schemaname, name: seq.sequence.relname, table }, false, seq.sequence);
  }
  const trigger = s.get('CreateTrigStmt');
  if (trigger?.trigname && trigger.relation?.relname) return make({ kind: 'trigger', name: trigger.trigname, table: tableOf(trigger.relation) }, trigger.replace);
  const policy = s.get('CreatePolicyStmt');
  if (policy?.policy_name && policy.table?.relname) return make({ kind: 'policy', name: policy.policy_name, table: tableOf(policy.table) }, false, policy.table);
  const rule = s.get('RuleStmt');
  if (rule?.rulename && rule.relation?.relname) return make({ kind: 'rule', name: rule.rulename, table: tableOf(rule.relation) }, rule.replace, rule.relation);
  return NONE;
}

/** types: CREATE TYPE (enum, composite, range, base) and CREATE DOMAIN. */
function types(s: LintStatement): CreatedObject[] {
  const composite = s.get('CompositeTypeStmt')?.typevar;
  const define = s.get('DefineStmt');
  const listed = s.get('CreateEnumStmt')?.typeName ?? s.get('CreateRangeStmt')?.typeName ?? (define?.kind === 'OBJECT_TYPE' ? define.defnames : undefined);
  const typeName = composite?.relname ? [composite.schemaname, composite.relname].filter((p): p is string => p !== undefined) : names(listed);
  if (typeName.length > 0) return [{ kind: 'type', ...split(typeName), replaceable: false, statement: s, range: composite ? throughRelation(s, composite) : headline(s) }];
  const domain = names(s.get('CreateDomainStmt')?.domainname);
  if (domain.length > 0) return [{ kind: 'domain', ...split(domain), replaceable: false, statement: s, range: headline(s) }];
  return NONE;
}

/** others: schemas, extensions and roles. */
function others(s: LintStatement): CreatedObject[] {
  const make = (kind: ObjectKind, name: string | undefined): CreatedObject[] => (name ? [{ kind, name, replaceable: false, statement: s, range: headline(s) }] : NONE);
  const schema = s.get('CreateSchemaStmt');
  if (schema) return make('schema', schema.schemaname ?? schema.authrole?.rolename);
  const extension = s.get('CreateExtensionStmt');
  // An extension created IF NOT EXISTS is usually shared and there before: DOWN is not expected to drop it.
  if (extension) return extension.if_not_exists ? [] : make('extension', extension.extname);
  const role = s.get('CreateRoleStmt');
  if (role) return make('role', role.role);
  return NONE;
}

/** columns: ADD COLUMN and named ADD CONSTRAINT, which DOWN undoes with ALTER TABLE ... DROP. */
function columns(s: LintStatement): CreatedObject[] {
  const alter = s.get('AlterTableStmt');
  if (!alter?.relation?.relname || alter.objtype === 'OBJECT_TYPE') return [];
  const table = tableOf(alter.relation);
  const created: CreatedObject[] = [];
  for (const cmd of alter.cmds ?? []) {
    if (!('AlterTableCmd' in cmd)) continue;
    const def = cmd.AlterTableCmd.def;
    if (cmd.AlterTableCmd.subtype === 'AT_AddColumn' && def && 'ColumnDef' in def && def.ColumnDef.colname) {
      const { colname, location } = def.ColumnDef;
      created.push({ kind: 'column', name: colname, table, replaceable: false, statement: s, range: nameRange(s, s.at(location), [colname]) });
    } else if (cmd.AlterTableCmd.subtype === 'AT_AddConstraint' && def && 'Constraint' in def && def.Constraint.conname) {
      created.push({ kind: 'constraint', name: def.Constraint.conname, table, replaceable: false, statement: s, range: constraintRange(s, def.Constraint) });
    }
  }
  return created;
}

/** DROP_KINDS maps DROP's object types to the kinds this module tracks. */
const DROP_KINDS: Partial<Record<ObjectType, ObjectKind>> = {
  OBJECT_TABLE: 'table', OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'materialized view', OBJECT_INDEX: 'index', OBJECT_SEQUENCE: 'sequence',
  OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'procedure', OBJECT_ROUTINE: 'routine', OBJECT_TRIGGER: 'trigger', OBJECT_POLICY: 'policy',
  OBJECT_RULE: 'rule', OBJECT_TYPE: 'type', OBJECT_DOMAIN: 'domain', OBJECT_SCHEMA: 'schema', OBJECT_EXTENSION: 'extension',
};

/** ON_TABLE kinds are dropped as `name ON table`. */
const ON_TABLE = new Set<ObjectKind>(['trigger', 'policy', 'rule']);

/** droppedBy lists the objects a statement drops. */
export function droppedBy(s: LintStatement): DroppedObject[] {
  const drop = s.get('DropStmt');
  const kind = DROP_KINDS[drop?.removeType ?? 'OBJECT_CAST'];
  if (drop && kind) {
    const cascade = drop.behavior === 'DROP_CASCADE';
    return (drop.objects ?? []).map((o) => objectNames(o)).filter((p) => p.length > 0).map((parts) => {
      if (!ON_TABLE.has(kind)) return { kind, ...split(parts), cascade };
      return { kind, name: parts[parts.length - 1]!, table: split(parts.slice(0, -1)), cascade };
    });
  }
  const roles = s.get('DropRoleStmt')?.roles ?? [];
  if (roles.length > 0) return roles.flatMap((r) => ('RoleSpec' in r && r.RoleSpec.rolename ? [{ kind: 'role' as const, name: r.RoleSpec.rolename, cascade: false }] : []));
  const alter = s.get('AlterTableStmt');
  if (!alter?.relation?.relname) return [];
  const table = tableOf(alter.relation);
  return (alter.cmds ?? []).flatMap((c) => {
    const cmd = 'AlterTableCmd' in c ? c.AlterTableCmd : undefined;
    if (!cmd?.name || (cmd.subtype !== 'AT_DropColumn' && cmd.subtype !== 'AT_DropConstraint')) return [];
    return [{ kind: cmd.subtype === 'AT_DropColumn' ? ('column' as const) : ('constraint' as const), name: cmd.name, table, cascade: cmd.behavior === 'DROP_CASCADE' }];
  });
}

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
      const list = this.byName.get(drop.name) ?? [];
      list.push({ drop, at });
      this.byName.set(drop.name, list);
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
    for (const schema of [o.schema, table?.schema]) {
      if (schema === undefined) continue;
      for (const d of this.byName.get(schema) ?? NO_DROPS) if (d.at > after && d.drop.kind === 'schema' && d.drop.cascade === true) return true;
    }
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
function tableOf(rv: { schemaname?: string; relname?: string }): { schema?: string; name: string } {
  return { schema: rv.schemaname, name: rv.relname ?? '' };
}

/** split reads [schema, name] or [name] (a catalog prefix is ignored). */
function split(parts: readonly string[]): { schema?: string; name: string } {
  const name = parts[parts.length - 1] ?? '';
  return parts.length > 1 ? { schema: parts[parts.length - 2], name } : { name };
}

/** objectNames reads one object of DROP: a name list, a plain name, a type name or a function signature. */
function objectNames(o: Node): string[] {
  if ('List' in o) return names(o.List.items);
  if ('String' in o) return o.String.sval ? [o.String.sval] : [];
  if ('TypeName' in o) return names(o.TypeName.names);
  if ('ObjectWithArgs' in o) return names(o.ObjectWithArgs.objname);
  return [];
}
