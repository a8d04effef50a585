import type { RangeVar } from 'libpg-query';
import { afterKeyword, isTemporary } from '../ddl';
import { fix, insert } from '../fixes';
import { headline, throughRelation, type Range } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { LintFix, Report } from '../types';

/** meta: a CREATE that has an IF NOT EXISTS form but does not use it fails when the migration runs again. */
export const meta = defineRule('create-if-not-exists', 'idempotency', 'warning', 'CREATE without IF NOT EXISTS cannot run twice');

/** kinds: every statement with an IF NOT EXISTS form in PostgreSQL 13-18 (ADD COLUMN and ADD VALUE have their own rules). */
export const kinds = [
  'CreateStmt', 'CreateTableAsStmt', 'CreateForeignTableStmt', 'IndexStmt', 'CreateSeqStmt', 'CreateSchemaStmt',
  'CreateExtensionStmt', 'CreateForeignServerStmt', 'CreateUserMappingStmt', 'CreateStatsStmt', 'DefineStmt',
] as const;

/** Target is what a statement creates and how to add IF NOT EXISTS to it. */
interface Target {
  label: string;
  range: Range;
  /** at: where ` IF NOT EXISTS` goes (after a keyword), or `IF NOT EXISTS ` (before a located name); null: no fix. Computed when the fix is asked for, as keywords need the scanner. */
  fix: { at: () => number; before: boolean } | null;
}

/** check reports a CREATE that could say IF NOT EXISTS. */
export function check(s: LintStatement, report: Report): void {
  const target = targetOf(s);
  if (!target) return;
  const { label, range } = target;
  report({
    ...range,
    message: `CREATE ${label} without IF NOT EXISTS fails when the migration runs again`,
    help: target.fix ? `write CREATE ${label} IF NOT EXISTS, so a re-run after a partial failure skips it` : 'give the index a name: only a named index can use IF NOT EXISTS',
    fixes: () => fixOf(target),
  });
}

function fixOf(target: Target): LintFix[] {
  const at = target.fix?.at() ?? -1;
  if (!target.fix || at < 0) return [];
  const text = target.fix.before ? 'IF NOT EXISTS ' : ' IF NOT EXISTS';
  return [fix('Add IF NOT EXISTS', [insert(at, text)])];
}

/** targetOf returns what the statement creates without IF NOT EXISTS, or null when it is fine as written. */
function targetOf(s: LintStatement): Target | null {
  const table = s.get('CreateStmt') ?? s.get('CreateForeignTableStmt')?.base;
  if (table) return table.if_not_exists || isTemporary(table.relation) ? null : located(s, s.kind === 'CreateStmt' ? 'TABLE' : 'FOREIGN TABLE', table.relation);
  const tableAs = s.get('CreateTableAsStmt');
  if (tableAs) {
    if (tableAs.if_not_exists || tableAs.is_select_into || isTemporary(tableAs.into?.rel)) return null;
    return located(s, tableAs.objtype === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE', tableAs.into?.rel);
  }
  const sequence = s.get('CreateSeqStmt');
  if (sequence) return sequence.if_not_exists || isTemporary(sequence.sequence) ? null : located(s, 'SEQUENCE', sequence.sequence);
  const index = s.get('IndexStmt');
  if (index) {
    if (index.if_not_exists) return null;
    const at = (): number => afterKeyword(s, 'index', 'concurrently', s.at(index.relation?.location));
    return { label: 'INDEX', range: throughRelation(s, index.relation), fix: index.idxname ? { at, before: false } : null };
  }
  return keyworded(s);
}

/** located: the name has a location, so IF NOT EXISTS goes right before it. */
function located(s: LintStatement, label: string, rv: RangeVar | undefined): Target {
  return { label, range: throughRelation(s, rv), fix: rv ? { at: () => s.at(rv.location), before: true } : null };
}

/** keyworded: IF NOT EXISTS goes after the keyword naming the object type (SCHEMA, EXTENSION, ...). */
function keyworded(s: LintStatement): Target | null {
  const make = (label: string, keyword: string): Target => ({ label, range: headline(s), fix: { at: () => afterKeyword(s, keyword), before: false } });
  const schema = s.get('CreateSchemaStmt');
  // IF NOT EXISTS cannot be combined with schema elements; guard-create covers that form.
  if (schema) return schema.if_not_exists || (schema.schemaElts?.length ?? 0) > 0 ? null : make('SCHEMA', 'schema');
  const extension = s.get('CreateExtensionStmt');
  if (extension) return extension.if_not_exists ? null : make('EXTENSION', 'extension');
  const server = s.get('CreateForeignServerStmt');
  if (server) return server.if_not_exists ? null : make('SERVER', 'server');
  const mapping = s.get('CreateUserMappingStmt');
  if (mapping) return mapping.if_not_exists ? null : make('USER MAPPING', 'mapping');
  const stats = s.get('CreateStatsStmt');
  if (stats) return stats.if_not_exists || !stats.defnames ? null : make('STATISTICS', 'statistics');
  const define = s.get('DefineStmt');
  if (define?.kind === 'OBJECT_COLLATION' && !define.if_not_exists) return make('COLLATION', 'collation');
  return null;
}
