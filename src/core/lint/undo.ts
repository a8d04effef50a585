/**
 * What DOWN has to undo: the objects UP creates and does not drop again itself, leaving out those that
 * go with a table UP also creates (its indexes, triggers, columns ...), which dropping the table undoes.
 */
import type { LintDocument } from './document';
import { createdBy } from './created';
import { droppedBy } from './dropped';
import { Drops, type CreatedObject } from './objects';
import { splitStatements } from '../sql/parser';
import { LintStatement } from './statement';

/** objectsUpCreates lists, in creation order, what UP leaves behind for DOWN to drop. */
export function objectsUpCreates(doc: LintDocument): CreatedObject[] {
  // Loops rather than filter/flatMap: a large file has thousands of statements and objects.
  const created: CreatedObject[] = [];
  const drops = new Drops();
  const newTables = new Set<string>();
  for (const s of doc.statements) {
    if (s.section !== 'up') continue;
    for (const o of createdBy(s)) {
      created.push(o);
      if (o.kind === 'table' || o.kind === 'materialized view' || o.kind === 'view') newTables.add(o.name);
    }
    drops.add(droppedBy(s), s.index);
  }
  // Objects on a table UP creates go with that table, so DOWN drops them by dropping the table.
  const left: CreatedObject[] = [];
  for (const o of created) if (!(o.table && newTables.has(o.table.name)) && !drops.undoes(o, o.statement.index)) left.push(o);
  return left;
}

/** downStatements are the statements of DOWN (the DOWN section, or a pair's .down.sql); null when DOWN is not known. */
export function downStatements(doc: LintDocument): LintStatement[] | null {
  if (doc.part === 'single') return doc.section('down') ? doc.statements.filter((s) => s.section === 'down') : null;
  if (doc.part !== 'up' || !doc.options.downFile) return null;
  // The other file's offsets mean nothing here; only its parse trees are read.
  return splitStatements(doc.options.downFile.text).statements.map((sql, i) => new LintStatement(sql, 'down', i, 0));
}

/** leftBehind lists what UP creates and DOWN does not drop (or, for CREATE OR REPLACE objects, re-create). */
export function leftBehind(doc: LintDocument, down: readonly LintStatement[]): CreatedObject[] {
  const drops = new Drops();
  const recreated = new Drops();
  for (const s of down) {
    drops.add(droppedBy(s));
    recreated.add(createdBy(s));
  }
  return objectsUpCreates(doc).filter((o) => !drops.undoes(o) && !(o.replaceable && recreated.recreates(o)));
}
