// Uploads from a stream (web `ReadableStream` or any async iterable of bytes, such as a Node `Readable`), on every
// runtime: the first bytes are peeked to judge the type, then the body is a multipart stream that pulls the rest
// as fetch sends it, never holding the file whole.
import { orAbort } from './abort.js';
import { isInstance, MAX_FILE_BYTES } from './checks.js';
import { InvalidParamsError } from './errors.js';
import { type AcceptedMime, SNIFF_BYTES } from './file-type.js';
import { defaultName, type Fields, judge, type PreparedUpload } from './upload.js';

/** Where streamed bytes come from: chunks already read while peeking, then the rest. */
export interface ChunkSource {
  head: Uint8Array[];
  /** The next non-empty chunk, or `undefined` at the end. */
  next(): Promise<Uint8Array | undefined>;
  cancel(reason?: unknown): Promise<void>;
}

/**
 * Prepares an upload from a web `ReadableStream` or an async iterable (a Node `Readable`). An abort of `signal`
 * while the first bytes are awaited cancels the stream and rejects with `APIUserAbortError`.
 */
export function prepareStream(
  file: ReadableStream<unknown> | AsyncIterable<unknown>,
  fields: Fields,
  name: string | undefined,
  signal?: AbortSignal,
): Promise<PreparedUpload> {
  if (isInstance(file, globalThis.ReadableStream)) {
    if (file.locked) {
      return Promise.reject(
        new InvalidParamsError('The file stream is locked: something else is reading it.', 'file'),
      );
    }
    const reader = file.getReader();
    return fromStream(
      chunkSource({ next: () => reader.read(), return: (r) => reader.cancel(r) }),
      fields,
      name,
      signal,
    );
  }
  const iterator: Partial<AsyncIterator<unknown>> | null = (file as AsyncIterable<unknown>)[
    Symbol.asyncIterator
  ]();
  if (typeof iterator?.next !== 'function') {
    return Promise.reject(
      new InvalidParamsError('file is an async iterable whose iterator has no next() method.', 'file'),
    );
  }
  // A Node Readable is ended by destroy(): its iterator's return() waits for a pending read, which a stalled
  // stream never settles.
  const { destroy } = file as { destroy?: unknown };
  const stop = typeof destroy === 'function' ? () => destroy.call(file) : undefined;
  return fromStream(chunkSource(iterator as AsyncIterator<unknown>, stop), fields, name, signal);
}

async function fromStream(
  source: ChunkSource,
  fields: Fields,
  name: string | undefined,
  signal: AbortSignal | undefined,
) {
  // Read chunks until SNIFF_BYTES are in hand (or the stream ends); they are kept to be sent first. Only the last
  // of them can reach past SNIFF_BYTES, so copying each one's part below the limit fills the head.
  let length = 0;
  while (length < SNIFF_BYTES) {
    let chunk: Uint8Array | undefined;
    try {
      // A stream that stalls before its first bytes must not outlive the caller's abort.
      chunk = await orAbort(source.next(), signal);
    } catch (err) {
      // Not awaited: a source may settle its pending read before it lets go.
      if (signal?.aborted) source.cancel(signal.reason).catch(() => {});
      throw err;
    }
    if (!chunk) break;
    source.head.push(chunk);
    length += chunk.byteLength;
  }
  const head = new Uint8Array(Math.min(length, SNIFF_BYTES));
  let at = 0;
  for (const chunk of source.head) {
    head.set(chunk.subarray(0, head.length - at), at);
    at += chunk.byteLength;
  }
  let mime: AcceptedMime;
  try {
    mime = judge(head, name);
  } catch (err) {
    // The first bytes are consumed and cannot be put back: close the source rather than leave it half read.
    await source.cancel(err).catch(() => {});
    throw err;
  }
  let used = false;
  return streamUpload(fields, name, mime, () => {
    if (used) throw new InvalidParamsError('A stream can be uploaded only once.', 'file');
    used = true;
    return source;
  });
}

/**
 * A multipart/form-data body (RFC 7578) that pulls file bytes from the source `open` gives as fetch sends them,
 * so memory holds a chunk at a time. Counts the bytes and fails the body if the file grows past the API's limit.
 * Not replayable unless the caller says otherwise (a fresh source per attempt).
 */
export function streamUpload(
  fields: Fields,
  name: string | undefined,
  mime: AcceptedMime,
  open: () => ChunkSource,
): PreparedUpload {
  const boundary = `----hwocr${crypto.getRandomValues(new Uint32Array(4)).join('')}`;
  const encoder = new TextEncoder();
  let preamble = '';
  for (const [key, value] of fields) {
    preamble += `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`;
  }
  // The file name escaped as browsers do (WHATWG HTML, "multipart/form-data encoding algorithm").
  const escaped = (name ?? defaultName(mime)).replace(/[\r\n"]/g, encodeURIComponent);
  preamble += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${escaped}"\r\nContent-Type: ${mime}\r\n\r\n`;
  const upload: PreparedUpload = {
    body() {
      const source = open();
      let started = false;
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!started) {
            started = true;
            return controller.enqueue(encoder.encode(preamble));
          }
          const chunk = source.head.shift() ?? (await source.next());
          if (chunk === undefined) {
            controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
            return controller.close();
          }
          sent += chunk.byteLength;
          if (sent > MAX_FILE_BYTES) {
            const error = new InvalidParamsError(
              'The file is over 20 MB; the API accepts at most 20 MB.',
              'file',
            );
            upload.failure = error;
            await source.cancel(error).catch(() => {});
            return controller.error(error);
          }
          controller.enqueue(chunk);
        },
        cancel: (reason) => source.cancel(reason),
      });
      return { body, contentType: `multipart/form-data; boundary=${boundary}` };
    },
    replayable: false,
    failure: undefined,
  };
  return upload;
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
