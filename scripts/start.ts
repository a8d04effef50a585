// `npm start`: the sandbox. Builds the extension, starts an embedded PostgreSQL, and serves a real
// VS Code (code-server) with Strata installed and a copy of examples/ open and connected; prints the
// URL to open in a browser. Ctrl-C stops everything. `npm run demo` runs the CLI end to end instead.
//
// Environment: PORT (default 8080, else any free port), HOST (default 127.0.0.1; 0.0.0.0 to reach it
// from another machine: there is no password, so only on a trusted network).
import { startSandbox } from './vscode/sandbox';

async function main(): Promise<void> {
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const sandbox = await startSandbox({
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
    host: process.env.HOST,
    log: say,
  });
  say('');
  say(`Strata sandbox ready. Open this URL in a browser:\n\n    ${sandbox.url}\n`);
  say(`The folder ${sandbox.folder} is a fresh copy of examples/ (it is replaced at every start);`);
  say('its .env connects it to the sandbox database. In the Strata view (the layers icon in the activity');
  say('bar): apply, roll back, create a migration with the + button, and watch the tree change.');
  say('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('\nStopping...');
  await sandbox.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
