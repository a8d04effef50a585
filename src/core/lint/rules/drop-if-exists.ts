import type { AlterTableCmd } from 'libpg-query';
import { OBJECT_WORDS } from '../ddl';
import { fix, insert } from '../fixes';
import { codeTokens, commandRanges, statementRange, type Range } from '../ranges';
import { defineRule } from '../rule';
import type { LintStatement } from '../statement';
import type { Report } from '../types';

/** meta: a DROP without IF EXISTS fails when the migration runs again (or when DOWN runs twice). */
export const meta = defineRule('drop-if-exists', 'idempotency', 'warning', 'DROP without IF EXISTS cannot run twice');

/** kinds: every DROP statement, and ALTER TABLE/DOMAIN ... DROP COLUMN/CONSTRAINT. */
export const kinds = [
  'DropStmt', 'DropRoleStmt', 'DropdbStmt', 'DropTableSpaceStmt', 'DropSubscriptionStmt', 'DropUserMappingStmt', 'AlterTableStmt', 'AlterDomainStmt',
] as const;

/** Drop is one DROP without IF EXISTS: what it drops, where, and the keywords IF EXISTS follows. */
interface Drop {
  label: string;
  /** name is given for commands of ALTER TABLE, where several may drop different things. */
  name?: string;
  range: Range;
  /** after: IF EXISTS goes after the first of these keywords found past the range's first token, and then any `then` keyword right after it. */
  after: string;
  then?: string;
}

/** check reports each DROP without IF EXISTS. */
export function check(s: LintStatement, report: Report): void {
  for (const drop of dropsOf(s)) {
    report({
      ...drop.range,
      message: `DROP ${drop.label}${drop.name ? ` ${drop.name}` : ''} without IF EXISTS fails when it is already gone`,
      help: `write DROP ${drop.label} IF EXISTS${drop.name ? ` ${drop.name}` : ''}, so the migration (or its DOWN) can run again`,
      fixes: () => {
        const tokens = codeTokens(s.tokens()).filter((t) => t.start >= drop.range.start);
        let i = drop.after === 'drop' ? 0 : tokens.findIndex((t, k) => k > 0 && t.keyword === drop.after);
        if (i < 0) return [];
        if (drop.then && tokens[i + 1]?.keyword === drop.then) i++;
        return [fix('Add IF EXISTS', [insert(tokens[i]!.end, ' IF EXISTS')])];
      },
    });
  }
}

/** SIMPLE_DROPS are the DROP statements with a node of their own: label and the keyword before the name. */
const SIMPLE_DROPS = {
  DropdbStmt: ['DATABASE', 'database'],
  DropTableSpaceStmt: ['TABLESPACE', 'tablespace'],
  DropSubscriptionStmt: ['SUBSCRIPTION', 'subscription'],
  DropUserMappingStmt: ['USER MAPPING', 'mapping'],
} as const;

function dropsOf(s: LintStatement): Drop[] {
  const whole = (label: string, after: string, then?: string): Drop[] => [{ label, range: statementRange(s), after, then }];
  const drop = s.get('DropStmt');
  if (drop) {
    const words = OBJECT_WORDS[drop.removeType ?? 'OBJECT_TABLE'];
    return drop.missing_ok || !words ? [] : whole(words.label, words.keyword, 'concurrently');
  }
  const role = s.get('DropRoleStmt');
  if (role) return role.missing_ok ? [] : whole('ROLE', codeTokens(s.tokens())[1]?.keyword ?? 'role');
  const simple = SIMPLE_DROPS[s.kind as keyof typeof SIMPLE_DROPS] as readonly [string, string] | undefined;
  if (simple) return (s.sql.node?.[s.kind!] as { missing_ok?: boolean }).missing_ok ? [] : whole(simple[0], simple[1]);
  const domain = s.get('AlterDomainStmt');
  if (domain) return domain.subtype === 'X' && !domain.missing_ok ? whole('CONSTRAINT', 'constraint') : [];
  return alterTableDrops(s);
}

/** alterTableDrops finds DROP COLUMN / DROP CONSTRAINT commands of an ALTER TABLE, each with its own range. */
function alterTableDrops(s: LintStatement): Drop[] {
  const alter = s.get('AlterTableStmt');
  const cmds = (alter?.cmds ?? []).map((c) => ('AlterTableCmd' in c ? c.AlterTableCmd : ({})));
  const dropping = cmds.some((c) => isDrop(c) && !c.missing_ok);
  if (!alter?.relation || !dropping) return [];
  const ranges = commandRanges(s, s.at(alter.relation.location), cmds.length);
  const drops: Drop[] = [];
  cmds.forEach((c, i) => {
    if (!isDrop(c) || c.missing_ok) return;
    const range = ranges?.[i] ?? statementRange(s);
    const column = c.subtype === 'AT_DropColumn';
    drops.push({ label: column ? 'COLUMN' : 'CONSTRAINT', name: c.name, range, after: column ? 'drop' : 'constraint', then: column ? 'column' : undefined });
  });
  return drops;
}

function isDrop(c: AlterTableCmd): boolean {
  return c.subtype === 'AT_DropColumn' || c.subtype === 'AT_DropConstraint';
}
