/** Logger is how the engine reports progress; callers decide where it goes (terminal, output channel, nowhere). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** silentLogger discards everything; the default when a caller does not care. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
