import type { Node } from 'libpg-query';
import { alterTableOf, columnDefOf, names, relationName } from '../ddl';
import type { LintDocument } from '../document';
import { nameRange, type Range } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: ADD COLUMN with a volatile DEFAULT (random(), gen_random_uuid(), serial ...) rewrites the whole table. */
export const meta = defineRule('volatile-default', 'safety', 'warning', 'ADD COLUMN with a volatile DEFAULT on an existing table');

/** kinds: ALTER TABLE. */
export const kinds = ['AlterTableStmt'] as const;

/**
 * VOLATILE lists PostgreSQL's volatile functions that people put in defaults (and those of uuid-ossp).
 * now() and CURRENT_TIMESTAMP are stable, so PostgreSQL 11+ stores them once without a rewrite.
 */
const VOLATILE = new Set([
  'random', 'random_normal', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'clock_timestamp', 'timeofday', 'nextval', 'txid_current',
  'pg_current_xact_id', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4',
]);

/** SERIAL types default to nextval(), which is volatile. */
const SERIAL = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** check reports a column added to an existing table with a default every row must compute. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const { relation, cmds } = alterTableOf(s);
  if (doc.createdEarlier(s, relation)) return;
  for (const cmd of cmds) {
    const column = cmd.subtype === 'AT_AddColumn' ? columnDefOf(cmd) : undefined;
    if (!column) continue;
    const typeName = names(column.typeName?.names);
    const serial = typeName.length === 1 && SERIAL.has(typeName[0]!);
    const defaults = (column.constraints ?? []).flatMap((c) => ('Constraint' in c && c.Constraint.contype === 'CONSTR_DEFAULT' ? [c.Constraint.raw_expr] : []));
    const call = defaults.map((d) => volatileCall(d)).find((c) => c !== null) ?? null;
    if (!serial && !call) continue;
    const range: Range = call
      ? nameRange(s, s.at(call.location), call.name)
      : nameRange(s, s.at(column.typeName?.location), typeName);
    report({
      ...range,
      message: `${call ? `DEFAULT ${call.name.join('.')}() is volatile` : `${typeName[0]!} defaults to nextval(), which is volatile`}: adding ${column.colname ?? 'the column'} rewrites all of ${relationName(relation)} under an ACCESS EXCLUSIVE lock`,
      help: 'add the column without that default, backfill existing rows in batches, then SET DEFAULT for new rows',
    });
  }
}

/** volatileCall finds a call to a known volatile function anywhere in an expression. */
function volatileCall(expr: Node | undefined): { name: string[]; location: number | undefined } | null {
  const stack: unknown[] = [expr];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    const call = (value as { FuncCall?: { funcname?: Node[]; location?: number } }).FuncCall;
    const name = call ? names(call.funcname) : [];
    if (call && VOLATILE.has(name[name.length - 1] ?? '')) return { name, location: call.location };
    for (const child of Object.values(value)) stack.push(child);
  }
  return null;
}
