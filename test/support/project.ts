import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** TestProject is a throwaway project folder with a migrations directory. */
export interface TestProject {
  root: string;
  dir: string;
  write(name: string, content: string): string;
  remove(): void;
}

/** makeProject writes `files` (names relative to migrations/) and an optional strata.json into a fresh temp dir. */
export function makeProject(files: Record<string, string>, config?: Record<string, unknown>): TestProject {
  const root = mkdtempSync(join(tmpdir(), 'strata-test-'));
  chmodSync(root, 0o755);
  const dir = join(root, 'migrations');
  mkdirSync(dir);
  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
  for (const [name, content] of Object.entries(files)) write(name, content);
  if (config) writeFileSync(join(root, 'strata.json'), JSON.stringify(config, null, 2));
  return { root, dir, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** lines builds file content from lines, so fixtures can say exactly which line a statement is on. */
export function lines(...content: string[]): string {
  return `${content.join('\n')}\n`;
}
