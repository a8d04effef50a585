// `npm run demo`: the engine end to end on a fresh machine. Starts an embedded PostgreSQL, then runs
// the bundled CLI (dist/cli.js) in examples/: status, up, status. The server is removed on exit.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startEmbeddedServer } from '../src/core/scratch';

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const examples = join(root, 'examples');
  process.stdout.write('Starting an embedded PostgreSQL...\n');
  const server = await startEmbeddedServer();
  try {
    const env = { ...process.env, DATABASE_URL: server.url };
    for (const args of [['status'], ['up'], ['status']]) {
      process.stdout.write(`\n$ strata ${args.join(' ')}\n`);
      const run = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { cwd: examples, env, stdio: 'inherit' });
      if (run.status !== 0 && !(args[0] === 'status' && run.status === 3)) {
        throw new Error(`strata ${args.join(' ')} exited with ${run.status}`);
      }
    }
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
