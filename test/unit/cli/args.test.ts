import assert from 'node:assert/strict';
import { parseCommandLine, UsageError, type CliOptions } from '../../../src/cli/args';

/** DEFAULTS is what every command gets when no flag is given. */
const DEFAULTS: Omit<CliOptions, 'command'> = {
  direction: 'up',
  positionals: [],
  json: false,
  url: undefined,
  dir: undefined,
  config: undefined,
  steps: undefined,
  to: undefined,
  outOfOrder: false,
  check: false,
  verbose: false,
  yes: false,
};

/** usageError asserts that parsing `argv` fails with a UsageError whose message matches `pattern`. */
function usageError(argv: string[], pattern: RegExp): void {
  assert.throws(
    () => parseCommandLine(argv),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, `expected a UsageError for ${argv.join(' ')}, got ${String(error)}`);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('parseCommandLine', () => {
  it('accepts every command, with defaults for every option', () => {
    const commands = ['status', 'up', 'down', 'create', 'plan', 'rehearse', 'verify', 'repair', 'baseline', 'pending', 'help', 'version'] as const;
    for (const command of commands) assert.deepEqual(parseCommandLine([command]), { ...DEFAULTS, command }, command);
  });

  it('shows help when no command is given', () => {
    assert.equal(parseCommandLine([]).command, 'help');
  });

  it('accepts migrate for up and rollback for down', () => {
    assert.equal(parseCommandLine(['migrate']).command, 'up');
    assert.equal(parseCommandLine(['rollback']).command, 'down');
    assert.equal(parseCommandLine(['migrate', '--steps', '2']).steps, 2);
  });

  it('accepts --help, -h and --version in place of a command', () => {
    assert.deepEqual(parseCommandLine(['--help']), { ...DEFAULTS, command: 'help' });
    assert.equal(parseCommandLine(['-h']).command, 'help');
    assert.equal(parseCommandLine(['--version']).command, 'version');
  });

  it('turns any command with --help or -h into help', () => {
    assert.equal(parseCommandLine(['up', '--help']).command, 'help');
    assert.equal(parseCommandLine(['status', '-h']).command, 'help');
  });

  it('keeps positionals: the description of create, the version of repair, the topic of help', () => {
    assert.deepEqual(parseCommandLine(['create', 'add', 'users']).positionals, ['add', 'users']);
    assert.deepEqual(parseCommandLine(['repair', '003']).positionals, ['003']);
    assert.deepEqual(parseCommandLine(['help', 'up']).positionals, ['up']);
  });

  describe('--dry-run and plan direction', () => {
    it('makes up --dry-run a plan of up', () => {
      assert.deepEqual(parseCommandLine(['up', '--dry-run', '--steps', '1']), { ...DEFAULTS, command: 'plan', direction: 'up', steps: 1 });
      assert.deepEqual(parseCommandLine(['migrate', '--dry-run']), { ...DEFAULTS, command: 'plan', direction: 'up' });
    });

    it('makes down --dry-run a plan of down', () => {
      assert.deepEqual(parseCommandLine(['down', '--dry-run', '--to', '0']), { ...DEFAULTS, command: 'plan', direction: 'down', to: '0' });
      assert.equal(parseCommandLine(['rollback', '--dry-run']).direction, 'down');
    });

    it('plans down with plan --down', () => {
      assert.deepEqual(parseCommandLine(['plan', '--down']), { ...DEFAULTS, command: 'plan', direction: 'down' });
    });

    it('leaves other commands alone with --dry-run', () => {
      assert.equal(parseCommandLine(['status', '--dry-run']).command, 'status');
    });
  });

  describe('flags', () => {
    it('reads every flag', () => {
      const options = parseCommandLine([
        'up', '--json', '--url', 'postgres://db/app', '--dir', 'db/migrations', '--config', 'ci.json',
        '--to', '20240101000000', '--out-of-order', '--check', '-v', '-y',
      ]);
      assert.deepEqual(options, {
        ...DEFAULTS,
        command: 'up',
        json: true,
        url: 'postgres://db/app',
        dir: 'db/migrations',
        config: 'ci.json',
        to: '20240101000000',
        outOfOrder: true,
        check: true,
        verbose: true,
        yes: true,
      });
    });

    it('accepts long forms of -v and -y, and --flag=value', () => {
      const options = parseCommandLine(['down', '--verbose', '--yes', '--steps=3']);
      assert.deepEqual([options.verbose, options.yes, options.steps], [true, true, 3]);
    });

    it('refuses an unknown flag', () => {
      usageError(['status', '--force'], /Unknown option '--force'/);
      usageError(['status', '-x'], /Unknown option '-x'/);
    });

    it('refuses a missing value and a value for a switch', () => {
      usageError(['up', '--url'], /--url/);
      usageError(['status', '--json=yes'], /--json/);
    });
  });

  describe('--steps', () => {
    it('takes a positive whole number, also spelled --step', () => {
      assert.equal(parseCommandLine(['up', '--steps', '2']).steps, 2);
      assert.equal(parseCommandLine(['down', '--step', '3']).steps, 3);
      assert.equal(parseCommandLine(['down', '--steps', '007']).steps, 7);
    });

    it('refuses zero, negatives, fractions and words', () => {
      for (const value of ['0', '-1', '1.5', 'two', '', '1e3']) {
        usageError(['up', `--steps=${value}`], new RegExp(`--steps must be a positive whole number, got "${value.replace('.', '\\.')}"`));
      }
      usageError(['down', '--step', 'all'], /--steps must be a positive whole number, got "all"/);
    });
  });

  describe('--to', () => {
    it('takes digits, including 0', () => {
      assert.equal(parseCommandLine(['down', '--to', '0']).to, '0');
      assert.equal(parseCommandLine(['baseline', '--to', '003']).to, '003');
    });

    it('refuses anything that is not a version', () => {
      for (const value of ['v3', '3_add_users', '-1', '', 'latest', '1.', '1..2']) usageError(['up', `--to=${value}`], /--to must be a migration version \(digits, or dotted digits such as 1\.2\)/);
    });

    it('accepts dotted versions (Flyway)', () => {
      assert.equal(parseCommandLine(['up', '--to', '1.10']).to, '1.10');
    });

    it('cannot be combined with --steps', () => {
      usageError(['up', '--steps', '1', '--to', '3'], /use either --steps or --to, not both/);
      usageError(['down', '--to', '0', '--step', '1'], /use either --steps or --to, not both/);
    });
  });

  describe('unknown commands', () => {
    it('are usage errors that name the command', () => {
      usageError(['apply'], /unknown command "apply"\. Run `strata help`/);
      usageError(['UP'], /unknown command "UP"/);
    });

    it('are reported for flags given before the command', () => {
      usageError(['--json', 'status'], /unknown command "--json"/);
    });
  });
});
