// Installs code-server (a real VS Code, served to a browser) into .vscode-test/, the way
// @vscode/test-electron caches its downloads there. Idempotent: a finished install leaves a marker and
// is reused; an interrupted one is discarded. See TESTING.md, "A real VS Code for extension-host tests".
//
//   node scripts/vscode/install-code-server.mjs        -> prints the path of code-server's entry.js
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, codeServerDir, codeServerEntry } from './paths.mjs';

// @vscode/ripgrep (a dependency of VS Code inside code-server) downloads ripgrep from GitHub in its
// postinstall, which these machines cannot reach; it looks in this cache first. A tarball of the
// system's `rg` (Debian's ripgrep) satisfies it.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** installCodeServer installs code-server once and returns the path of its entry script. */
export function installCodeServer({ quiet = false } = {}) {
  const target = codeServerDir();
  const entry = codeServerEntry();
  const marker = join(target, '.installed');
  if (existsSync(marker) && existsSync(entry)) return entry;
  const say = (line) => quiet || process.stderr.write(`[code-server] ${line}\n`);
  say(`installing code-server@${CODE_SERVER_VERSION} into ${target} (once; about a minute)...`);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.partial-`);
  const tmp = join(staging, 'tmp');
  try {
    prepareRipgrepCache(tmp);
    writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'strata-code-server', private: true }));
    const started = Date.now();
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: staging,
      encoding: 'utf8',
      env: {
        ...process.env,
        TMPDIR: tmp,
        // As root npm drops privileges for install scripts; code-server's native build asks npx to confirm.
        npm_config_unsafe_perm: 'true',
        npm_config_yes: 'true',
        npm_config_update_notifier: 'false',
      },
    });
    if (result.status !== 0 || !existsSync(join(staging, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
      throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${result.status}):\n${tail(result.stdout)}\n${tail(result.stderr)}`);
    }
    const rg = join(staging, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
    if (!existsSync(rg)) throw new Error(`code-server installed without ripgrep (${rg}); is the ripgrep package installed?`);
    rmSync(tmp, { recursive: true, force: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    writeFileSync(marker, `${CODE_SERVER_VERSION}\n`);
    say(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
    return entry;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** prepareRipgrepCache puts a tarball of the system's rg where @vscode/ripgrep's installer looks first. */
function prepareRipgrepCache(tmp) {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is required to install code-server here: apt-get install -y ripgrep');
  const cache = join(tmp, RIPGREP_CACHE);
  const stage = join(tmp, 'rg-stage');
  mkdirSync(cache, { recursive: true });
  mkdirSync(stage, { recursive: true });
  copyFileSync(rg, join(stage, 'rg'));
  execFileSync('tar', ['-czf', join(cache, RIPGREP_TARBALL), '-C', stage, 'rg']);
  rmSync(stage, { recursive: true, force: true });
}

function which(command) {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

function tail(text) {
  return (text ?? '').trim().split('\n').slice(-30).join('\n');
}

if (resolve(fileURLToPath(import.meta.url)) === resolve(process.argv[1] ?? '')) {
  try {
    process.stdout.write(`${installCodeServer()}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
