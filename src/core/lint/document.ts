/**
 * A migration file read for linting: its UP and DOWN sections parsed separately (as the runner runs
 * them, so a missing ';' before `-- DOWN` does not glue two statements together), every offset turned
 * into an offset in the document as given (a leading BOM included), and the facts several rules share.
 */
import { basename } from 'node:path';
import type { RangeVar } from 'libpg-query';
import { parseMigrationFileName } from '../filename';
import { splitSections, type SectionsOk } from '../sections';
import { transactionControlOf } from '../sql/classify';
import { splitStatements } from '../sql/parser';
import { isAscii } from '../text';
import type { Section } from '../types';
import { LintStatement, type SectionName } from './statement';
import type { LintOptions } from './types';

/** DocumentSection is where a section's text sits in the document. */
export interface DocumentSection {
  name: SectionName;
  start: number;
  end: number;
  text: string;
  /** markerLine is the 1-based line of its `-- UP`/`-- DOWN` marker, null when it has none. */
  markerLine: number | null;
}

/** DocumentSyntaxError is text PostgreSQL would refuse, at its document offset. */
export interface DocumentSyntaxError {
  offset: number;
  message: string;
  /** statement is the unparsed statement holding the error. */
  statement: LintStatement | null;
}

/** Created is where the file creates an object: for "created earlier in this section" questions. */
interface Created {
  schema: string | undefined;
  index: number;
  section: SectionName;
}

/** FilePart is the role a file name gives a file: a single migration, one half of a pair, or not a migration name. */
export type FilePart = 'single' | 'up' | 'down' | 'other';

/** LintDocument is one document ready for the rules. */
export class LintDocument {
  readonly part: FilePart;
  readonly sections: DocumentSection[] = [];
  readonly statements: LintStatement[] = [];
  readonly syntaxErrors: DocumentSyntaxError[] = [];
  /** sectionsError is why the markers could not be read (the whole file is then linted as one section). */
  readonly sectionsError: { line: number; message: string } | null = null;
  /** downMarkerLine is the DOWN marker's line even when the DOWN section holds no SQL. */
  readonly downMarkerLine: number | null = null;
  readonly noTransaction: boolean = false;
  /** bom is 1 when the text starts with a byte order mark, which section offsets do not count. */
  readonly bom: number;
  /** created maps kind, then name (a column's name is table.column), to where the file creates it. */
  private readonly created = { table: new Map<string, Created[]>(), index: new Map<string, Created[]>(), column: new Map<string, Created[]>() };

  constructor(
    readonly text: string,
    readonly options: LintOptions,
  ) {
    this.bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.part = filePart(options.file);
    const split = splitSections(text, options.file);
    if (!split.ok) {
      this.sectionsError = { line: split.line, message: split.message };
      this.addSection(this.part === 'down' ? 'down' : 'up', { text: text.slice(this.bom), offset: 0, markerLine: null });
    } else {
      this.downMarkerLine = split.downMarkerLine;
      this.noTransaction = split.noTransaction;
      this.sectionsError = pairError(this.part, split);
      for (const [name, section] of sectionsOf(this.part, split)) this.addSection(name, section);
    }
    this.collectFacts();
  }

  /** section returns the named section, if the document has it. */
  section(name: SectionName): DocumentSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** createdEarlier is true when a statement before `s`, in the same section, created the table `rv` names. */
  createdEarlier(s: LintStatement, rv: RangeVar | undefined): boolean {
    return rv?.relname !== undefined && this.createdBefore(s, 'table', rv.schemaname, rv.relname);
  }

  /** createdBefore is true when a statement before `s`, in the same section, created this table, index or column (name `table.column`). */
  createdBefore(s: LintStatement, kind: 'table' | 'index' | 'column', schema: string | undefined, name: string): boolean {
    const created = this.created[kind].get(name);
    if (!created) return false;
    for (const c of created) if (c.section === s.section && c.index < s.index && sameSchema(c.schema, schema)) return true;
    return false;
  }

  private record(s: LintStatement, kind: 'table' | 'index' | 'column', schema: string | undefined, name: string): void {
    const byName = this.created[kind];
    const list = byName.get(name);
    const entry = { schema, index: s.index, section: s.section };
    if (list) list.push(entry);
    else byName.set(name, [entry]);
  }

  private addSection(name: SectionName, section: Pick<Section, 'text' | 'offset' | 'markerLine'>): void {
    const start = this.bom + section.offset;
    this.sections.push({ name, start, end: start + section.text.length, text: section.text, markerLine: section.markerLine });
    const split = splitStatements(section.text);
    const ascii = split.ascii ?? isAscii(section.text);
    let k = this.statements.length;
    for (const sql of split.statements) this.statements.push(new LintStatement(sql, name, this.statements.length, start, ascii));
    // Errors and statements are both in text order: one walk pairs each error with the unparsed statement holding it.
    for (const error of split.errors) {
      const offset = start + error.offset;
      while (k < this.statements.length && this.statements[k]!.terminatorEnd < offset) k++;
      const candidate = this.statements[k];
      const statement = candidate && candidate.kind === null && candidate.start <= offset ? candidate : null;
      this.syntaxErrors.push({ offset, message: error.message, statement });
    }
  }

  /** collectFacts records, in one pass, the tables each section creates and the file's own open BEGIN at each statement. */
  private collectFacts(): void {
    let open: LintStatement | null = null;
    let section: SectionName | null = null;
    for (const s of this.statements) {
      if (s.section !== section) {
        section = s.section;
        open = null;
      }
      this.recordCreated(s);
      if (s.kind !== 'TransactionStmt') {
        s.openBegin = open;
        continue;
      }
      const control = transactionControlOf(s.sql);
      if (control === 'begin') open = s;
      else if (control === 'commit' || control === 'rollback' || control === 'prepare') open = null;
    }
  }

  /** recordCreated notes the tables, named indexes and added columns a statement creates. */
  private recordCreated(s: LintStatement): void {
    const table = s.get('CreateStmt')?.relation ?? s.get('CreateTableAsStmt')?.into?.rel;
    if (table?.relname) this.record(s, 'table', table.schemaname, table.relname);
    const index = s.get('IndexStmt');
    if (index?.idxname) this.record(s, 'index', index.relation?.schemaname, index.idxname);
    const alter = s.get('AlterTableStmt');
    if (!alter?.relation?.relname) return;
    for (const cmd of alter.cmds ?? []) {
      const add = 'AlterTableCmd' in cmd && cmd.AlterTableCmd.subtype === 'AT_AddColumn' ? cmd.AlterTableCmd.def : undefined;
      const column = add && 'ColumnDef' in add ? add.ColumnDef.colname : undefined;
      if (column) this.record(s, 'column', alter.relation.schemaname, `${alter.relation.relname}.${column}`);
    }
  }
}

/** filePart reads the role of a file from its name. */
function filePart(file: string): FilePart {
  return parseMigrationFileName(basename(file))?.part ?? 'other';
}

/** sectionsOf picks the sections the runner would run from a file of this part. */
function sectionsOf(part: FilePart, split: SectionsOk): [SectionName, Section][] {
  if (part === 'down') {
    // A .down.sql is all DOWN, unless it uses a DOWN marker (then only what follows it).
    if (split.downMarkerLine !== null) return split.down ? [['down', split.down]] : [];
    return [['down', split.up]];
  }
  const sections: [SectionName, Section][] = [['up', split.up]];
  if (split.down && part !== 'up') sections.push(['down', split.down]);
  return sections;
}

/** pairError is the marker a half of a pair must not have (the other half holds that section). */
function pairError(part: FilePart, split: SectionsOk): { line: number; message: string } | null {
  if (part === 'up' && split.downMarkerLine !== null) {
    return { line: split.downMarkerLine, message: 'an .up.sql file has a DOWN marker; in a pair, DOWN goes in the .down.sql file' };
  }
  if (part === 'down' && split.up.markerLine !== null) {
    return { line: split.up.markerLine, message: 'a .down.sql file has an UP marker; in a pair, UP goes in the .up.sql file' };
  }
  return null;
}

/** sameSchema: names match when both schemas are written and equal, or when either is left to the search path. */
export function sameSchema(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
