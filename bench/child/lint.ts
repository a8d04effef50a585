/**
 * In-process lint: `node lint.js MODULE FILE ITERATIONS BUDGET_MS`. MODULE is a bundle of src/core/lint and the parser
 * that the harness builds when the lint engine exists (so this file compiles before it does). Loads the
 * parser once (timed apart), then times `lintMigration` on the file's text ITERATIONS times after a first call
 * (fewer when BUDGET_MS is spent, at least 3).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface LintModule {
  loadParser(): Promise<void>;
  lintMigration(text: string, options: { file: string }): unknown[];
}

async function main(): Promise<void> {
  const [modulePath, file, iterationsText, budgetText] = process.argv.slice(2);
  if (!modulePath || !file) throw new Error('usage: lint MODULE FILE ITERATIONS BUDGET_MS');
  const iterations = Number(iterationsText ?? 50);
  const budgetMs = Number(budgetText ?? Infinity);
  const t0 = performance.now();
  const lint = createRequire(__filename)(modulePath) as LintModule;
  await lint.loadParser();
  const loadMs = performance.now() - t0;
  const text = readFileSync(file, 'utf8');
  const times: number[] = [];
  let findings = 0;
  let firstMs = 0;
  const started = performance.now();
  for (let i = 0; i <= iterations && (i <= 3 || performance.now() - started < budgetMs); i++) {
    const a = performance.now();
    findings = lint.lintMigration(text, { file }).length;
    const ms = performance.now() - a;
    if (i === 0) firstMs = ms;
    else times.push(ms);
  }
  process.stdout.write(JSON.stringify({ loadMs, firstMs, times, findings, bytes: Buffer.byteLength(text), maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`lint: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
