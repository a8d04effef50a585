/**
 * Rounds and tallies for the fault-injection and race tests. `npm test` runs a few rounds of each;
 * `npm run test:stress` sets STRATA_STRESS (and optionally STRESS_ROUNDS to override every count) and
 * collects the tallies in STRATA_TALLY_FILE, from which scripts/stress-summary.mjs prints the totals.
 */
import { appendFileSync } from 'node:fs';

/** STRESS is true under `npm run test:stress`. */
export const STRESS = process.env.STRATA_STRESS !== undefined && process.env.STRATA_STRESS !== '';

/** rounds is how many times a test repeats: `ci` in `npm test`, `stress` (or STRESS_ROUNDS) in a stress run. */
export function rounds(ci: number, stress: number): number {
  if (!STRESS) return ci;
  const override = Number(process.env.STRESS_ROUNDS);
  return Number.isInteger(override) && override > 0 ? override : stress;
}

/** Tally names what the summary counts. */
export type Tally = 'injections survived' | 'rounds raced' | 'processes raced';

const tallies = new Map<string, number>();

/** tally counts one finished, checked piece of work (an injected fault survived, a race round passed). */
export function tally(name: Tally, detail: string, n = 1): void {
  const key = `${name}|${detail}`;
  tallies.set(key, (tallies.get(key) ?? 0) + n);
}

after(() => {
  if (tallies.size === 0) return;
  const lines = [...tallies].map(([key, n]) => {
    const [name, detail] = key.split('|');
    return { name: name!, detail: detail!, n };
  });
  for (const line of lines) console.log(`stress: ${line.n} ${line.name} (${line.detail})`);
  const file = process.env.STRATA_TALLY_FILE;
  if (file) appendFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  tallies.clear();
});
