/**
 * A reader that goes away (`strata status | head`, a closed terminal) must not end a command with
 * Node's unhandled EPIPE error: the command finishes its work and exits with its own code.
 */
import assert from 'node:assert/strict';
import { describeRun, startCli, type CliResult } from '../../support/cli';
import { tableMigration, useCliCase } from './harness';

describe('CLI: output whose reader has gone away', () => {
  const t = useCliCase();

  /** runUnread runs strata with the read ends of the chosen streams closed before it writes anything. */
  function runUnread(args: readonly string[], streams: ('stdout' | 'stderr')[]): Promise<CliResult> {
    const running = startCli(args, { cwd: t.project.root });
    for (const name of streams) running.child[name]?.destroy();
    return running.result;
  }

  it('status --json of many migrations exits 0 without an error when stdout is closed', async () => {
    for (let i = 1; i <= 400; i++) t.write(`${String(i).padStart(3, '0')}_t${i}.sql`, tableMigration(`t${i}`));
    const result = await runUnread(['status', '--json', '--url', t.url], ['stdout']);
    assert.equal(result.code, 0, describeRun(result));
    assert.doesNotMatch(result.stderr, /EPIPE|Unhandled|internal error/, describeRun(result));
  });

  it('up applies and records every migration when nobody reads stdout or stderr', async () => {
    for (let i = 1; i <= 5; i++) t.write(`00${i}_t${i}.sql`, tableMigration(`t${i}`));
    const result = await runUnread(['up', '--verbose', '--url', t.url], ['stdout', 'stderr']);
    assert.equal(result.code, 0, describeRun(result));
    assert.deepEqual(await t.versions(), ['001', '002', '003', '004', '005']);
    for (let i = 1; i <= 5; i++) assert.equal(await t.exists(`t${i}`), true);
  });
});
