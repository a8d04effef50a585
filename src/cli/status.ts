import { connect, describeTarget } from '../core/db';
import { discoverMigrations } from '../core/discover';
import { DiscoveryCache } from '../core/discoveryCache';
import { StrataError } from '../core/errors';
import { computeStatus } from '../core/status';
import type { AppliedMigration, MigrationSet } from '../core/types';
import type { CommandEnv } from './commands';
import { EXIT } from './exit';
import { formatStatus, statusJsonChunks, table } from './format';
import { printChunks } from './io';
import { UsageError } from './args';
import { loadProjectBase, requireDatabase, type ProjectBase } from './project';
import type { CommandRunner } from './run';

declare const STRATA_VERSION: string | undefined;

/**
 * statusCommand runs a parsed `status` or `pending` (both entry points use it): the folder is read by
 * status itself, while it reads the tracking table. tuning is called when the status cache is cold.
 */
export function statusCommand(tuning?: () => void): CommandRunner {
  return async (options, io, logger, addSecrets) => {
    if (options.command !== 'status' && options.command !== 'pending') throw new UsageError(`${options.command} is not run by this entry point`);
    const project = await loadProjectBase(options, io);
    addSecrets(project.secrets);
    return await status({ options, project, io, logger }, options.command === 'pending', tuning);
  };
}

/**
 * status prints every migration's state; exit 3 when there are problems, or pending ones with --check.
 * The folder is read (through the status cache, unless turned off) while the tracking table is read.
 * onColdCache is called before the folder is read when no cache knows files of it (they will all be read).
 */
export async function status(env: CommandEnv<ProjectBase>, onlyPending = false, onColdCache?: () => void): Promise<number> {
  const { project, options, io } = env;
  const cache = statusCache(env);
  // The process entry points tune V8 for a run that mostly stats files (see statusFlags), and back when it reads them.
  if (onColdCache && (cache === null || cache.size() === 0)) onColdCache();
  const discovering = discoverMigrations(project.dir, cache ? { cache } : {});
  if (!project.hasDatabase) {
    await discovering;
    requireDatabase(project);
  }
  const reading = readHistory(project, io.env, discovering);
  // Both run at once; each is awaited below, and neither may fail unobserved while the other is awaited.
  discovering.catch(() => undefined);
  reading.catch(() => undefined);
  const set = await discovering;
  const statuses = computeStatus(set, await reading);
  const shown = onlyPending ? statuses.filter((s) => s.state === 'pending' || s.state === 'out-of-order') : statuses;
  if (options.json) {
    printChunks(io, statusJsonChunks(shown, project.show));
  } else {
    const where = `${describeTarget(project.target, io.env)}, table ${project.history.label}`;
    io.stdout(onlyPending ? (shown.length ? table(shown.map((s) => [s.version, s.description, project.show(s.file ?? '')])) : 'No pending migrations.') : formatStatus(shown, project.show, where));
  }
  // Files Strata knowingly leaves to their tool (Flyway's repeatable migrations) are listed, not findings.
  const leftToTool = new Set(set.problems.filter((p) => p.kind === 'unsupported').map((p) => p.file));
  const problems = statuses.some((s) => s.state !== 'applied' && s.state !== 'pending' && !(s.state === 'invalid' && s.file !== null && leftToTool.has(s.file)));
  const pending = statuses.some((s) => s.state === 'pending' || s.state === 'out-of-order');
  if ((problems && !onlyPending) || (options.check && pending)) return EXIT.findings;
  return EXIT.ok;
}

/** readHistory connects and reads the tracking table; another tool's table is read once the folder is (its rows depend on the files). */
async function readHistory(project: ProjectBase, env: Record<string, string | undefined>, discovering: Promise<MigrationSet>): Promise<AppliedMigration[]> {
  const client = await connect(project.target, { env });
  try {
    if (await project.history.readsFolder(client)) project.history.options.set = await discovering;
    return await project.history.read(client, { withScripts: false, asOneValue: true });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** statusCache is the folder's status cache, unless --no-cache or STRATA_NO_CACHE turns it off. */
function statusCache(env: CommandEnv<ProjectBase>): DiscoveryCache | null {
  const setting = env.io.env.STRATA_NO_CACHE?.trim().toLowerCase();
  if (setting !== undefined && !['', '0', 'false', '1', 'true'].includes(setting)) {
    throw new StrataError('config-invalid', `STRATA_NO_CACHE must be 1 (or true) to turn the status cache off, or 0 (or false); got "${env.io.env.STRATA_NO_CACHE ?? ''}".`);
  }
  if (env.options.noCache || setting === '1' || setting === 'true') return null;
  return DiscoveryCache.forFolder(env.project.dir, {
    env: env.io.env,
    version: typeof STRATA_VERSION === 'string' ? STRATA_VERSION : 'development',
    debug: (message) => env.logger.debug(message),
  });
}

