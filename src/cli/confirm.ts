import { describeTarget, parsePostgresUrl } from '../core/db';
import { StrataError } from '../core/errors';
import type { CommandEnv } from './commands';
import type { CliIo } from './io';
import type { ProjectBase } from './project';

/** CHANGING_COMMANDS change the configured database (or, for rehearse, run its SQL there): production confirms them, and `adopt --copy`. */
const CHANGING_COMMANDS = new Set(['up', 'down', 'rehearse', 'repair', 'baseline']);

/** productionHost is the target's host (as listed in `productionHosts`) when the project marks it as production, else null. */
export function productionHost(project: ProjectBase, io: CliIo): string | null {
  const hosts = project.config.productionHosts;
  if (hosts.length === 0 || !project.hasDatabase) return null;
  const url = project.target.url === null ? null : parsePostgresUrl(project.target.url);
  const host = (url ? decodeURIComponent(url.hostname) : (io.env.PGHOST ?? 'localhost')).toLowerCase().replace(/^\[|\]$/g, '');
  const port = url ? url.port || '5432' : (io.env.PGPORT ?? '5432');
  return hosts.find((listed) => listed === host || listed === `${host}:${port}`) ?? null;
}

/**
 * confirmProduction runs before a command that changes a production database (DESIGN.md: production
 * asks for explicit confirmation): `--yes` confirms; on a terminal the user is asked; otherwise (CI,
 * a pipe) there is nobody to ask, so the command is refused before it connects.
 */
export async function confirmProduction(env: CommandEnv): Promise<void> {
  const { options, io } = env;
  const changing = CHANGING_COMMANDS.has(options.command) || (options.command === 'adopt' && options.copy === true);
  if (!changing || options.yes) return;
  const host = productionHost(env.project, io);
  if (host === null) return;
  const where = `the production database ${describeTarget(env.project.target, io.env)} (${host} is in productionHosts of strata.json)`;
  if (!io.interactive || io.ask === undefined) {
    throw new StrataError('confirmation-required', `Refusing to run \`${options.command}\` on ${where} without confirmation: stdin is not a terminal, so pass --yes to confirm.`);
  }
  const answer = await io.ask(`\`strata ${options.command}\` will run on ${where}. Continue? [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim())) throw new StrataError('cancelled', `Cancelled: nothing was run on ${where}.`);
}
