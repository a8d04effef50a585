/** CliIo is where the CLI reads its environment and writes its output, so tests can run it in-process. */
export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * stdoutChunks prints one output given in pieces (no newline is added between them; one ends it), for
   * output too large to build as one string first. Without it, the pieces are joined and given to stdout.
   */
  stdoutChunks?(chunks: Iterable<string>): void;
  /** interactive is true when a person can answer questions: stdin is a terminal. */
  interactive?: boolean;
  /** ask prints a question and resolves with the line typed in answer. */
  ask?(question: string): Promise<string>;
}

/** processIo is the real terminal. */
export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    stdoutChunks: (chunks) => {
      let last = '';
      for (const chunk of chunks) {
        if (chunk === '') continue;
        process.stdout.write(chunk);
        last = chunk;
      }
      if (!last.endsWith('\n')) process.stdout.write('\n');
    },
    interactive: process.stdin.isTTY === true,
    ask: async (question) => {
      // Loaded when a question is asked, not by every start.
      const { createInterface } = await import('node:readline/promises');
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await prompt.question(question);
      } finally {
        prompt.close();
      }
    },
  };
}

/** printChunks prints one output given in pieces through io (see CliIo.stdoutChunks). */
export function printChunks(io: CliIo, chunks: Iterable<string>): void {
  if (io.stdoutChunks) io.stdoutChunks(chunks);
  else io.stdout([...chunks].join(''));
}
