// An upload's stream (a web `ReadableStream`, or any async iterable of bytes such as a Node `Readable`) read chunk
// by chunk, by both builds: the Node build streams it as the request body (stream-upload.ts), the web build reads
// it whole into a Blob first (io.web.ts), since browsers cannot send a streaming body over HTTP/1.1 or at all.
import { orAbort } from './abort.js';
import { isInstance } from './checks.js';
import { InvalidParamsError } from './errors.js';

/** Where streamed bytes come from: chunks already read while peeking, then the rest. */
export interface ChunkSource {
  head: Uint8Array[];
  /** The next non-empty chunk, or `undefined` at the end. */
  next(): Promise<Uint8Array | undefined>;
  cancel(reason?: unknown): Promise<void>;
}

/** A {@link ChunkSource} over `file`. Throws InvalidParamsError for a locked stream or an iterator without next(). */
export function sourceOf(file: ReadableStream<unknown> | AsyncIterable<unknown>): ChunkSource {
  if (isInstance(file, globalThis.ReadableStream)) {
    if (file.locked) {
      throw new InvalidParamsError('The file stream is locked: something else is reading it.', 'file');
    }
    const reader = file.getReader();
    return chunkSource({ next: () => reader.read(), return: (r) => reader.cancel(r) });
  }
  const iterator: Partial<AsyncIterator<unknown>> | null = (file as AsyncIterable<unknown>)[
    Symbol.asyncIterator
  ]();
  if (typeof iterator?.next !== 'function') {
    throw new InvalidParamsError('file is an async iterable whose iterator has no next() method.', 'file');
  }
  // A Node Readable is ended by destroy(): its iterator's return() waits for a pending read, which a stalled
  // stream never settles.
  const { destroy } = file as { destroy?: unknown };
  const stop = typeof destroy === 'function' ? () => destroy.call(file) : undefined;
  return chunkSource(iterator as AsyncIterator<unknown>, stop);
}

/**
 * The next chunk of `source`, read before any request: an abort of `signal` rejects at once with
 * `APIUserAbortError` (a stalled stream must not outlive the caller's abort). A failed read cancels the source, so
 * a refused stream is closed, not left half read.
 */
export async function readChunk(source: ChunkSource, signal: AbortSignal | undefined) {
  try {
    return await orAbort(source.next(), signal);
  } catch (err) {
    // Not awaited: a source may settle its pending read before it lets go.
    source.cancel(signal?.aborted ? signal.reason : err).catch(() => {});
    throw err;
  }
}

/** The error for a stream that grows past the API's limit while it is read (its size was unknown before). */
export function tooLarge(): InvalidParamsError {
  return new InvalidParamsError('The file is over 20 MB; the API accepts at most 20 MB.', 'file');
}

/** A {@link ChunkSource} over an async iterator or a stream reader (both yield `{ done, value }`). */
export function chunkSource(
  iterator: {
    next(): Promise<IteratorResult<unknown>>;
    return?(reason?: unknown): Promise<unknown>;
  },
  stop?: () => void,
): ChunkSource {
  return {
    head: [],
    async next() {
      for (;;) {
        const { done, value } = await iterator.next();
        if (done) return undefined;
        const bytes =
          typeof value === 'string'
            ? new TextEncoder().encode(value)
            : value instanceof ArrayBuffer
              ? new Uint8Array(value)
              : ArrayBuffer.isView(value)
                ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
                : undefined;
        if (!bytes)
          throw new InvalidParamsError('The file stream yielded something other than bytes.', 'file');
        if (bytes.byteLength > 0) return bytes;
      }
    },
    // `stop` (a Node Readable's destroy) where given, else return() ends the iteration.
    async cancel(reason) {
      if (stop) stop();
      else await iterator.return?.(reason);
    },
  };
}
