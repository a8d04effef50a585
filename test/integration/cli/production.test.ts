/**
 * A production database asks for explicit confirmation before anything changes it (DESIGN.md,
 * "Connections"). For the CLI, production is a host listed in `productionHosts` of strata.json: with
 * `--yes` the command runs; on a terminal the user is asked; with no terminal (CI, a pipe) the command
 * is refused before it connects, and the database is left exactly as it was.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { CLI_PATH, cleanEnv, describeRun, output, type CliResult } from '../../support/cli';
import { tableMigration, useCliCase } from './harness';

/** inTerminal runs the CLI under `script`, which gives it a real pseudo-terminal as stdin, and types `answer`. */
function inTerminal(cwd: string, args: string[], answer: string): Promise<CliResult> {
  const started = performance.now();
  const command = [process.execPath, CLI_PATH, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let answered = false;
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    // Answer once, when the question is on the screen (later output still contains it, and the process may be gone by then).
    if (!answered && Buffer.concat(chunks).toString('utf8').includes('[y/N]')) {
      answered = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(chunks).toString('utf8'), stderr: '', ms: performance.now() - started });
    });
  });
}

describe('CLI: production needs confirmation', () => {
  const t = useCliCase();

  beforeEach(() => {
    t.write('001_a.sql', tableMigration('a'));
    t.write('002_b.sql', tableMigration('b'));
    t.config({ productionHosts: ['127.0.0.1'] });
  });

  it('up, down, rehearse, repair and baseline are refused without --yes when stdin is not a terminal (exit 2), and change nothing', async () => {
    const before = await t.catalog();
    for (const args of [['up'], ['down'], ['rehearse'], ['repair'], ['baseline', '--to', '001'], ['up', '--json']]) {
      const result = await t.run([...args, '--url', t.url]);
      assert.equal(result.code, 2, describeRun(result));
      assert.match(result.stderr, new RegExp(`Refusing to run \`${args[0]}\` on the production database postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/\\S+ \\(127\\.0\\.0\\.1 is in productionHosts of strata\\.json\\) without confirmation: stdin is not a terminal, so pass --yes to confirm\\.`), describeRun(result));
    }
    assert.equal(await t.catalog(), before);
    assert.equal(await t.versions(), null);
  });

  it('a refused command never connects: not even the session other commands open while they read the folder', async () => {
    // A listener in the server's place counts connection attempts (and answers none).
    let accepted = 0;
    const listener = createServer((socket) => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = listener.address() as AddressInfo;
      t.config({ productionHosts: [`127.0.0.1:${port}`] });
      for (const command of ['up', 'down', 'rehearse', 'repair']) {
        const result = await t.run([command, '--url', `postgres://postgres:secret@127.0.0.1:${port}/db`]);
        assert.equal(result.code, 2, describeRun(result));
        assert.match(result.stderr, /Refusing to run/, describeRun(result));
      }
      assert.equal(accepted, 0, 'no connection was attempted');
      // The listener does see a command that is allowed to run (so the count above means something).
      const allowed = await t.run(['up', '--yes', '--url', `postgres://postgres:secret@127.0.0.1:${port}/db`]);
      assert.equal(allowed.code, 1, describeRun(allowed));
      assert.ok(accepted > 0, 'up --yes connected');
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  it('with --yes (or -y) up and down run', async () => {
    const up = await t.run(['up', '--yes', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
    assert.deepEqual(await t.versions(), ['001', '002']);
    const down = await t.run(['down', '-y', '--url', t.url]);
    assert.equal(down.code, 0, describeRun(down));
    assert.deepEqual(await t.versions(), ['001']);
  });

  it('read-only commands (status, plan, lint) need no confirmation', async () => {
    for (const args of [['status'], ['plan'], ['lint']]) {
      const result = await t.run([...args, '--url', t.url]);
      assert.equal(result.code, 0, describeRun(result));
    }
  });

  it('a host that is not listed, or the same host on another port, is not production', async () => {
    t.config({ productionHosts: ['db.example.com', '127.0.0.1:1'] });
    const up = await t.run(['up', '--url', t.url]);
    assert.equal(up.code, 0, describeRun(up));
  });

  it('on a terminal the user is asked: "y" runs, anything else cancels (exit 1) and changes nothing', async () => {
    const declined = await inTerminal(t.project.root, ['up', '--url', t.url], 'n');
    assert.equal(declined.code, 1, describeRun(declined));
    assert.match(output(declined), /`strata up` will run on the production database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\S+ .*Continue\? \[y\/N\]/);
    assert.match(output(declined), /Cancelled: nothing was run/);
    assert.equal(await t.versions(), null);
    const accepted = await inTerminal(t.project.root, ['up', '--url', t.url], 'y');
    assert.equal(accepted.code, 0, describeRun(accepted));
    assert.deepEqual(await t.versions(), ['001', '002']);
  });

  it('productionHosts must be a list of host names; a URL there is refused without being repeated', async () => {
    t.config({ productionHosts: ['postgres://admin:hunter2@db.example.com/app'] });
    const result = await t.run(['status', '--url', t.url]);
    assert.equal(result.code, 2, describeRun(result));
    assert.match(result.stderr, /`productionHosts` must be a list of host names/);
    assert.ok(!output(result).includes('hunter2'), describeRun(result));
  });
});
