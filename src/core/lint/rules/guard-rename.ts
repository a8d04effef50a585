import type { ObjectType } from 'libpg-query';
import { fix, guardWithDoBlock, insert } from '../fixes';
import { statementRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintDocument } from '../document';
import type { LintStatement } from '../statement';
import type { LintFix, Report } from '../types';

/** meta: a RENAME fails when the migration runs again, as the old name is gone. */
export const meta = defineRule('guard-rename', 'idempotency', 'warning', 'RENAME with no guard cannot run twice');

/** kinds: ALTER ... RENAME, and ALTER TYPE ... RENAME VALUE. */
export const kinds = ['RenameStmt', 'AlterEnumStmt'] as const;

/** RELATIONS are renamed with ALTER <kind> IF EXISTS old RENAME TO new, which a second run skips. */
const RELATIONS = new Set<ObjectType>(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_INDEX', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE']);

/** MISSING is the error renaming a name that is no longer there raises, by what is renamed. */
function missingCondition(type: ObjectType | undefined): string {
  if (type === 'OBJECT_COLUMN' || type === 'OBJECT_ATTRIBUTE') return 'undefined_column';
  if (type === 'OBJECT_SCHEMA') return 'invalid_schema_name';
  if (type !== undefined && RELATIONS.has(type)) return 'undefined_table';
  if (type === 'OBJECT_FUNCTION' || type === 'OBJECT_PROCEDURE' || type === 'OBJECT_ROUTINE' || type === 'OBJECT_AGGREGATE') return 'undefined_function';
  return 'undefined_object';
}

/** check reports a RENAME a second run would fail on. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const rename = s.get('RenameStmt');
  const enumRename = s.get('AlterEnumStmt');
  if (enumRename && enumRename.oldVal === undefined) return; // ADD VALUE: add-value-if-not-exists
  const relation = rename && RELATIONS.has(rename.renameType ?? 'OBJECT_TABLE') ? rename.relation : undefined;
  if (relation && rename?.missing_ok) return;
  const condition = enumRename ? 'invalid_parameter_value' : missingCondition(rename?.renameType);
  report({
    ...statementRange(s),
    message: 'RENAME fails when the migration runs again: the old name no longer exists',
    help: relation ? 'write ALTER ... IF EXISTS old_name RENAME TO new_name, which a second run skips' : `guard it with a DO block that ignores ${condition}`,
    fixes: (): LintFix[] => {
      const guard = guardWithDoBlock(doc, s, [condition], `Guard with a DO block that ignores ${condition}`, !relation);
      return relation ? [fix('Add IF EXISTS', [insert(s.at(relation.location), 'IF EXISTS ')]), guard] : [guard];
    },
  });
}
