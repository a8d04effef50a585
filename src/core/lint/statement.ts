/**
 * One parsed statement as the rules see it: its node, its section, and its place in the document.
 * Parse-tree locations are UTF-8 byte offsets into the section text; `at` turns them into document
 * offsets. Scanner tokens cost about 2.5 µs each, so they are read only when a rule asks, once.
 */
import type { Node } from 'libpg-query';
import { tokenize, type SqlStatement, type SqlToken } from '../sql/parser';
import { ByteOffsetMap } from '../text';

/** SectionName is the part of a migration a statement runs in. */
export type SectionName = 'up' | 'down';

type KeysOf<T> = T extends unknown ? keyof T : never;
/** NodeKind is the name of a parse-tree node type, e.g. 'IndexStmt'. */
export type NodeKind = KeysOf<Node>;
/** NodeOf is the node type of a kind, e.g. NodeOf<'IndexStmt'> is IndexStmt. */
export type NodeOf<K extends NodeKind> = Extract<Node, Record<K, unknown>>[K];

/** LintToken is a scanner token with document offsets. */
export type LintToken = SqlToken;

/** LintStatement is one statement of a linted document. */
export class LintStatement {
  /** openBegin is the file's own BEGIN that is still open at this statement (same section), if any. */
  openBegin: LintStatement | null = null;
  private bytes: ByteOffsetMap | null = null;
  private allTokens: LintToken[] | null = null;

  constructor(
    readonly sql: SqlStatement,
    readonly section: SectionName,
    /** index is the statement's position in the document (UP statements first). */
    readonly index: number,
    /** base is the document offset of the section text the statement was parsed from. */
    private readonly base: number,
    /** ascii: the section text is ASCII, so bytes and UTF-16 units coincide and no map is needed. */
    private readonly ascii = false,
  ) {}

  /** kind is the node type name, e.g. 'IndexStmt'; null when the statement did not parse. */
  get kind(): string | null {
    return this.sql.kind;
  }

  /** start/end: document offsets of the first and past the last token (no comments, no ';'). */
  get start(): number {
    return this.base + this.sql.start;
  }

  get end(): number {
    return this.base + this.sql.end;
  }

  /** terminatorEnd is the document offset just past the statement's ';' (or its end when it has none). */
  get terminatorEnd(): number {
    return this.base + this.sql.terminatorEnd;
  }

  get text(): string {
    return this.sql.text;
  }

  /** get returns the statement's node when it is of this kind. */
  get<K extends NodeKind>(kind: K): NodeOf<K> | undefined {
    if (this.sql.kind !== kind || !this.sql.node) return undefined;
    return this.sql.node[kind] as NodeOf<K>;
  }

  /** at converts a parse-tree byte location to a document offset; unknown locations (-1, absent) give the statement's start. */
  at(location: number | undefined): number {
    if (location === undefined || location < 0) return this.start;
    if (this.ascii) return this.start + location - this.sql.byteStart;
    this.bytes ??= new ByteOffsetMap(this.sql.text);
    return this.start + this.bytes.toUtf16(location - this.sql.byteStart);
  }

  /** tokens are the statement's scanner tokens (comments included), read once. */
  tokens(): LintToken[] {
    this.allTokens ??= shift(tokenize(this.sql.text), this.start);
    return this.allTokens;
  }

  /** tokensBefore gives the tokens before a document offset that starts a token, scanning only that far when it can. */
  tokensBefore(offset: number): LintToken[] {
    if (this.allTokens) return this.allTokens.filter((t) => t.end <= offset);
    return shift(tokenize(this.sql.text.slice(0, Math.max(0, offset - this.start))), this.start);
  }
}

function shift(tokens: SqlToken[], by: number): LintToken[] {
  if (by === 0) return tokens;
  for (const t of tokens) {
    t.start += by;
    t.end += by;
  }
  return tokens;
}
