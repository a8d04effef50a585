import { runChecked, type Command, type ProcResult } from './proc';
import type { RoundTripCounter, Traffic } from './roundtrips';
import type { BenchServer } from './server';
import { summarize, type Summary } from './stats';

/** Contender is one tool (or floor) in a workload: untimed preparation, the timed command(s), a check afterwards. */
export interface Contender {
  id: string;
  label: string;
  /** before runs untimed before every run: reset the database. */
  before?: () => Promise<void>;
  /** commands are run one after another and timed together (dbmate needs 100 calls to roll back 100). */
  commands: () => Command[];
  /** verify throws when the run did not do all the work (a fast failure must never count as a fast run). */
  verify?: (results: ProcResult[]) => Promise<void>;
}

/** ToolResult is one contender's counted runs. */
export interface ToolResult {
  id: string;
  label: string;
  times: number[];
  summary: Summary;
  /** maxRssMb is the largest peak RSS of any process of any counted run (null when not measurable). */
  maxRssMb: number | null;
  /** calls is how many processes one run takes. */
  calls: number;
  /** traffic is one extra, untimed run through the round-trip counter (when the workload asks for it). */
  traffic?: Traffic;
}

export interface InterleaveOptions {
  warmup: number;
  runs: number;
  log: (line: string) => void;
  title: string;
  /** trace runs each contender once more, untimed, with the server's URLs pointing at the round-trip counter. */
  trace?: { server: BenchServer; counter: RoundTripCounter };
}

/**
 * balancedOrder is round `round`'s order of n contenders in a Williams design: over n rounds (2n when n is
 * odd) each contender runs once in every position and right after each other contender equally often. A
 * run can leave work behind on the server (the files of a dropped database, dirty buffers), which falls
 * on whoever runs next; a plain rotation (A B C, B C A, ...) gives every contender the same predecessor
 * in nearly every round, so that carry-over would always land on the same tool.
 */
export function balancedOrder(n: number, round: number): number[] {
  // First row 0, 1, n-1, 2, n-2, ...; row r adds r (mod n); for an odd n the rows reversed follow.
  const first = [0];
  for (let j = 1; j < n; j++) first.push(j % 2 === 1 ? (j + 1) / 2 : n - j / 2);
  const cycle = n % 2 === 0 ? n : 2 * n;
  const row = ((round % cycle) + cycle) % cycle;
  const order = first.map((k) => (k + (row % n)) % n);
  return row < n ? order : order.reverse();
}

/**
 * interleave runs the contenders in turn, each round in the order balancedOrder gives, so each round
 * measures all of them under the same machine load, none always goes first and none always follows the
 * same other; the first `warmup` rounds are not counted.
 */
export async function interleave(contenders: readonly Contender[], options: InterleaveOptions): Promise<ToolResult[]> {
  const times = new Map<string, number[]>(contenders.map((c) => [c.id, []]));
  const rss = new Map<string, number | null>(contenders.map((c) => [c.id, null]));
  const calls = new Map<string, number>();
  const rounds = options.warmup + options.runs;
  for (let round = 0; round < rounds; round++) {
    const counted = round >= options.warmup;
    const line: string[] = [];
    // Counted rounds start the design at its first order (warm-up rounds take the orders before it).
    const order = balancedOrder(contenders.length, round - options.warmup).map((i) => contenders[i]!);
    for (const contender of order) {
      await contender.before?.();
      const commands = contender.commands();
      calls.set(contender.id, commands.length);
      const results: ProcResult[] = [];
      for (const command of commands) results.push(await runChecked(command, `${options.title}: ${contender.label}`));
      await contender.verify?.(results);
      const ms = results.reduce((sum, r) => sum + r.ms, 0);
      line.push(`${contender.id} ${Math.round(ms)}`);
      if (!counted) continue;
      times.get(contender.id)!.push(ms);
      for (const r of results) {
        const previous = rss.get(contender.id) ?? null;
        if (r.rssMb !== null) rss.set(contender.id, previous === null ? r.rssMb : Math.max(previous, r.rssMb));
      }
    }
    options.log(`  ${options.title} ${counted ? `run ${round - options.warmup + 1}/${options.runs}` : 'warm-up'}: ${line.join(', ')} ms`);
  }
  const traffic = new Map<string, Traffic>();
  if (options.trace) {
    const { server, counter } = options.trace;
    for (const contender of contenders) {
      await contender.before?.();
      server.via = counter.port;
      counter.take();
      try {
        const results: ProcResult[] = [];
        for (const command of contender.commands()) results.push(await runChecked(command, `${options.title}: ${contender.label} (counting round trips)`));
        traffic.set(contender.id, counter.take());
        await contender.verify?.(results);
      } finally {
        server.via = null;
      }
    }
    options.log(`  ${options.title} round trips: ${contenders.map((c) => `${c.id} ${traffic.get(c.id)?.turns ?? '?'}`).join(', ')}`);
  }
  return contenders.map((c) => ({
    id: c.id,
    label: c.label,
    times: times.get(c.id)!,
    summary: summarize(times.get(c.id)!),
    maxRssMb: rss.get(c.id) ?? null,
    calls: calls.get(c.id) ?? 1,
    ...(traffic.has(c.id) ? { traffic: traffic.get(c.id)! } : {}),
  }));
}
