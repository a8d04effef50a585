/**
 * The sandbox: a real VS Code (code-server) with Strata installed from this checkout, a copy of
 * examples/ open, and its .env pointing at a PostgreSQL. `npm start` runs it; the UI smoke test drives it.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/core/scratch';

// The helpers shared with the test launcher are ES modules (plain .mjs, run by node directly).
const scripts = async () => ({
  ...(await import('./build-extension.mjs')),
  ...(await import('./code-server.mjs')),
  ...(await import('./package.mjs')),
  ...(await import('./paths.mjs')),
});
type CodeServer = Awaited<ReturnType<Awaited<ReturnType<typeof scripts>>['startCodeServer']>>;

/** SandboxOptions: where to keep it, which database to use (default: a new embedded PostgreSQL), how to listen. */
export interface SandboxOptions {
  dir?: string;
  databaseUrl?: string;
  port?: number;
  host?: string;
  /**
   * install: `link` (default) links this checkout into code-server's extensions folder, so a rebuild and
   * a window reload pick up changes; `vsix` installs the production package (`npm run package`) instead.
   */
  install?: 'link' | 'vsix';
  log?: (line: string) => void;
}

/** Sandbox is a running sandbox. */
export interface Sandbox {
  /** url opens the workbench on the examples folder. */
  url: string;
  folder: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * startSandbox copies examples/ afresh into the sandbox folder with a .env that connects it, builds and
 * installs the extension (see SandboxOptions.install), and starts code-server.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { buildExtension, installExtension, packageExtension, repoRoot, startCodeServer, workbenchUrl } = await scripts();
  const log = options.log ?? (() => undefined);
  const dir = options.dir ?? join(repoRoot, '.strata-sandbox');
  const folder = join(dir, 'examples');
  const home = join(dir, 'code-server');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(repoRoot, 'examples'), folder, { recursive: true });
  if (options.install === 'vsix') {
    log('Packaging the extension...');
    const vsix = await packageExtension({ out: join(dir, 'strata.vsix') });
    installExtension({ home, extensionsDir: join(home, 'extensions'), vsix });
  } else {
    log('Building the extension...');
    await buildExtension();
    linkExtension(repoRoot, join(home, 'extensions'));
  }
  let server: EmbeddedServer | null = null;
  let codeServer: CodeServer | null = null;
  try {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      log('Starting an embedded PostgreSQL...');
      server = await startEmbeddedServer();
      databaseUrl = server.url;
    }
    writeFileSync(join(folder, '.env'), `# Written by npm start: the sandbox's database.\nDATABASE_URL=${databaseUrl}\n`);
    log('Starting VS Code (code-server)...');
    const port = options.port ?? (await preferredPort(8080));
    codeServer = await startCodeServer({ home, port, host: options.host ?? '127.0.0.1', env: withoutConnectionVariables() });
    const running = { server, codeServer };
    return {
      url: workbenchUrl(codeServer.url, folder),
      folder,
      databaseUrl,
      stop: async () => {
        await running.codeServer.stop();
        await running.server?.stop();
      },
    };
  } catch (error) {
    await codeServer?.stop();
    await server?.stop();
    throw error;
  }
}

/**
 * withoutConnectionVariables hides DATABASE_URL, POSTGRES_URL and PG* of the shell that runs npm start
 * from VS Code: Strata would offer them before the sandbox's .env, and they may name a real database.
 */
function withoutConnectionVariables(): Record<string, undefined> {
  const hidden: Record<string, undefined> = {};
  for (const key of Object.keys(process.env)) {
    if (key === 'DATABASE_URL' || key === 'POSTGRES_URL' || key.startsWith('PG')) hidden[key] = undefined;
  }
  return hidden;
}

/** linkExtension makes this checkout an installed extension of code-server. */
function linkExtension(repoRoot: string, extensionsDir: string): void {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  mkdirSync(extensionsDir, { recursive: true });
  const link = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  if (!existsSync(link)) symlinkSync(repoRoot, link, 'dir');
}

/** preferredPort is `port` when it is free, else any free port. */
async function preferredPort(port: number): Promise<number> {
  const { createServer } = await import('node:net');
  const { freePort } = await scripts();
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => void freePort().then(resolve));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}
