/**
 * A second thread for parsing large texts. Parsing a megabyte of SQL is mostly PostgreSQL's parser
 * in WebAssembly, which a worker thread (dist/parse-worker.js, one per process, kept for reuse) runs
 * on the second part of the text while the main thread parses the first. The worker answers with
 * JSON text (turning it into objects in the worker would only move a larger structured copy here).
 * Linting stays synchronous: the main thread blocks in Atomics.wait for the answer, with a timeout.
 *
 * Nothing here changes a result: a worker that is not ready, has failed or is late only means the
 * main thread parses that part itself. The worker is started on the first large text (and used from
 * the next one on) or ahead of time by startParseWorker; it never keeps the process alive.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** WorkerData is what the worker gets at start: its request port and the shared counters (0: answers sent, 1: 0 loading, 1 ready, 2 failed). */
export interface WorkerData {
  port: MessagePort;
  signal: SharedArrayBuffer;
}

/** ParseRequest asks the worker to parse `text` as if `pad` spaces came before it (so that its locations are offsets in the whole text). */
export interface ParseRequest {
  id: number;
  text: string;
  pad: number;
}

/** ParseReply is the parse tree as JSON text, or null with the syntax error (null for any other failure). */
export interface ParseReply {
  id: number;
  json: string | null;
  syntax?: { message: string; cursorPosition: number } | null;
}

const READY = 1;
/** START_LIMIT_MS: a worker not ready by then is not used. */
const START_LIMIT_MS = 10_000;

/** ParseWorker is the running worker thread. */
export class ParseWorker {
  private readonly flags = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private nextId = 1;
  private dead = false;
  readonly ready: Promise<boolean>;

  constructor(script: string, execArgv?: string[]) {
    const channel = new MessageChannel();
    this.port = channel.port1;
    const data: WorkerData = { port: channel.port2, signal: this.flags.buffer };
    this.worker = new Worker(script, { workerData: data, transferList: [channel.port2], execArgv, stdout: false, stderr: false });
    this.worker.unref();
    this.port.unref();
    this.ready = new Promise<boolean>((resolve) => {
      this.worker.on('error', () => {
        this.stop();
        resolve(false);
      });
      this.worker.once('exit', () => {
        this.dead = true;
        resolve(false);
      });
      // The worker marks itself ready in shared memory (readable while this thread is busy); polling
      // it settles this promise, for callers that await readiness, within START_LIMIT_MS.
      const started = Date.now();
      const poll = (): void => {
        if (this.dead || Atomics.load(this.flags, 1) !== 0) return resolve(this.usable());
        if (Date.now() - started > START_LIMIT_MS) {
          this.stop();
          return resolve(false);
        }
        setTimeout(poll, 2);
      };
      poll();
    });
  }

  /** usable: loaded and not failed, so requests get answers. */
  usable(): boolean {
    return !this.dead && Atomics.load(this.flags, 1) === READY;
  }

  /** send posts a request and returns its id, for wait. */
  send(text: string, pad: number): number {
    const id = this.nextId++;
    requests++;
    const request: ParseRequest = { id, text, pad };
    this.port.postMessage(request);
    return id;
  }

  /** wait blocks until the answer to request `id` arrives (answers to abandoned requests are skipped), or null after `timeoutMs`. */
  wait(id: number, timeoutMs: number): ParseReply | null {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Read the counter before looking for the answer: an answer sent in between changes it, and the wait returns at once.
      const seen = Atomics.load(this.flags, 0);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        const reply = received.message as ParseReply;
        if (reply.id === id) return reply;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.dead) return null;
      Atomics.wait(this.flags, 0, seen, left);
    }
  }

  /** stop ends the worker; it is not used again. */
  stop(): void {
    this.dead = true;
    void this.worker.terminate().catch(() => undefined);
  }
}

let current: ParseWorker | null = null;
/** requests counts the requests sent to workers in this process (tests check that the worker was used). */
let requests = 0;
/** failed: the worker could not start or stopped answering; this process parses on one thread from then on. */
let failed = false;

/** defaultScript is dist/parse-worker.js, next to the bundle this module is part of (null when running from source). */
function defaultScript(): string | null {
  const script = join(__dirname, 'parse-worker.js');
  return existsSync(script) ? script : null;
}

/**
 * startParseWorker starts the worker (once per process) and resolves when it is ready: true, or false
 * when it cannot be used. `script` and `execArgv` are for running from source (tests).
 */
export function startParseWorker(options: { script?: string; execArgv?: string[] } = {}): Promise<boolean> {
  if (current) return current.ready;
  if (failed) return Promise.resolve(false);
  const script = options.script ?? defaultScript();
  if (script === null) {
    failed = true;
    return Promise.resolve(false);
  }
  try {
    current = new ParseWorker(script, options.execArgv);
  } catch {
    failed = true;
    return Promise.resolve(false);
  }
  return current.ready.then((ok) => {
    if (!ok) giveUp();
    return ok;
  });
}

/** parseWorker is the worker when it is ready to take a request; otherwise null, and it is started for the next large text. */
export function parseWorker(): ParseWorker | null {
  if (current?.usable()) return current;
  if (!current && !failed) void startParseWorker();
  return null;
}

/** giveUp stops the worker for good (it failed, or did not answer in time). */
export function giveUp(): void {
  current?.stop();
  current = null;
  failed = true;
}

/** stopParseWorker ends the worker and lets a later large text start a new one. */
export function stopParseWorker(): void {
  current?.stop();
  current = null;
  failed = false;
}

/** parseWorkerRequests is how many parts of texts workers were asked to parse so far. */
export function parseWorkerRequests(): number {
  return requests;
}
