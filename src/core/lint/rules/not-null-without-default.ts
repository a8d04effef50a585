import { alterTableOf, columnDefOf, relationName } from '../ddl';
import type { LintDocument } from '../document';
import { nameRange } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: ADD COLUMN ... NOT NULL without a DEFAULT fails on a table that has rows. */
export const meta = defineRule('not-null-without-default', 'safety', 'warning', 'ADD COLUMN ... NOT NULL without a DEFAULT on an existing table');

/** kinds: ALTER TABLE. */
export const kinds = ['AlterTableStmt'] as const;

/** SERIAL types carry their own default (nextval). */
const SERIAL = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** check reports a NOT NULL (or PRIMARY KEY) column added without a value for the existing rows. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const { relation, cmds } = alterTableOf(s);
  if (doc.createdEarlier(s, relation)) return; // a table created in this migration has no rows yet
  for (const cmd of cmds) {
    const column = cmd.subtype === 'AT_AddColumn' ? columnDefOf(cmd) : undefined;
    if (!column) continue;
    const types = (column.constraints ?? []).map((c) => ('Constraint' in c ? c.Constraint.contype : undefined));
    const required = types.includes('CONSTR_NOTNULL') || types.includes('CONSTR_PRIMARY');
    const filled = types.includes('CONSTR_DEFAULT') || types.includes('CONSTR_IDENTITY') || types.includes('CONSTR_GENERATED');
    const typeName = column.typeName?.names?.at(-1);
    const serial = typeName !== undefined && 'String' in typeName && SERIAL.has(typeName.String.sval ?? '');
    if (!required || filled || serial) continue;
    report({
      ...nameRange(s, s.at(column.location), [column.colname ?? '']),
      message: `ADD COLUMN ${column.colname ?? ''} NOT NULL without a DEFAULT fails if ${relationName(relation)} has any rows`,
      help: 'give it a DEFAULT (instant since PostgreSQL 11), or add it nullable, backfill it, then SET NOT NULL',
    });
  }
}
