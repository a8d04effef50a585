/** createdBy: the objects a statement creates, each with the range that creates it. */
import { isTemporary, names } from './ddl';
import { split, tableOf, type CreatedObject, type ObjectKind, type SchemaObject } from './objects';
import { constraintRange, headline, nameRange, throughRelation, type Range } from './ranges';
import type { LintStatement } from './statement';

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

