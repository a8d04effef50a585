/**
 * The entry VS Code calls inside the extension host (`extensionTestsPath`): runs the *.test.js files
 * bundled beside it for this launch's scenario (STRATA_TEST_SCENARIO): `main` runs the files at the top
 * level, `untrusted` and `multiRoot` those in the folder of that name. STRATA_HOST_TEST_GREP narrows the run.
 */
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.STRATA_HOST_TEST_GREP;
  if (grep) mocha.grep(grep);
  const scenario = process.env.STRATA_TEST_SCENARIO ?? 'main';
  const dir = scenario === 'main' ? __dirname : join(__dirname, scenario);
  const files = readdirSync(dir).filter((file) => file.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(join(dir, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension host test(s) failed`)) : resolve()));
  });
}
