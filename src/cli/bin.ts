/**
 * dist/cli.js, the `strata` command: it loads only the bundle the command needs. `status` and `pending`
 * (read-only, and run often, on large folders) have their own small bundle (dist/cli-status.js); every
 * other command runs from dist/cli-main.js.
 */
const command = process.argv[2];
const entry = command === 'status' || command === 'pending' ? './cli-status.js' : './cli-main.js';
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require(entry) as { main(): void }).main();
