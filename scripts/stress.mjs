/**
 * `npm run test:stress`: the fuzz suite scaled up (FUZZ_RUNS, default 15, random seed printed), then the
 * fault-injection and race tests with many rounds (STRATA_STRESS; STRESS_ROUNDS overrides every count),
 * then one summary of what was survived, fuzzed and raced. Exit code: the first failing part's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'strata-stress-'));
const tallyFile = join(dir, 'tallies.jsonl');
const env = { ...process.env, STRATA_TALLY_FILE: tallyFile, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '15', STRATA_STRESS: '1' };
const mocha = join('node_modules', '.bin', 'mocha');
const parts = [
  ['fuzz', [mocha, '--config', 'test/.mocharc.fuzz.json', '--timeout', '0']],
  ['faults and races', [mocha, '--require', 'tsx/cjs', '--require', 'test/support/hooks.ts', '--extension', 'ts', '--timeout', '0',
    'test/integration/cli/crash.test.ts', 'test/integration/cli/race.test.ts', 'test/integration/cli/concurrency.test.ts']],
];

const started = Date.now();
let exitCode = 0;
const durations = [];
for (const [name, [command, ...args]] of parts) {
  const t0 = Date.now();
  const run = spawnSync(command, args, { env, stdio: 'inherit' });
  durations.push(`${name} ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (run.status !== 0 && exitCode === 0) exitCode = run.status ?? 1;
}

let lines = [];
try {
  lines = readFileSync(tallyFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
} catch {
  // Nothing was counted (every part failed before its end).
}
rmSync(dir, { recursive: true, force: true });
const total = (name) => lines.filter((line) => line.name === name).reduce((sum, line) => sum + line.n, 0);
console.log('\n=== stress summary ===');
console.log(`injections survived: ${total('injections survived')}`);
for (const line of lines.filter((l) => l.name === 'injections survived')) console.log(`  ${line.n} x ${line.detail}`);
console.log(`inputs fuzzed: ${total('inputs fuzzed')}`);
for (const line of lines.filter((l) => l.name === 'inputs fuzzed')) console.log(`  ${line.detail}`);
console.log(`rounds raced: ${total('rounds raced')} (${total('processes raced')} processes started together)`);
for (const line of lines.filter((l) => l.name === 'rounds raced')) console.log(`  ${line.n} x ${line.detail}`);
console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s (${durations.join(', ')})${exitCode === 0 ? '' : `; FAILED (exit ${exitCode})`}`);
process.exit(exitCode);
