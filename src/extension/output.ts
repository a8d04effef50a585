import * as vscode from 'vscode';
import type { Logger } from '../core/logger';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const RECENT_LINES = 1000;

/**
 * Output is the `Strata` log channel. Every line passes through `redact`, which hides the secrets of the
 * connections in use (see Session); `recent` keeps the last lines so tests can check what was written.
 */
export class Output implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Strata', { log: true });
  private readonly secrets = new Set<string>();
  private redactor: ((text: string, secrets: readonly string[]) => string) | null = null;
  private readonly lines: string[] = [];

  /** logger adapts the channel to the engine's Logger interface. */
  readonly logger: Logger = {
    debug: (message) => this.write('debug', message),
    info: (message) => this.write('info', message),
    warn: (message) => this.write('warn', message),
    error: (message) => this.write('error', message),
  };

  /**
   * addSecrets registers values never to print, with the function that hides them (src/core/db.ts's
   * redactSecrets, handed over once the engine is loaded; no secret exists before that).
   */
  addSecrets(redactor: (text: string, secrets: readonly string[]) => string, values: readonly (string | null | undefined)[]): void {
    this.redactor = redactor;
    for (const value of values) if (value) this.secrets.add(value);
  }

  /** redact hides every registered secret in text. */
  redact(text: string): string {
    return this.redactor && this.secrets.size > 0 ? this.redactor(text, [...this.secrets]) : text;
  }

  trace(message: string): void {
    this.write('trace', message);
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  show(): void {
    this.channel.show(true);
  }

  /** recent returns the last lines written (after redaction), oldest first. */
  recent(): readonly string[] {
    return this.lines;
  }

  dispose(): void {
    this.channel.dispose();
  }

  private write(level: Level, message: string): void {
    const text = this.redact(message);
    this.lines.push(`[${level}] ${text}`);
    if (this.lines.length > RECENT_LINES) this.lines.splice(0, this.lines.length - RECENT_LINES);
    this.channel[level](text);
  }
}
