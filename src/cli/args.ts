import { parseArgs } from 'node:util';

/** Command is every command the CLI runs, after aliases are resolved. */
export type Command = 'status' | 'up' | 'down' | 'create' | 'plan' | 'rehearse' | 'verify' | 'repair' | 'baseline' | 'pending' | 'lint' | 'adopt' | 'help' | 'version';

/** CliOptions are the parsed flags shared by every command. */
export interface CliOptions {
  command: Command;
  /** direction is what `plan` plans: up (default) or down (`plan --down`, `down --dry-run`). */
  direction: 'up' | 'down';
  positionals: string[];
  json: boolean;
  url: string | undefined;
  dir: string | undefined;
  config: string | undefined;
  steps: number | undefined;
  to: string | undefined;
  outOfOrder: boolean;
  check: boolean;
  verbose: boolean;
  yes: boolean;
  /** drift: lint also reads the tracking table (checksum drift, out of order); lint is offline otherwise. Present only when given. */
  drift?: boolean;
  /** copy: adopt copies the other tool's history into Strata's own table. Present only when given. */
  copy?: boolean;
  /** noCache: status reads every file instead of trusting the discovery cache (README, The status cache). Present only when given. */
  noCache?: boolean;
}

/** UsageError is a command line Strata cannot make sense of (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

const ALIASES: Record<string, Command> = { migrate: 'up', rollback: 'down', '--help': 'help', '-h': 'help', '--version': 'version' };
const COMMANDS = new Set<string>(['status', 'up', 'down', 'create', 'plan', 'rehearse', 'verify', 'repair', 'baseline', 'pending', 'lint', 'adopt', 'help', 'version']);

/** parseCommandLine turns argv (without node and script) into options, accepting the aliases older runners used. */
export function parseCommandLine(argv: readonly string[]): CliOptions {
  const first = argv[0] ?? 'help';
  const command = ALIASES[first] ?? first;
  if (!COMMANDS.has(command)) throw new UsageError(`unknown command "${first}". Run \`strata help\` for the list of commands.`);
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        url: { type: 'string' },
        dir: { type: 'string' },
        config: { type: 'string' },
        steps: { type: 'string' },
        step: { type: 'string' },
        to: { type: 'string' },
        'out-of-order': { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        down: { type: 'boolean', default: false },
        verbose: { type: 'boolean', short: 'v', default: false },
        yes: { type: 'boolean', short: 'y', default: false },
        drift: { type: 'boolean', default: false },
        copy: { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const stepsText = values.steps ?? values.step;
  const steps = stepsText === undefined ? undefined : parseSteps(stepsText);
  if (values.to !== undefined && !/^\d+(?:\.\d+)*$/.test(values.to)) throw new UsageError(`--to must be a migration version (digits, or dotted digits such as 1.2), got "${values.to}"`);
  if (steps !== undefined && values.to !== undefined) throw new UsageError('use either --steps or --to, not both');
  let resolved = values.help ? 'help' : (command as Command);
  let direction: 'up' | 'down' = values.down ? 'down' : 'up';
  if (values['dry-run'] && (resolved === 'up' || resolved === 'down')) {
    direction = resolved;
    resolved = 'plan';
  }
  return {
    command: resolved,
    direction,
    positionals: command === 'help' && first !== 'help' ? [] : positionals,
    json: values.json,
    url: values.url,
    dir: values.dir,
    config: values.config,
    steps,
    to: values.to,
    outOfOrder: values['out-of-order'],
    check: values.check,
    verbose: values.verbose,
    yes: values.yes,
    ...(values.drift ? { drift: true } : {}),
    ...(values.copy ? { copy: true } : {}),
    ...(values['no-cache'] ? { noCache: true } : {}),
  };
}

function parseSteps(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--steps must be a positive whole number, got "${text}"`);
  return Number(text);
}

/** USAGE is the help text. */
export const USAGE = `strata — PostgreSQL schema migrations

Usage: strata <command> [options]

Commands:
  status              applied, pending and problem migrations (exit 3 on drift/problems, or pending with --check)
  pending             list pending migrations only
  up                  apply pending migrations (alias: migrate)         --steps N | --to VERSION
  down                roll back the last migration (alias: rollback)    --steps N | --to VERSION (0 = all)
  plan                show what \`up\` (or \`plan --down\`) would run, without touching the database
  rehearse            run pending migrations in one transaction and roll it back
  verify              apply all, roll all back, apply again on a scratch database; report DOWNs that do not undo UP
  create <description> write the next migration file from the template and print its path
  repair [VERSION]    accept the current checksum of drifted migrations
  baseline --to VERSION  record pending migrations up to VERSION as applied without running them
  lint [FILE...]      check migrations (default: the whole folder) for non-idempotent, unsafe or misplaced SQL;
                      offline unless --drift (exit 3 when a finding is an error)
  adopt               show the tracking table found (Strata's, or dbmate's, Flyway's, Prisma's, ...), how much it
                      says is applied, the folder's layout, and whether Strata writes to it
                      --copy: copy that history into Strata's own table and point strata.json at it

Options:
  --url URL           database URL (default: DATABASE_URL, POSTGRES_URL, .env, then PG* variables)
  --dir DIR           migrations folder (default: strata.json "migrationsDir", else detected)
  --config FILE       project configuration (default: ./strata.json)
  --steps N, --step N how many migrations to apply or roll back
  --to VERSION        apply up to / roll back down to VERSION
  --out-of-order      allow pending migrations older than the newest applied one
  --dry-run           with up/down: same as plan
  --check             status: exit 3 when migrations are pending
  --no-cache          status, pending: read every migration file instead of trusting the status cache
                      (also STRATA_NO_CACHE=1); only these two commands use it
  --json              machine-readable output
  -v, --verbose       log every migration and statement timing to stderr
  -y, --yes           confirm without asking (production connections)
  --drift             lint: also read the tracking table to report checksum drift and out-of-order migrations
  --copy              adopt: copy another tool's history into Strata's own table (the tool's table is left as is)

Exit codes: 0 success, 1 failure, 2 usage or configuration error, 3 findings.`;
