/**
 * The parse worker (dist/parse-worker.js): parses the second part of a large text while the main
 * thread parses the first (see parallel.ts). It answers each request on the port it was given, then
 * bumps the shared counter so that a main thread blocked in Atomics.wait wakes up.
 */
import { workerData } from 'node:worker_threads';
import { loadWasm, parseJson, SqlParseError } from './wasm';
import type { ParseReply, ParseRequest, WorkerData } from './parallel';

const { port, signal } = workerData as WorkerData;
const flags = new Int32Array(signal);

function answer(reply: ParseReply): void {
  port.postMessage(reply);
  Atomics.add(flags, 0, 1);
  Atomics.notify(flags, 0);
}

loadWasm().then(
  () => {
    port.on('message', (request: ParseRequest) => {
      try {
        answer({ id: request.id, json: parseJson(request.text, request.pad) });
      } catch (error) {
        const syntax = error instanceof SqlParseError ? { message: error.sqlDetails.message, cursorPosition: error.sqlDetails.cursorPosition } : null;
        answer({ id: request.id, json: null, syntax });
      }
    });
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);
  },
  () => {
    Atomics.store(flags, 1, 2);
    Atomics.notify(flags, 1);
  },
);
