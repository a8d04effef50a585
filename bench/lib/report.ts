import type { WorkloadResult } from './context';
import { round } from './stats';

/** fmt prints milliseconds with precision that suits their size. */
export function fmt(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return 'n/a';
  if (ms >= 100) return String(Math.round(ms));
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

const ratio = (r: number | undefined): string => (r === undefined || !Number.isFinite(r) ? 'n/a' : `${r.toFixed(2)}×`);
const mbText = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(0)} MB`);

/** workloadTable is one workload as a markdown table: each contender's median, range, peak RSS, and Strata's ratio to it. */
export function workloadTable(w: WorkloadResult): string[] {
  if (w.error) return [`**${w.id}** (${w.title}): not measured — ${w.error}`];
  const lines: string[] = [];
  const server = w.server === null ? '' : w.server === 'durable' ? ', fsync on' : ', fsync off';
  lines.push(`**${w.id}** — ${w.title}${server}`, '');
  if (w.tools.length > 0) {
    const traced = w.tools.some((t) => t.traffic);
    const perUnit = typeof w.values.migrations === 'number' && w.values.migrations > 1 ? w.values.migrations : null;
    const head = traced ? ` round trips${perUnit ? ' (per migration)' : ''} |` : '';
    lines.push(`| tool | median ms | min–max ms | max RSS | Strata / tool |${head}`, `|---|---:|---:|---:|---:|${traced ? '---:|' : ''}`);
    for (const t of w.tools) {
      const calls = t.calls > 1 ? ` (${t.calls} calls)` : '';
      const r = t.id === 'strata' ? '—' : ratio(w.ratios[`vs_${t.id}`]);
      let trips = '';
      if (traced) {
        const tr = t.traffic;
        trips = tr ? ` ${tr.turns}${perUnit ? ` (${(tr.turns / perUnit).toFixed(1)})` : ''}${tr.connections > 1 ? `, ${tr.connections} connections` : ''} |` : ' n/a |';
      }
      lines.push(`| ${t.label}${calls} | ${fmt(t.summary.median)} | ${fmt(t.summary.min)}–${fmt(t.summary.max)} | ${mbText(t.maxRssMb)} | ${r} |${trips}`);
    }
    if (w.ratios.vs_fastest_peer !== undefined) lines.push('', `Strata / faster peer: ${ratio(w.ratios.vs_fastest_peer)}`);
  }
  const values = Object.entries(w.values).filter(([k]) => k !== 'migrations');
  if (values.length > 0) {
    if (w.tools.length > 0) lines.push('');
    for (const [key, value] of values) {
      const shown = typeof value === 'number' ? (key.endsWith('_mb') ? `${value.toFixed(2)} MB` : key.endsWith('_ms') ? `${fmt(value)} ms` : String(value)) : String(value);
      lines.push(`- ${key.replace(/_/g, ' ')}: ${shown}`);
    }
  }
  for (const note of w.notes) lines.push(`- ${note}`);
  return lines;
}

function find(results: readonly WorkloadResult[], kind: string, server: 'durable' | 'fast' | null = 'durable'): WorkloadResult | undefined {
  return results.find((w) => w.kind === kind && w.server === server && !w.error);
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const maxOf = (...values: (number | null | undefined)[]): number | null => {
  const known = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return known.length === 0 ? null : Math.max(...known);
};

/** Summary is the one JSON object `npm run bench` prints last (issue 6). */
export interface SummaryJson {
  ratios: {
    noop1000_vs_dbmate: number | null;
    apply1000_vs_fastest_peer: number | null;
    status10k_cli_vs_dbmate: number | null;
    down100_vs_node_pg_migrate: number | null;
    lint1m_process_vs_squawk: number | null;
  };
  ms: { status10k_inprocess: number | null; lint2k_inprocess: number | null; lint1m_inprocess: number | null; activation: number | null };
  mb: { status10k_peak_rss: number | null };
}

/**
 * summaryJson takes every number from the fsync-on server. For status10k, each value is the worse of
 * "none applied" and "all applied".
 */
export function summaryJson(results: readonly WorkloadResult[]): SummaryJson {
  const none = find(results, 'status-none');
  const all = find(results, 'status-all');
  const r = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : round(v, 3));
  return {
    ratios: {
      noop1000_vs_dbmate: r(find(results, 'noop')?.ratios.vs_dbmate),
      apply1000_vs_fastest_peer: r(find(results, 'apply')?.ratios.vs_fastest_peer),
      status10k_cli_vs_dbmate: r(maxOf(none?.ratios.vs_dbmate, all?.ratios.vs_dbmate)),
      down100_vs_node_pg_migrate: r(find(results, 'down')?.ratios.vs_npm),
      lint1m_process_vs_squawk: r(find(results, 'lint1m', null)?.ratios.vs_squawk),
    },
    ms: {
      status10k_inprocess: r(maxOf(num(none?.values.inprocess_median_ms), num(all?.values.inprocess_median_ms))),
      lint2k_inprocess: r(num(find(results, 'lint2k', null)?.values.inprocess_median_ms)),
      lint1m_inprocess: r(num(find(results, 'lint1m', null)?.values.inprocess_median_ms)),
      activation: r(num(find(results, 'activation', null)?.values.activation_ms)),
    },
    mb: { status10k_peak_rss: r(maxOf(num(none?.values.strata_cli_peak_rss_mb), num(all?.values.strata_cli_peak_rss_mb))) },
  };
}

/** Target is one line of the issue's target list, checked against this run. */
export interface Target {
  workload: string;
  target: string;
  measured: string;
  /** pass is null when the run has no number for it. */
  pass: boolean | null;
}

function check(workload: string, target: string, value: number | null, limit: number, shown: (v: number) => string, strict = false): Target {
  if (value === null) return { workload, target, measured: 'not measured', pass: null };
  return { workload, target, measured: shown(value), pass: strict ? value < limit : value <= limit };
}

export function targets(results: readonly WorkloadResult[]): Target[] {
  const x = (v: number): string => `${v.toFixed(2)}×`;
  const ms = (v: number): string => `${fmt(v)} ms`;
  const noop = find(results, 'noop');
  const apply = find(results, 'apply');
  const big = find(results, 'big');
  const tenK = results.find((w) => w.kind === 'apply10k' && w.server === 'durable');
  const none = find(results, 'status-none');
  const all = find(results, 'status-all');
  const down = find(results, 'down');
  const lint2k = find(results, 'lint2k', null);
  const lint1m = find(results, 'lint1m', null);
  const act = find(results, 'activation', null);
  const list: Target[] = [
    check(noop?.id ?? 'noop', '≤ 0.7× dbmate', noop?.ratios.vs_dbmate ?? null, 0.7, x),
    check(noop?.id ?? 'noop', '≤ 1.3× the one-round-trip floor', noop?.ratios.vs_floor1 ?? null, 1.3, x),
    check(apply?.id ?? 'apply', '≤ 1.0× the faster peer', apply?.ratios.vs_fastest_peer ?? null, 1.0, x),
    check(big?.id ?? 'big5000', '≤ 1.0× the faster peer', big?.ratios.vs_fastest_peer ?? null, 1.0, x),
  ];
  if (tenK) {
    const strata = tenK.tools.find((t) => t.id === 'strata');
    list.push({ workload: tenK.id, target: 'completes in one `up`', measured: tenK.error ? `failed: ${tenK.error.split('\n')[0]}` : `completed, median ${fmt(strata?.summary.median)} ms`, pass: !tenK.error });
  } else list.push({ workload: 'apply10k', target: 'completes in one `up`', measured: 'not measured (full run only)', pass: null });
  const st = (none ?? all)?.id.replace(/-(none|all)$/, '') ?? 'status10k';
  list.push(
    check(st, 'in-process ≤ 60 ms (incl. checksums)', maxOf(num(none?.values.inprocess_median_ms), num(all?.values.inprocess_median_ms)), 60, ms),
    check(st, 'whole process ≤ 2.0× dbmate', maxOf(none?.ratios.vs_dbmate, all?.ratios.vs_dbmate), 2.0, x),
    check(st, 'whole process ≤ 0.1× node-pg-migrate', maxOf(none?.ratios.vs_npm, all?.ratios.vs_npm), 0.1, x),
    check(st, 'peak memory ≤ 80 MB', maxOf(num(none?.values.strata_cli_peak_rss_mb), num(all?.values.strata_cli_peak_rss_mb)), 80, (v) => `${v.toFixed(0)} MB`),
    check(down?.id ?? 'down100', '≤ 0.5× node-pg-migrate', down?.ratios.vs_npm ?? null, 0.5, x),
    check('lint2k', 'in-process < 1 ms', num(lint2k?.values.inprocess_median_ms), 1, ms, true),
    check('lint1m', 'in-process < 150 ms', num(lint1m?.values.inprocess_median_ms), 150, ms, true),
    check('lint1m', 'whole process ≤ 1.0× squawk', lint1m?.ratios.vs_squawk ?? null, 1.0, x),
    check('activation', '< 50 ms', num(act?.values.activation_ms), 50, ms, true),
    check('activation', 'extension bundle < 1 MB (plus the wasm)', num(act?.values.extension_bundle_mb), 1, (v) => `${v.toFixed(2)} MB`, true),
  );
  return list;
}

export function targetTable(list: readonly Target[]): string[] {
  const lines = ['| workload | target | measured | |', '|---|---|---|---|'];
  for (const t of list) lines.push(`| ${t.workload} | ${t.target} | ${t.measured} | ${t.pass === null ? '—' : t.pass ? 'met' : '**missed**'} |`);
  return lines;
}
