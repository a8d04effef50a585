import { fix, guardWithDoBlock, insertBeforeStatement, qualifiedName } from '../fixes';
import { createdBy } from '../created';
import { droppedBy } from '../dropped';
import { headline, throughRelation, type Range } from '../ranges';
import { defineRule } from '../rule';
import type { LintDocument } from '../document';
import type { LintStatement } from '../statement';
import type { LintFix, Report } from '../types';

/** meta: a CREATE with no idempotent form (TYPE, DOMAIN, POLICY, ROLE, ...) fails when the migration runs again unless guarded. */
export const meta = defineRule('guard-create', 'idempotency', 'warning', 'CREATE with no IF NOT EXISTS form, unguarded');

/** WHAT names each statement with no idempotent form, and the error a second run raises (the DO block's guard). */
const WHAT: Record<string, { label: string; condition: string } | undefined> = {
  CreateEnumStmt: { label: 'TYPE', condition: 'duplicate_object' },
  CompositeTypeStmt: { label: 'TYPE', condition: 'duplicate_object' },
  CreateRangeStmt: { label: 'TYPE', condition: 'duplicate_object' },
  CreateDomainStmt: { label: 'DOMAIN', condition: 'duplicate_object' },
  CreatePolicyStmt: { label: 'POLICY', condition: 'duplicate_object' },
  CreateRoleStmt: { label: 'ROLE', condition: 'duplicate_object' },
  CreateCastStmt: { label: 'CAST', condition: 'duplicate_object' },
  CreatePublicationStmt: { label: 'PUBLICATION', condition: 'duplicate_object' },
  CreateEventTrigStmt: { label: 'EVENT TRIGGER', condition: 'duplicate_object' },
  CreateConversionStmt: { label: 'CONVERSION', condition: 'duplicate_object' },
  CreateAmStmt: { label: 'ACCESS METHOD', condition: 'duplicate_object' },
  CreateFdwStmt: { label: 'FOREIGN DATA WRAPPER', condition: 'duplicate_object' },
  CreateOpClassStmt: { label: 'OPERATOR CLASS', condition: 'duplicate_object' },
  CreateOpFamilyStmt: { label: 'OPERATOR FAMILY', condition: 'duplicate_object' },
};

/** DEFINED: CREATE TYPE (base or shell), OPERATOR and text search objects share DefineStmt. */
const DEFINED: Record<string, { label: string; condition: string } | undefined> = {
  OBJECT_TYPE: { label: 'TYPE', condition: 'duplicate_object' },
  OBJECT_OPERATOR: { label: 'OPERATOR', condition: 'duplicate_function' },
  OBJECT_TSCONFIGURATION: { label: 'TEXT SEARCH CONFIGURATION', condition: 'duplicate_object' },
  OBJECT_TSDICTIONARY: { label: 'TEXT SEARCH DICTIONARY', condition: 'duplicate_object' },
  OBJECT_TSPARSER: { label: 'TEXT SEARCH PARSER', condition: 'duplicate_object' },
  OBJECT_TSTEMPLATE: { label: 'TEXT SEARCH TEMPLATE', condition: 'duplicate_object' },
};

/** kinds: the statements of WHAT, DefineStmt, constraint triggers, and CREATE SCHEMA with elements. */
export const kinds = [
  'CreateEnumStmt', 'CompositeTypeStmt', 'CreateRangeStmt', 'CreateDomainStmt', 'CreatePolicyStmt', 'CreateRoleStmt', 'CreateCastStmt',
  'CreatePublicationStmt', 'CreateEventTrigStmt', 'CreateConversionStmt', 'CreateAmStmt', 'CreateFdwStmt', 'CreateOpClassStmt',
  'CreateOpFamilyStmt', 'DefineStmt', 'CreateTrigStmt', 'CreateSchemaStmt',
] as const;

/** check reports an unguarded CREATE with no idempotent form, offering a DO block that ignores the second run's error. */
export function check(s: LintStatement, report: Report, doc: LintDocument): void {
  const what = whatOf(s);
  if (!what || droppedJustBefore(doc, s)) return;
  report({
    ...rangeOf(s),
    message: `CREATE ${what.label} has no IF NOT EXISTS: running the migration again fails with "already exists"`,
    help: droppable(s)
      ? `drop it first with DROP ${what.label} IF EXISTS (which also applies an edited definition), or guard it with a DO block that ignores ${what.condition}`
      : `guard it with a DO block that ignores ${what.condition}, so a second run skips it`,
    fixes: () => fixesOf(doc, s, what),
  });
}

function whatOf(s: LintStatement): { label: string; condition: string } | undefined {
  if (s.kind === 'DefineStmt') return DEFINED[s.get('DefineStmt')?.kind ?? ''];
  if (s.kind === 'CreateTrigStmt') return s.get('CreateTrigStmt')?.isconstraint ? { label: 'CONSTRAINT TRIGGER', condition: 'duplicate_object' } : undefined;
  if (s.kind === 'CreateSchemaStmt') return (s.get('CreateSchemaStmt')?.schemaElts?.length ?? 0) > 0 ? { label: 'SCHEMA', condition: 'duplicate_schema' } : undefined;
  return WHAT[s.kind ?? ''];
}

/** droppedJustBefore: the statement before drops this policy or trigger IF EXISTS, which makes re-running safe. */
function droppedJustBefore(doc: LintDocument, s: LintStatement): boolean {
  const previous = doc.statements[s.index - 1];
  if (!droppable(s) || !previous || previous.section !== s.section || !previous.get('DropStmt')?.missing_ok) return false;
  const created = createdBy(s)[0];
  return created !== undefined && droppedBy(previous).some((d) => d.kind === created.kind && d.name === created.name && d.table?.name === created.table?.name);
}

/** droppable: policies and constraint triggers hold no data, so dropping and re-creating them is safe. */
function droppable(s: LintStatement): boolean {
  return s.kind === 'CreatePolicyStmt' || s.kind === 'CreateTrigStmt';
}

function rangeOf(s: LintStatement): Range {
  const relation = s.get('CreatePolicyStmt')?.table ?? s.get('CreateTrigStmt')?.relation ?? s.get('CompositeTypeStmt')?.typevar;
  return relation ? throughRelation(s, relation) : headline(s);
}

/** fixesOf: policies and constraint triggers can be dropped first (preferred, as it also applies an edited definition); everything can be guarded. */
function fixesOf(doc: LintDocument, s: LintStatement, what: { label: string; condition: string }): LintFix[] {
  const guard = guardWithDoBlock(doc, s, [what.condition], `Guard with a DO block that ignores ${what.condition}`);
  const policy = s.get('CreatePolicyStmt');
  const trigger = s.get('CreateTrigStmt');
  const dropFirst = policy
    ? `DROP POLICY IF EXISTS ${qualifiedName(policy.policy_name)} ON ${qualifiedName(policy.table?.schemaname, policy.table?.relname)};`
    : trigger
      ? `DROP TRIGGER IF EXISTS ${qualifiedName(trigger.trigname)} ON ${qualifiedName(trigger.relation?.schemaname, trigger.relation?.relname)};`
      : null;
  if (!dropFirst) return [guard];
  return [fix(`Drop the ${what.label.toLowerCase()} first if it exists`, [insertBeforeStatement(doc, s, dropFirst)]), { ...guard, preferred: false }];
}
