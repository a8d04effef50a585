/**
 * PostgreSQL's parser and scanner (libpg-query's WebAssembly build), called directly. libpg-query's
 * JavaScript wrapper copies the text in and the JSON out one byte at a time in JavaScript (and looks
 * for the output's end the same way), which costs ~20 ms per megabyte of SQL; here the copies are
 * native (Buffer#write, TypedArray#indexOf, TextDecoder). The C functions, their results and their
 * errors are the wrapper's own: same JSON, same error message and cursor.
 */
/** WasmModule is what the Emscripten module exports that is used here. */
interface WasmModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _wasm_parse_query_raw(query: number): number;
  _wasm_free_parse_result(result: number): void;
  _wasm_scan(query: number): number;
  _wasm_free_string(text: number): void;
}

/** SqlParseError is a syntax error as libpg-query reports it: `sqlDetails.cursorPosition` is a 0-based code-point index. */
export class SqlParseError extends Error {
  constructor(
    message: string,
    readonly sqlDetails: { message: string; cursorPosition: number; fileName?: string; functionName?: string; lineNumber?: number },
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

let wasm: WasmModule | undefined;
const decoder = new TextDecoder();

/**
 * loadWasm instantiates the module (compiling 1.7 MB of WebAssembly); every other function here needs
 * it. Imported here, not at the top, so that commands that never parse do not load it.
 */
export async function loadWasm(): Promise<void> {
  if (wasm) return;
  const { default: factory } = await import('libpg-query/wasm/libpg-query.js');
  wasm ??= (await factory()) as WasmModule;
}

export function wasmLoaded(): boolean {
  return wasm !== undefined;
}

/**
 * parseJson parses `text` and returns the parse tree as JSON text (`{"version":...,"stmts":[...]}`), or
 * throws SqlParseError. With `pad`, the text is parsed as if `pad` spaces came before it: every
 * location in the result is then `pad` bytes further, as if the text sat at that byte offset.
 */
export function parseJson(text: string, pad = 0): string {
  const module = wasm!;
  if (text === '') throw new Error('Query cannot be empty');
  const query = copyIn(module, text, pad);
  let result = 0;
  try {
    result = module._wasm_parse_query_raw(query);
    if (!result) throw new Error('Failed to parse query: memory allocation failed');
    const words = module.HEAPU32;
    const tree = words[result >> 2]!;
    const error = words[(result + 8) >> 2]!;
    if (error) throw parseError(module, error);
    if (!tree) throw new Error('No parse tree generated');
    return copyOut(module, tree);
  } finally {
    module._free(query);
    if (result) module._wasm_free_parse_result(result);
  }
}

/** scanJson runs the scanner and returns its JSON text (`{"version":...,"tokens":[...]}`), or throws when it cannot read the text. */
export function scanJson(text: string): string {
  const module = wasm!;
  const query = copyIn(module, text, 0);
  let result = 0;
  try {
    result = module._wasm_scan(query);
    const out = copyOut(module, result);
    if (out.startsWith('syntax error') || out.startsWith('deparse error') || out.startsWith('ERROR')) throw new Error(out);
    return out;
  } finally {
    module._free(query);
    if (result) module._wasm_free_string(result);
  }
}

/** copyIn writes `pad` spaces, the text as UTF-8 and a NUL into module memory. */
function copyIn(module: WasmModule, text: string, pad: number): number {
  const length = Buffer.byteLength(text, 'utf8');
  const pointer = module._malloc(pad + length + 1);
  const heap = module.HEAPU8; // read after malloc: memory may have grown
  if (pad > 0) heap.fill(32, pointer, pointer + pad);
  Buffer.from(heap.buffer, heap.byteOffset + pointer + pad, length).write(text, 'utf8');
  heap[pointer + pad + length] = 0;
  return pointer;
}

/** copyOut reads the NUL-terminated UTF-8 string at `pointer`. */
function copyOut(module: WasmModule, pointer: number): string {
  if (!pointer) return '';
  const heap = module.HEAPU8;
  const end = heap.indexOf(0, pointer);
  return decoder.decode(heap.subarray(pointer, end < 0 ? heap.length : end));
}

function parseError(module: WasmModule, error: number): SqlParseError {
  const words = module.HEAPU32;
  const at = error >> 2;
  const messagePointer = words[at]!;
  const functionPointer = words[at + 1]!;
  const filePointer = words[at + 2]!;
  const lineno = words[at + 3]! | 0;
  const cursor = words[at + 4]! | 0;
  const message = messagePointer ? copyOut(module, messagePointer) : 'Unknown error';
  return new SqlParseError(message, {
    message,
    cursorPosition: cursor > 0 ? cursor - 1 : 0,
    fileName: filePointer ? copyOut(module, filePointer) : undefined,
    functionName: functionPointer ? copyOut(module, functionPointer) : undefined,
    lineNumber: lineno > 0 ? lineno : undefined,
  });
}
