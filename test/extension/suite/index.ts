/**
 * The entry VS Code calls inside the extension host (`extensionTestsPath`): runs every *.test.js
 * bundled beside it with mocha. STRATA_HOST_TEST_GREP narrows the run.
 */
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.STRATA_HOST_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = readdirSync(__dirname, { recursive: true }).map(String).filter((file) => file.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension host test(s) failed`)) : resolve()));
  });
}
