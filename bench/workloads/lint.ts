import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, WorkloadResult } from '../lib/context';
import { interleave, type Contender } from '../lib/interleave';
import { runChecked, type ProcResult } from '../lib/proc';
import { pairedRatio, summarize } from '../lib/stats';
import { STRATA_CLI } from '../lib/tools';

/** TYPICAL is a hand-written migration of about 2 KB: tables, a foreign key, indexes, a trigger, a backfill. */
const TYPICAL = `-- Migration: Orders and order items
-- Created: 2024-01-15T12:00:00.000Z

-- UP
CREATE TABLE IF NOT EXISTS orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
  total_cents integer NOT NULL DEFAULT 0,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line integer NOT NULL,
  sku text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_cents integer NOT NULL,
  PRIMARY KEY (order_id, line)
);

CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS order_items_sku_idx ON order_items (sku);

ALTER TABLE customers ADD COLUMN last_order_at timestamptz;
ALTER TABLE customers ADD COLUMN loyalty_tier text NOT NULL;
ALTER TABLE customers ALTER COLUMN email TYPE varchar(320);
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER orders_touch_updated_at
  BEFORE UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

UPDATE customers c
   SET last_order_at = o.created_at
  FROM (SELECT customer_id, max(created_at) AS created_at FROM orders GROUP BY customer_id) o
 WHERE o.customer_id = c.id;

-- DOWN
DROP TRIGGER IF EXISTS orders_touch_updated_at ON orders;
DROP FUNCTION IF EXISTS touch_updated_at();
ALTER TABLE customers DROP CONSTRAINT IF EXISTS customers_email_key;
ALTER TABLE customers DROP COLUMN IF EXISTS loyalty_tier;
ALTER TABLE customers DROP COLUMN IF EXISTS last_order_at;
DROP TABLE IF EXISTS order_items;
DROP TABLE IF EXISTS orders;
`;

/** block is one varied group of statements, numbered so that every object name in the big file is distinct. */
function block(i: number): string {
  return `CREATE TABLE IF NOT EXISTS t${i}_accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id bigint NOT NULL REFERENCES t${i}_owners (id),
  name text NOT NULL,
  balance numeric(12, 2) NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t${i}_accounts_owner_idx ON t${i}_accounts (owner_id);
ALTER TABLE t${i}_accounts ADD COLUMN closed_at timestamptz;
ALTER TABLE t${i}_accounts ADD COLUMN region text NOT NULL DEFAULT 'eu';
ALTER TABLE t${i}_owners ADD CONSTRAINT t${i}_owners_email_key UNIQUE (email);
CREATE TYPE t${i}_kind AS ENUM ('personal', 'business');
CREATE OR REPLACE VIEW t${i}_balances AS SELECT owner_id, sum(balance) AS total FROM t${i}_accounts GROUP BY owner_id;
UPDATE t${i}_accounts SET region = 'us' WHERE name LIKE 'US-%';
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting_${i}') THEN CREATE ROLE reporting_${i}; END IF; END $$;
DROP TABLE IF EXISTS t${i}_legacy;

`;
}

/** bigFile is at least `bytes` long: a header, many blocks in UP, and a DOWN. */
function bigFile(bytes: number): string {
  const parts = ['-- Migration: Large generated migration\n\n-- UP\n'];
  let size = parts[0]!.length;
  for (let i = 1; size < bytes - 64; i++) {
    const text = block(i);
    parts.push(text);
    size += text.length;
  }
  parts.push('-- DOWN\nSELECT 1;\n');
  return parts.join('');
}

function parsesAsJson(what: string) {
  return (runs: ProcResult[]): Promise<void> => {
    try {
      JSON.parse(runs[0]!.stdout);
    } catch {
      throw new Error(`${what} did not print JSON: ${runs[0]!.stdout.slice(0, 200)} ${runs[0]!.stderr.slice(0, 500)}`);
    }
    return Promise.resolve();
  };
}

interface InProcess {
  loadMs: number;
  firstMs: number;
  times: number[];
  findings: number;
  bytes: number;
  maxRssMb: number;
}

/**
 * lint2k and lint1m: Strata in-process (median of many calls after the parser is loaded) and as a whole
 * process (`strata lint FILE --json`), interleaved with squawk as a whole process (`squawk FILE --reporter json`).
 * Returns nothing when the lint engine does not exist yet.
 */
export async function lint(ctx: BenchContext): Promise<WorkloadResult[] | null> {
  if (!ctx.bundles.lintModule) return null;
  const dir = join(ctx.work, 'lint');
  mkdirSync(dir, { recursive: true });
  const files = [
    { id: 'lint2k', title: 'lint a typical 2 KB migration', file: join(dir, '20240115120000_orders.sql'), text: TYPICAL, iterations: ctx.options.sizes.lint2kIterations },
    { id: 'lint1m', title: 'lint a 1 MB migration', file: join(dir, '20240115120001_large.sql'), text: bigFile(1024 * 1024), iterations: ctx.options.sizes.lint1mIterations },
  ];
  const results: WorkloadResult[] = [];
  for (const spec of files) {
    if (!existsSync(spec.file)) writeFileSync(spec.file, spec.text);
    ctx.log(`${spec.id} (${Buffer.byteLength(spec.text)} bytes)`);
    const child = await runChecked({ cmd: process.execPath, args: [ctx.bundles.lintChild, ctx.bundles.lintModule, spec.file, String(spec.iterations), String(ctx.options.sizes.inProcessBudgetMs)] }, 'in-process lint');
    const inProcess = JSON.parse(child.stdout) as InProcess;
    const summary = summarize(inProcess.times);
    ctx.log(`  ${spec.id} in-process: median ${summary.median.toFixed(2)} ms over ${inProcess.times.length} calls (first ${inProcess.firstMs.toFixed(1)} ms, parser load ${inProcess.loadMs.toFixed(1)} ms), ${inProcess.findings} findings`);
    const contenders: Contender[] = [
      {
        id: 'strata',
        label: 'Strata (process)',
        commands: () => [{ cmd: process.execPath, args: [STRATA_CLI, 'lint', spec.file, '--json'], okCodes: [0, 3], cwd: dir }],
        verify: parsesAsJson('strata lint'),
      },
      {
        id: 'squawk',
        label: `squawk${ctx.peers.squawk.native ? '' : ' (npm launcher)'}`,
        commands: () => [{ cmd: ctx.peers.squawk.cmd, args: [...ctx.peers.squawk.pre, spec.file, '--reporter', 'json'], okCodes: [0, 1], cwd: dir }],
        verify: parsesAsJson('squawk'),
      },
    ];
    // --quick keeps only what its summary needs: lint2k in-process, lint1m both ways.
    const measured = ctx.options.quick && spec.id === 'lint2k' ? [] : await interleave(contenders, { warmup: ctx.options.warmup, runs: ctx.options.runs, log: ctx.log, title: spec.id });
    results.push({
      kind: spec.id,
      id: spec.id,
      title: spec.title,
      server: null,
      tools: measured,
      ratios: measured.length === 2 ? { vs_squawk: pairedRatio(measured[0]!.times, measured[1]!.times) } : {},
      values: {
        bytes: inProcess.bytes,
        inprocess_median_ms: summary.median,
        inprocess_min_ms: summary.min,
        inprocess_max_ms: summary.max,
        inprocess_first_call_ms: inProcess.firstMs,
        inprocess_calls: inProcess.times.length,
        parser_load_ms: inProcess.loadMs,
        findings: inProcess.findings,
      },
      notes: [],
    });
  }
  return results;
}
