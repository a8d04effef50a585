import { createMigration } from '../core/create';
import type { Logger } from '../core/logger';
import { planRun } from '../core/plan';
import { rehearseUp } from '../core/rehearse';
import { baselineTo, repairChecksums } from '../core/repair';
import { migrateDown, migrateUp, type RunResult } from '../core/runner';
import { verifyMigrations } from '../core/verify';
import { loadParser } from '../core/sql/parser';
import { connect } from '../core/db';
import type { CliOptions } from './args';
import { UsageError } from './args';
import { EXIT } from './exit';
import { errorJson, formatError, recordsJson } from './format';
import type { CliIo } from './io';
import { readyParser, requireDatabase, withRunContext, type Project, type ProjectBase } from './project';

export { EXIT } from './exit';
export { status } from './status';

/** CommandEnv is what a command gets: options, the project, where to write, and the logger. */
export interface CommandEnv<P extends ProjectBase = Project> {
  options: CliOptions;
  project: P;
  io: CliIo;
  logger: Logger;
}

function out(env: CommandEnv, human: () => string, json: () => unknown): void {
  env.io.stdout(env.options.json ? JSON.stringify(json(), null, 2) : human());
}


/** up applies pending migrations. */
export async function up(env: CommandEnv): Promise<number> {
  requireDatabase(env.project);
  const result = await withRunContext(env.project, env.io, env.logger, (ctx) =>
    migrateUp(ctx, env.project.set, { steps: env.options.steps, to: env.options.to, outOfOrder: env.options.outOfOrder || env.project.config.outOfOrder }),
  );
  return presentRun(env, result, 'applied');
}

/** down rolls back applied migrations. */
export async function down(env: CommandEnv): Promise<number> {
  requireDatabase(env.project);
  const result = await withRunContext(env.project, env.io, env.logger, (ctx) =>
    migrateDown(ctx, env.project.set, { steps: env.options.steps, to: env.options.to }),
  );
  return presentRun(env, result, 'rolledBack');
}

function presentRun(env: CommandEnv, result: RunResult, key: 'applied' | 'rolledBack'): number {
  const { show } = env.project;
  const verb = key === 'applied' ? 'Applied' : 'Rolled back';
  const unconfirmed = new Set(result.unconfirmed.map((r) => r.version));
  if (result.error && unconfirmed.has(result.error.version)) {
    env.io.stderr(`strata: ${result.error.message}`);
  } else if (result.error) {
    const what = key === 'applied' ? 'applied' : 'rolled back';
    env.io.stderr(`${formatError(result.error, show)}\n${show(result.error.file)} was not ${what}; its tracking row is unchanged.`);
  }
  if (result.unconfirmed.length > 0 && !unconfirmed.has(result.error?.version ?? '')) {
    env.io.stderr(`strata: the connection was lost before the server confirmed that ${[...unconfirmed].join(', ')} reached its disk; run \`strata status\` to see what is recorded.`);
  }
  out(
    env,
    () => {
      const lines = result.migrations.map((r) => `${verb} ${r.version}  ${show(r.file)}  (${r.executionMs} ms${r.transactional ? '' : ', outside a transaction'})`);
      if (result.migrations.length === 0 && !result.error) lines.push(key === 'applied' ? 'Nothing to apply: the database is up to date.' : 'Nothing rolled back.');
      for (const r of result.unconfirmed) lines.push(`Unconfirmed ${r.version}  ${show(r.file)}  (committed, but not confirmed on the server's disk)`);
      if (result.cancelled) lines.push('Cancelled: the migrations above completed; nothing else was started.');
      return lines.join('\n');
    },
    () => ({
      [key]: recordsJson(result.migrations, show),
      error: errorJson(result.error, show),
      cancelled: result.cancelled,
      warnings: result.warnings,
      unconfirmed: recordsJson(result.unconfirmed, show),
    }),
  );
  return result.error || result.cancelled || result.unconfirmed.length > 0 ? EXIT.failure : EXIT.ok;
}

/** plan shows what up (or down) would run, without writing anything or taking a lock. */
export async function plan(env: CommandEnv): Promise<number> {
  const { project, options } = env;
  requireDatabase(project);
  const [client] = await Promise.all([connect(project.target, { env: env.io.env }), readyParser()]);
  let result;
  try {
    result = await planRun(client, project.history, project.set, options.direction, { steps: options.steps, to: options.to, outOfOrder: options.outOfOrder || project.config.outOfOrder });
  } finally {
    await client.end().catch(() => undefined);
  }
  if (result.error) env.io.stderr(formatError(result.error, project.show));
  out(
    env,
    () => {
      const parts = result.steps.map((step) => {
        const header = `-- ${step.direction.toUpperCase()} ${step.version}  ${project.show(step.file)}  (${step.transactional ? 'in a transaction' : 'outside a transaction, not atomic'})`;
        return [header, ...step.notes.map((note) => `-- note: ${note}`), step.sql.trim(), ''].join('\n');
      });
      if (result.steps.length === 0) parts.push(options.direction === 'up' ? 'Nothing to apply: the database is up to date.' : 'Nothing to roll back.');
      return parts.join('\n');
    },
    () => ({
      steps: result.steps.map((s) => ({ version: s.version, file: project.show(s.file), direction: s.direction, transactional: s.transactional, sql: s.sql, notes: s.notes })),
      error: errorJson(result.error, project.show),
    }),
  );
  return result.error ? EXIT.failure : EXIT.ok;
}

/** rehearse executes pending migrations in one transaction and rolls it back. */
export async function rehearse(env: CommandEnv): Promise<number> {
  requireDatabase(env.project);
  const { show } = env.project;
  const result = await withRunContext(env.project, env.io, env.logger, (ctx) =>
    rehearseUp(ctx, env.project.set, { steps: env.options.steps, to: env.options.to, outOfOrder: env.options.outOfOrder || env.project.config.outOfOrder }),
  );
  if (result.error) env.io.stderr(formatError(result.error, show));
  out(
    env,
    () => {
      const lines = result.migrations.map((r) => `Rehearsed ${r.version}  ${show(r.file)}  (${r.executionMs} ms)`);
      for (const skip of result.skipped) lines.push(`Skipped ${show(skip.file)}:${skip.line}: ${skip.reason} cannot run inside the rehearsal's transaction`);
      lines.push(result.error ? 'Rehearsal failed; everything was rolled back.' : `Rehearsal succeeded (${result.migrations.length} migration(s)); everything was rolled back.`);
      return lines.join('\n');
    },
    () => ({
      rehearsed: recordsJson(result.migrations, show),
      error: errorJson(result.error, show),
      skipped: result.skipped.map((s) => ({ ...s, file: show(s.file) })),
      warnings: result.warnings,
    }),
  );
  return result.error ? EXIT.failure : EXIT.ok;
}

/** verify checks on a scratch database that every DOWN undoes its UP. */
export async function verify(env: CommandEnv): Promise<number> {
  const { project } = env;
  await loadParser();
  const result = await verifyMigrations(project.set, {
    target: project.hasDatabase ? project.target : null,
    connectOptions: { env: env.io.env },
    schema: project.config.schema,
    table: project.config.table,
    // On a scratch database, warnings meant for real runs (e.g. "not atomic") are noise.
    logger: { ...env.logger, warn: (message) => env.logger.debug(message) },
  });
  out(
    env,
    () => {
      const lines = [`Verified ${result.checked} migration(s) on ${result.scratch}.`];
      if (result.forwardOnly.length) lines.push(`Forward-only (no DOWN, rollback not checked past them): ${result.forwardOnly.join(', ')}`);
      for (const p of result.problems) lines.push(`${project.show(p.file)}: ${p.problem}${p.objects.length ? `\n    ${p.objects.join('\n    ')}` : ''}`);
      if (result.problems.length === 0) lines.push('Every DOWN undoes its UP.');
      return lines.join('\n');
    },
    () => ({ checked: result.checked, problems: result.problems.map((p) => ({ ...p, file: project.show(p.file) })), forwardOnly: result.forwardOnly, scratch: result.scratch }),
  );
  return result.problems.length > 0 ? EXIT.findings : EXIT.ok;
}

/** create writes the next migration file and prints its path. */
export async function create(env: CommandEnv): Promise<number> {
  const description = env.options.positionals.join(' ').trim();
  if (!description) throw new UsageError('create needs a description, e.g. `strata create add user indexes`');
  const created = await createMigration({ dir: env.project.dir, description, config: env.project.config, existing: env.project.set });
  const { show } = env.project;
  out(
    env,
    () => [show(created.file), ...(created.downFile ? [show(created.downFile)] : [])].join('\n'),
    () => ({ file: show(created.file), downFile: created.downFile ? show(created.downFile) : null, upLine: created.upLine }),
  );
  return EXIT.ok;
}

/** repair accepts the current checksum of drifted migrations. */
export async function repair(env: CommandEnv): Promise<number> {
  requireDatabase(env.project);
  const version = env.options.positionals[0];
  const repaired = await withRunContext(env.project, env.io, env.logger, (ctx) => repairChecksums(ctx, env.project.set, version));
  out(env, () => (repaired.length ? repaired.map((v) => `Accepted the current checksum of ${v}`).join('\n') : 'No drifted migrations.'), () => ({ repaired }));
  return EXIT.ok;
}

/** baseline records pending migrations up to --to as applied without running them. */
export async function baseline(env: CommandEnv): Promise<number> {
  requireDatabase(env.project);
  const to = env.options.to ?? env.options.positionals[0];
  if (!to || !/^\d+$/.test(to)) throw new UsageError('baseline needs the last version the database already contains: `strata baseline --to VERSION`');
  const recorded = await withRunContext(env.project, env.io, env.logger, (ctx) => baselineTo(ctx, env.project.set, to));
  out(env, () => (recorded.length ? recorded.map((v) => `Recorded ${v} as applied (not run)`).join('\n') : 'Nothing to record.'), () => ({ baselined: recorded }));
  return EXIT.ok;
}
