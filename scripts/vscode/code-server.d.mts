import type { Browser, Page } from 'playwright-core';

/** CodeServer is a running code-server. */
export interface CodeServer {
  url: string;
  stop(): Promise<void>;
  output(): string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

export interface StartCodeServerOptions {
  home: string;
  userDataDir?: string;
  extensionsDir?: string;
  settings?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  port?: number;
  host?: string;
  workspaceTrust?: boolean;
  log?: (line: string) => void;
}

export function freePort(): Promise<number>;
export function installExtension(options: { home: string; extensionsDir: string; vsix: string }): void;
export function startCodeServer(options: StartCodeServerOptions): Promise<CodeServer>;
export const CHROMIUM_ARGS: string[];
export function launchChromium(options?: { headless?: boolean }): Promise<Browser>;
export function workbenchUrl(serverUrl: string, target?: string | null): string;
export function addDevelopmentOptions(page: Page, options: { extensionPaths?: string[]; extensionTestsPath?: string | null }): Promise<void>;
