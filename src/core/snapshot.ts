import type pg from 'pg';

/**
 * SchemaSnapshot maps an object key (e.g. 'table public.users', 'column public.users.email',
 * 'index public.users_email_idx', 'constraint public.users.users_pkey', 'function public.f(integer)',
 * 'type public.mood', 'view public.v', 'sequence public.s', 'trigger public.users.trg', 'extension pgcrypto',
 * 'schema app', 'policy public.users.p', 'enum-label public.mood.happy' ...) to a definition string.
 */
export type SchemaSnapshot = Map<string, string>;

/** SnapshotOptions narrows what snapshotSchema looks at. */
export interface SnapshotOptions {
  /** exclude lists tables (e.g. the tracking table) left out together with their columns, indexes and constraints. */
  exclude?: { schema: string; table: string }[];
}

/** SnapshotDiff lists object keys only in before, only in after, and whose definitions differ. */
export interface SnapshotDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/*
 * One round trip: every kind of object becomes (key, definition) rows of one UNION ALL. Names in keys go
 * through %I so that odd names stay unambiguous and plain ones read naturally. Definitions come from the
 * server's own deparsers (pg_get_*def, pg_get_expr, format_type), which qualify names not on the
 * search_path: snapshotSchema pins search_path to pg_catalog so a migration's `SET search_path` cannot
 * change them. ACLs are compared sorted and with NULL (the default) spelled out, so grant-then-revoke
 * reads the same as never granted. Catalog columns used exist in PostgreSQL 14 through 18; NOT NULL
 * constraints, which 18 (and 17 for domains) also records in pg_constraint, are left to the column's
 * or domain's own `not null` so snapshots read the same on every major.
 */
const SNAPSHOT_SQL = `
WITH ext_members AS (
  SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e'
), schemas AS (
  SELECT n.oid, n.nspname, n.nspowner, n.nspacl
  FROM pg_catalog.pg_namespace n
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND NOT starts_with(n.nspname, 'pg_temp_') AND NOT starts_with(n.nspname, 'pg_toast_temp_')
    AND NOT EXISTS (SELECT 1 FROM ext_members e WHERE e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND e.objid = n.oid)
), excluded AS (
  SELECT c.oid
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN unnest($1::text[], $2::text[]) AS x(nspname, relname) ON x.nspname = n.nspname AND x.relname = c.relname
), rels AS (
  SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, c.relispartition,
         c.relpartbound, c.reloftype, c.reloptions, c.relreplident, c.relispopulated, c.relowner, c.relacl, s.nspname
  FROM pg_catalog.pg_class c
  JOIN schemas s ON s.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
    AND c.oid NOT IN (SELECT oid FROM excluded)
    AND NOT EXISTS (SELECT 1 FROM ext_members e WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid)
    -- sequences owned by an excluded table (serial, identity) go with it
    AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d JOIN excluded x ON x.oid = d.refobjid
      WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i'))
), rel_comments AS (
  SELECT objoid, objsubid, description FROM pg_catalog.pg_description
  WHERE classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
)
-- schemas
SELECT format('schema %I', s.nspname) AS key,
       concat_ws(' ',
         'acl=' || array_to_string(ARRAY(
           SELECT a::text FROM unnest(coalesce(s.nspacl, acldefault('n', s.nspowner))) a ORDER BY 1), ','),
         'comment=' || quote_literal(d.description)) AS def
FROM schemas s
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objoid = s.oid AND d.objsubid = 0
UNION ALL
-- tables, views, materialized views, sequences
SELECT format('%s %I.%I',
         CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized-view' WHEN 'S' THEN 'sequence' ELSE 'table' END,
         c.nspname, c.relname),
       concat_ws(' ',
         CASE WHEN c.relkind IN ('r', 'p', 'f') THEN 'relkind=' || c.relkind::text || ' persistence=' || c.relpersistence::text END,
         CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
         CASE WHEN c.relkind = 'm' AND NOT c.relispopulated THEN 'with-no-data' END,
         CASE WHEN c.relkind = 'S' THEN (
           SELECT format('as %s start %s increment %s minvalue %s maxvalue %s cache %s%s',
                    format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache,
                    CASE WHEN q.seqcycle THEN ' cycle' ELSE '' END)
           FROM pg_catalog.pg_sequence q WHERE q.seqrelid = c.oid) END,
         CASE WHEN c.relkind = 'S' THEN (
           SELECT 'owned-by ' || format('%s.%I', d.refobjid::pg_catalog.regclass, a.attname)
           FROM pg_catalog.pg_depend d
           JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
           WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
             AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0
             AND d.deptype IN ('a', 'i')
           LIMIT 1) END,
         CASE WHEN c.relkind = 'p' THEN 'partition-by ' || pg_get_partkeydef(c.oid) END,
         (SELECT 'inherits ' || string_agg(i.inhparent::pg_catalog.regclass::text, ', ' ORDER BY i.inhseqno)
          FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid),
         CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
         CASE WHEN c.reloftype <> 0 THEN 'of ' || format_type(c.reloftype, NULL) END,
         CASE WHEN c.relrowsecurity THEN 'row-security' END,
         CASE WHEN c.relforcerowsecurity THEN 'force-row-security' END,
         CASE WHEN c.relreplident NOT IN ('d', 'n') THEN 'replica-identity=' || c.relreplident::text END,
         'options=' || array_to_string(c.reloptions, ','),
         'acl=' || array_to_string(ARRAY(
           SELECT a::text
           FROM unnest(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) a
           ORDER BY 1), ','),
         'comment=' || quote_literal(d.description))
FROM rels c
LEFT JOIN rel_comments d ON d.objoid = c.oid AND d.objsubid = 0
UNION ALL
-- columns of tables and views, with their logical position (dropped columns leave gaps in attnum)
SELECT format('column %I.%I.%I', c.nspname, c.relname, a.attname),
       concat_ws(' ',
         'position=' || row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
         format_type(a.atttypid, a.atttypmod),
         CASE WHEN a.attcollation <> t.typcollation THEN 'collate ' || a.attcollation::pg_catalog.regcollation::text END,
         CASE WHEN a.attnotnull THEN 'not null' END,
         CASE a.attidentity WHEN 'a' THEN 'generated always as identity' WHEN 'd' THEN 'generated by default as identity' END,
         CASE WHEN a.attgenerated = '' THEN 'default ' || pg_get_expr(ad.adbin, ad.adrelid)
              ELSE 'generated always as (' || pg_get_expr(ad.adbin, ad.adrelid) || ')'
                   || CASE a.attgenerated WHEN 's' THEN ' stored' ELSE ' virtual' END END,
         'comment=' || quote_literal(d.description))
FROM rels c
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN rel_comments d ON d.objoid = c.oid AND d.objsubid = a.attnum
WHERE c.relkind <> 'S'
UNION ALL
-- table constraints
SELECT format('constraint %I.%I.%I', c.nspname, c.relname, k.conname), pg_get_constraintdef(k.oid)
FROM rels c
JOIN pg_catalog.pg_constraint k ON k.conrelid = c.oid
WHERE k.contype <> 'n'
UNION ALL
-- indexes
SELECT format('index %I.%I', c.nspname, i.relname),
       concat_ws(' ', pg_get_indexdef(x.indexrelid), CASE WHEN NOT x.indisvalid THEN 'invalid' END,
         'comment=' || quote_literal(d.description))
FROM rels c
JOIN pg_catalog.pg_index x ON x.indrelid = c.oid
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
LEFT JOIN rel_comments d ON d.objoid = i.oid AND d.objsubid = 0
UNION ALL
-- triggers written by users (not those behind foreign keys, nor clones on partitions)
SELECT format('trigger %I.%I.%I', c.nspname, c.relname, g.tgname),
       pg_get_triggerdef(g.oid) || ' enabled=' || g.tgenabled::text
FROM rels c
JOIN pg_catalog.pg_trigger g ON g.tgrelid = c.oid
WHERE NOT g.tgisinternal AND g.tgparentid = 0
UNION ALL
-- rules (the _RETURN rule of a view is the view itself)
SELECT format('rule %I.%I.%I', c.nspname, c.relname, r.rulename),
       pg_get_ruledef(r.oid) || ' enabled=' || r.ev_enabled::text
FROM rels c
JOIN pg_catalog.pg_rewrite r ON r.ev_class = c.oid
WHERE r.rulename <> '_RETURN'
UNION ALL
-- row-level security policies
SELECT format('policy %I.%I.%I', c.nspname, c.relname, p.polname),
       concat_ws(' ',
         CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END,
         'for ' || CASE p.polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update'
                                 WHEN 'd' THEN 'delete' ELSE 'all' END,
         'to ' || array_to_string(ARRAY(
           SELECT CASE WHEN r = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(r)) END
           FROM unnest(p.polroles) r ORDER BY 1), ', '),
         'using (' || pg_get_expr(p.polqual, p.polrelid) || ')',
         'with check (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')')
FROM rels c
JOIN pg_catalog.pg_policy p ON p.polrelid = c.oid
UNION ALL
-- extended statistics
SELECT format('statistics %I.%I', s.nspname, x.stxname), pg_get_statisticsobjdef(x.oid)
FROM pg_catalog.pg_statistic_ext x
JOIN schemas s ON s.oid = x.stxnamespace
WHERE NOT EXISTS (SELECT 1 FROM excluded e WHERE e.oid = x.stxrelid)
UNION ALL
-- functions, procedures, aggregates, keyed by name and input argument types (overloads are distinct)
SELECT format('%s %I.%I(%s)',
         CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
         s.nspname, p.proname, oidvectortypes(p.proargtypes)),
       concat_ws(' ',
         -- pg_get_functiondef refuses aggregates; describe those from pg_aggregate
         CASE WHEN p.prokind = 'a' THEN (
           SELECT format('sfunc=%s stype=%s finalfunc=%s combinefunc=%s initcond=%s kind=%s',
                    g.aggtransfn::pg_catalog.regproc, format_type(g.aggtranstype, NULL), g.aggfinalfn::pg_catalog.regproc,
                    g.aggcombinefn::pg_catalog.regproc, g.agginitval, g.aggkind)
           FROM pg_catalog.pg_aggregate g WHERE g.aggfnoid = p.oid)
         ELSE pg_get_functiondef(p.oid) END,
         'acl=' || array_to_string(ARRAY(
           SELECT a::text FROM unnest(coalesce(p.proacl, acldefault('f', p.proowner))) a ORDER BY 1), ','),
         'comment=' || quote_literal(d.description))
FROM pg_catalog.pg_proc p
JOIN schemas s ON s.oid = p.pronamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE NOT EXISTS (
  -- members of an extension, and functions made by CREATE TYPE ... AS RANGE (constructors), which depend internally on it
  SELECT 1 FROM pg_catalog.pg_depend e
  WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
UNION ALL
-- types written by users: enums, domains, composite and range types (not row types of tables, implicit arrays, multiranges)
SELECT format('type %I.%I', s.nspname, t.typname),
       concat_ws(' ',
         CASE t.typtype
           WHEN 'e' THEN 'enum (' || (
             SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
             FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) || ')'
           WHEN 'd' THEN concat_ws(' ',
             'domain over ' || format_type(t.typbasetype, t.typtypmod),
             CASE WHEN t.typcollation <> b.typcollation THEN 'collate ' || t.typcollation::pg_catalog.regcollation::text END,
             CASE WHEN t.typnotnull THEN 'not null' END,
             'default ' || pg_get_expr(t.typdefaultbin, 0),
             (SELECT string_agg(format('constraint %I %s', k.conname, pg_get_constraintdef(k.oid)), ' ' ORDER BY k.conname)
              FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype <> 'n'))
           WHEN 'c' THEN 'composite (' || (
             SELECT string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)
             FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) || ')'
           WHEN 'r' THEN (
             SELECT concat_ws(' ', 'range of ' || format_type(r.rngsubtype, NULL),
                      'subtype_diff=' || nullif(r.rngsubdiff, 0)::pg_catalog.regproc::text,
                      'canonical=' || nullif(r.rngcanonical, 0)::pg_catalog.regproc::text)
             FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid)
           ELSE concat_ws(' ', 'base input=' || t.typinput::pg_catalog.regproc::text,
                  'output=' || t.typoutput::pg_catalog.regproc::text, 'length=' || t.typlen)
         END,
         'acl=' || array_to_string(ARRAY(
           SELECT a::text FROM unnest(coalesce(t.typacl, acldefault('T', t.typowner))) a ORDER BY 1), ','),
         'comment=' || quote_literal(d.description))
FROM pg_catalog.pg_type t
JOIN schemas s ON s.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE t.typtype IN ('e', 'd', 'c', 'r', 'b')
  AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)
  AND NOT EXISTS (SELECT 1 FROM ext_members e WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND e.objid = t.oid)
UNION ALL
-- enum labels, each with its position
SELECT format('enum-label %I.%I.%I', s.nspname, t.typname, e.enumlabel),
       (row_number() OVER (PARTITION BY e.enumtypid ORDER BY e.enumsortorder))::text
FROM pg_catalog.pg_enum e
JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
JOIN schemas s ON s.oid = t.typnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext_members x WHERE x.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND x.objid = t.oid)
UNION ALL
-- extensions
SELECT format('extension %I', x.extname), format('version=%s schema=%I', x.extversion, x.extnamespace::pg_catalog.regnamespace::text)
FROM pg_catalog.pg_extension x
UNION ALL
-- event triggers (database-wide)
SELECT format('event-trigger %I', v.evtname),
       concat_ws(' ', 'on ' || v.evtevent, 'execute ' || v.evtfoid::pg_catalog.regproc::text,
         'tags=' || array_to_string(v.evttags, ','), 'enabled=' || v.evtenabled::text)
FROM pg_catalog.pg_event_trigger v
WHERE NOT EXISTS (SELECT 1 FROM ext_members e WHERE e.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass AND e.objid = v.oid)
`;

/** snapshotSchema reads the definitions of every user-defined object in the connected database. */
export async function snapshotSchema(client: pg.ClientBase, options: SnapshotOptions = {}): Promise<SchemaSnapshot> {
  const exclude = options.exclude ?? [];
  const params = [exclude.map((t) => t.schema), exclude.map((t) => t.table)];
  const rows = await withCatalogSearchPath(client, () => client.query<{ key: string; def: string }>(SNAPSHOT_SQL, params));
  const sorted = rows.rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new Map(sorted.map((row) => [row.key, row.def]));
}

/**
 * withCatalogSearchPath runs the query with search_path = pg_catalog, so deparsed definitions qualify every
 * user object, then restores the session's own search_path.
 */
async function withCatalogSearchPath<T>(client: pg.ClientBase, run: () => Promise<T>): Promise<T> {
  const saved = await client.query<{ path: string }>("SELECT current_setting('search_path') AS path");
  const restore = () => client.query("SELECT set_config('search_path', $1, false)", [saved.rows[0]?.path ?? '']);
  await client.query("SELECT set_config('search_path', 'pg_catalog', false)");
  let result: T;
  try {
    result = await run();
  } catch (error) {
    // In an aborted transaction the restore fails too, and the rollback undoes the setting anyway.
    await restore().catch(() => undefined);
    throw error;
  }
  await restore();
  return result;
}

/** diffSnapshots compares two snapshots key by key; each list is sorted. */
export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): SnapshotDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [key, definition] of after) {
    const previous = before.get(key);
    if (previous === undefined) added.push(key);
    else if (previous !== definition) changed.push(key);
  }
  for (const key of before.keys()) {
    if (!after.has(key)) removed.push(key);
  }
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}
