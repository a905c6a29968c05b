/**
 * The few web-platform globals the pure pipeline uses: ones every host it runs on (browsers,
 * workers, Node >= 20) provides under the same name. This layer compiles without the DOM lib
 * and without @types/node (src/pipeline/tsconfig.json), so it declares just these, as minimal
 * shapes that are subsets of the standard ones: a pipeline file that reaches for anything else
 * (document, window, caches, process, Buffer…) fails to compile. Whatever differs by host
 * (image decoders, threads, model caches, the clock) goes through ./platform.ts instead.
 *
 * Only this layer sees these declarations: the declaration files it emits name the same globals,
 * which consumers resolve against their own lib (DOM, WebWorker or @types/node).
 */

// --- Encoding (TextEncoder, TextDecoder) ---------------------------------------------------

interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare const TextEncoder: { prototype: TextEncoder; new (): TextEncoder };

interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
interface TextDecodeOptions {
  stream?: boolean;
}
interface TextDecoder {
  readonly encoding: string;
  decode(input?: ArrayBufferLike | ArrayBufferView, options?: TextDecodeOptions): string;
}
declare const TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: TextDecoderOptions): TextDecoder;
};

// --- Cancellation (AbortSignal, AbortController) ---------------------------------------------

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
}
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare const AbortController: { prototype: AbortController; new (): AbortController };

// --- URL and fetch (the HTTP model source) ----------------------------------------------------

interface URL {
  readonly href: string;
}
declare const URL: { prototype: URL; new (url: string, base?: string): URL };

interface Headers {
  get(name: string): string | null;
}
type ReadableStreamReadResult<T> = { done: false; value: T } | { done: true; value?: T };
interface ReadableStreamDefaultReader<R> {
  read(): Promise<ReadableStreamReadResult<R>>;
  cancel(reason?: unknown): Promise<void>;
}
interface ReadableStream<R> {
  getReader(): ReadableStreamDefaultReader<R>;
  cancel(reason?: unknown): Promise<void>;
}
interface Response {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}
declare function fetch(input: string, init?: { signal?: AbortSignal }): Promise<Response>;

// --- WebAssembly (the int8 scoring kernel) ------------------------------------------------------

declare namespace WebAssembly {
  type BufferSource = ArrayBufferView<ArrayBuffer> | ArrayBuffer;
  // An opaque compiled module, as in lib.dom.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Module {}
  const Module: { prototype: Module; new (bytes: BufferSource): Module };
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  const Memory: { prototype: Memory; new (descriptor: MemoryDescriptor): Memory };
  type Imports = Record<string, Record<string, Memory | ((...args: never[]) => unknown)>>;
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  const Instance: { prototype: Instance; new (module: Module, imports?: Imports): Instance };
  function validate(bytes: BufferSource): boolean;
  function compile(bytes: BufferSource): Promise<Module>;
}
