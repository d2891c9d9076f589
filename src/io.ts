// Uploads from a file path or a stream, and `downloadToFile`'s atomic write: the I/O-bound bodies, never held
// in memory whole. The main entry loads this module with a dynamic import() only when one of them is used (an
// upload of a Blob or bytes, and every other call, never needs it), so it is a chunk of its own in ESM bundles.
// `node:*` modules are imported lazily too, with hints that keep web bundlers from trying to resolve them.
import { checkFileSize, MAX_FILE_BYTES, readProps } from './checks.js';
import { InvalidParamsError, LocalFileError } from './errors.js';
import { type AcceptedMime, SNIFF_BYTES } from './file-type.js';
import type { FileInput } from './types.js';
import { defaultName, type Fields, formUpload, judge, type PreparedUpload } from './upload.js';

type Fs = typeof import('node:fs');

const loadFs = (): Promise<Fs> => import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs');

/** Where streamed bytes come from: chunks already read while peeking, then the rest. */
interface ChunkSource {
  head: Uint8Array[];
  /** The next non-empty chunk, or `undefined` at the end. */
  next(): Promise<Uint8Array | undefined>;
  cancel(reason?: unknown): Promise<void>;
}

/** Prepares an upload from a path, a web `ReadableStream`, or a Node `Readable` (any async iterable). */
export async function prepareIo(
  file: FileInput,
  fields: Fields,
  fileName: string | undefined,
): Promise<PreparedUpload> {
  if (typeof file === 'string') return fromPath(file, fields, fileName);
  if (typeof ReadableStream !== 'undefined' && file instanceof ReadableStream) {
    if (file.locked)
      throw new InvalidParamsError('The file stream is locked: something else is reading it.', 'file');
    const reader = (file as ReadableStream<unknown>).getReader();
    return fromStream(
      chunkSource({ next: () => reader.read(), return: (r) => reader.cancel(r) }),
      fields,
      fileName,
    );
  }
  // An fs.ReadStream knows its path: stat it so an oversized file is refused before a byte is sent.
  const { path, start } = readProps(file, 'file', ['path', 'start']);
  if (typeof path === 'string' && start === undefined) checkFileSize(await sizeOf(path));
  const name = fileName ?? (typeof path === 'string' ? basename(path) : undefined);
  const iterator: Partial<AsyncIterator<unknown>> | null = (file as AsyncIterable<unknown>)[
    Symbol.asyncIterator
  ]();
  if (typeof iterator?.next !== 'function') {
    throw new InvalidParamsError('file is an async iterable whose iterator has no next() method.', 'file');
  }
  return fromStream(chunkSource(iterator as AsyncIterator<unknown>), fields, name);
}

/**
 * An upload from a path: checked by `stat` and its first bytes, then sent as a disk-backed Blob that fetch
 * streams from disk and that can be re-sent on a retry.
 */
async function fromPath(path: string, fields: Fields, fileName: string | undefined): Promise<PreparedUpload> {
  if (path === '') throw new InvalidParamsError('file path is empty.', 'file');
  let fs: Fs;
  try {
    fs = await loadFs();
  } catch {
    throw new InvalidParamsError(
      'A file path needs a filesystem; pass a Blob, bytes or a stream instead.',
      'file',
    );
  }
  let stats: import('node:fs').Stats;
  try {
    stats = await fs.promises.stat(path);
  } catch (err) {
    throw new InvalidParamsError(`Cannot read ${path}: ${(err as Error).message}`, 'file');
  }
  if (!stats.isFile()) throw new InvalidParamsError(`${path} is not a file.`, 'file');
  checkFileSize(stats.size);
  const name = fileName ?? basename(path);
  const handle = await fs.promises.open(path, 'r');
  let head: Uint8Array;
  try {
    const buffer = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const mime = judge(head, name);
  if (typeof fs.openAsBlob === 'function') {
    return formUpload(await fs.openAsBlob(path, { type: mime }), fields, name, mime);
  }
  // Runtimes without openAsBlob: a fresh read stream per attempt, sent as a streaming multipart body.
  const upload = streamUpload(fields, name, mime, () =>
    chunkSource(fs.createReadStream(path)[Symbol.asyncIterator]()),
  );
  upload.replayable = true;
  return upload;
}

async function fromStream(source: ChunkSource, fields: Fields, name: string | undefined) {
  // Read chunks until SNIFF_BYTES are in hand (or the stream ends); they are kept to be sent first.
  let length = 0;
  while (length < SNIFF_BYTES) {
    const chunk = await source.next();
    if (!chunk) break;
    source.head.push(chunk);
    length += chunk.byteLength;
  }
  const head = new Uint8Array(Math.min(length, SNIFF_BYTES));
  let at = 0;
  for (const chunk of source.head) {
    if (at >= head.length) break;
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
function streamUpload(
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
function chunkSource(iterator: {
  next(): Promise<IteratorResult<unknown>>;
  return?(reason?: unknown): Promise<unknown>;
}): ChunkSource {
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
    // return() ends the iteration; for a Node Readable it destroys the stream.
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  };
}

/** The size of the file at `path`, or `undefined` when it cannot be read. */
async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await (await loadFs()).promises.stat(path)).size;
  } catch {
    return undefined;
  }
}

/** The last segment of a path (either separator). */
function basename(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** Where `downloadToFile` writes: a temp file next to `path`, renamed over it once complete. */
export interface FileSink {
  /** Writes a body to the temp file, from its start (each attempt rewrites it). */
  write(body: ReadableStream<Uint8Array>): Promise<void>;
  /** Renames the temp file over `path`. */
  commit(): Promise<void>;
  /** Closes and removes the temp file, if any. Never throws. */
  discard(): Promise<void>;
}

/**
 * A {@link FileSink} for `path`. The temp file is created here, before any request, in the same directory (a
 * rename within one filesystem is atomic): a path that is a directory or cannot be written is an
 * InvalidParamsError with nothing sent. It is synced before the rename makes it visible. A disk failure while
 * writing is a {@link LocalFileError} (never retried); a failure of the body is the network's, and is retried.
 */
export async function fileSink(path: string): Promise<FileSink> {
  let fs: Fs;
  try {
    fs = await loadFs();
  } catch {
    throw new InvalidParamsError(
      'downloadToFile needs a filesystem; use download() or downloadStream() instead.',
      'path',
    );
  }
  const { dirname, basename, join, sep } = await import(
    /* webpackIgnore: true */ /* @vite-ignore */ 'node:path'
  );
  const existing = await fs.promises.stat(path).catch(() => undefined);
  // A trailing separator names a directory, existing or not: the rename would fail after the download.
  if (existing?.isDirectory() || path.endsWith('/') || path.endsWith(sep)) {
    throw new InvalidParamsError(`${path} is a directory; downloadToFile needs a file path.`, 'path');
  }
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  // The name's start only: the whole name plus the suffix could pass the filesystem's 255-byte limit.
  const temp = join(dirname(path), `.${basename(path).slice(0, 32)}.${suffix}.part`);
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await fs.promises.open(temp, 'wx', 0o644);
  } catch (err) {
    throw new InvalidParamsError(`Cannot write ${path}: ${(err as Error).message}`, 'path');
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  const disk = (err: unknown) =>
    new LocalFileError(`Writing ${path} failed: ${(err as Error).message}`, { cause: err });
  return {
    async write(body) {
      const reader = body.getReader();
      try {
        await handle.truncate(0);
        let position = 0;
        for (;;) {
          const { done, value } = await reader.read(); // network failures surface here, as connection errors
          if (done) break;
          await handle.write(value, 0, value.byteLength, position);
          position += value.byteLength;
        }
        await handle.sync(); // on disk before the rename makes it visible
      } catch (err) {
        await reader.cancel().catch(() => {});
        if (err instanceof Error && 'syscall' in err) throw disk(err);
        throw err;
      }
    },
    async commit() {
      try {
        await close();
        await fs.promises.rename(temp, path);
      } catch (err) {
        throw disk(err);
      }
    },
    async discard() {
      await close().catch(() => {});
      await fs.promises.rm(temp, { force: true }).catch(() => {});
    },
  };
}
