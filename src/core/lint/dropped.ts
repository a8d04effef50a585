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

/** objectNames reads one object of DROP: a name list, a plain name, a type name or a function signature. */
function objectNames(o: Node): string[] {
  if ('List' in o) return names(o.List.items);
  if ('String' in o) return o.String.sval ? [o.String.sval] : [];
  if ('TypeName' in o) return names(o.TypeName.names);
  if ('ObjectWithArgs' in o) return names(o.ObjectWithArgs.objname);
  return [];
}
