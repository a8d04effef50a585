// `npm run package`: builds the extension for production and packs it into strata-<version>.vsix with
// @vscode/vsce. The bundles hold every dependency, so vsce does not collect node_modules; .vscodeignore
// is an allow-list of what runs. There is no LICENSE file or repository URL to check, and README links
// stay relative (the README's screenshot ships inside the package).
//
//   node scripts/vscode/package.mjs [--out FILE]
import { createVSIX } from '@vscode/vsce';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildExtension } from './build-extension.mjs';
import { repoRoot } from './paths.mjs';

/** packageExtension builds for production and writes the .vsix; returns its path. */
export async function packageExtension({ out } = {}) {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const packagePath = out ?? join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
  await buildExtension({ production: true });
  await createVSIX({ cwd: repoRoot, packagePath, dependencies: false, skipLicense: true, allowMissingRepository: true, rewriteRelativeLinks: false });
  return packagePath;
}

if (import.meta.url.endsWith(process.argv[1]?.split('/').pop() ?? '\0')) {
  const index = process.argv.indexOf('--out');
  await packageExtension({ out: index > 0 ? resolve(process.argv[index + 1]) : undefined });
}
