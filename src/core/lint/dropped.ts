/** droppedBy: the objects a statement drops, read from DROP and ALTER TABLE ... DROP. */
import type { Node, ObjectType } from 'libpg-query';
import { names } from './ddl';
import { ON_TABLE, split, tableOf, type DroppedObject, type ObjectKind } from './objects';
import type { LintStatement } from './statement';

/** DROP_KINDS maps DROP's object types to the kinds this module tracks. */
const DROP_KINDS: Partial<Record<ObjectType, ObjectKind>> = {
  OBJECT_TABLE: 'table', OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'materialized view', OBJECT_INDEX: 'index', OBJECT_SEQUENCE: 'sequence',
  OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'procedure', OBJECT_ROUTINE: 'routine', OBJECT_TRIGGER: 'trigger', OBJECT_POLICY: 'policy',
  OBJECT_RULE: 'rule', OBJECT_TYPE: 'type', OBJECT_DOMAIN: 'domain', OBJECT_SCHEMA: 'schema', OBJECT_EXTENSION: 'extension',
};

/** NONE is the answer for the many statements that drop nothing (shared: callers only read it). */
const NONE: DroppedObject[] = [];

/** droppedBy lists the objects a statement drops. */
export function droppedBy(s: LintStatement): DroppedObject[] {
  switch (s.kind) {
    case 'DropStmt':
      return dropped(s);
    case 'DropRoleStmt':
      return (s.get('DropRoleStmt')?.roles ?? []).flatMap((r) => ('RoleSpec' in r && r.RoleSpec.rolename ? [{ kind: 'role' as const, name: r.RoleSpec.rolename, cascade: false }] : []));
    case 'AlterTableStmt':
      return columnsDropped(s);
    default:
      return NONE;
  }
}

/** dropped reads DROP TABLE, INDEX, TYPE, ... */
function dropped(s: LintStatement): DroppedObject[] {
  const drop = s.get('DropStmt');
  const kind = DROP_KINDS[drop?.removeType ?? 'OBJECT_CAST'];
  if (!drop || !kind) return NONE;
  const cascade = drop.behavior === 'DROP_CASCADE';
  const objects: DroppedObject[] = [];
  for (const o of drop.objects ?? []) {
    const parts = objectNames(o);
    if (parts.length === 0) continue;
    if (!ON_TABLE.has(kind)) objects.push({ kind, ...split(parts), cascade });
    else objects.push({ kind, name: parts[parts.length - 1]!, table: split(parts.slice(0, -1)), cascade });
  }
  return objects;
}

/** columnsDropped reads ALTER TABLE ... DROP COLUMN and DROP CONSTRAINT. */
function columnsDropped(s: LintStatement): DroppedObject[] {
  const alter = s.get('AlterTableStmt');
  if (!alter?.relation?.relname) return NONE;
  let objects: DroppedObject[] | null = null;
  for (const c of alter.cmds ?? []) {
    const cmd = 'AlterTableCmd' in c ? c.AlterTableCmd : undefined;
    if (!cmd?.name || (cmd.subtype !== 'AT_DropColumn' && cmd.subtype !== 'AT_DropConstraint')) continue;
    objects ??= [];
    objects.push({ kind: cmd.subtype === 'AT_DropColumn' ? 'column' : 'constraint', name: cmd.name, table: tableOf(alter.relation), cascade: cmd.behavior === 'DROP_CASCADE' });
  }
  return objects ?? NONE;
}

/** objectNames reads one object of DROP: a name list, a plain name, a type name or a function signature. */
function objectNames(o: Node): string[] {
  if ('List' in o) return names(o.List.items);
  if ('String' in o) return o.String.sval ? [o.String.sval] : [];
  if ('TypeName' in o) return names(o.TypeName.names);
  if ('ObjectWithArgs' in o) return names(o.ObjectWithArgs.objname);
  return [];
}
