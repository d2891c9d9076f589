// Turns an upload's `file` (path, Blob, bytes, or stream) into a multipart body, checking its size and type
// first. Paths and streams are never read whole: a path becomes a disk-backed Blob that fetch streams, and a
// stream is peeked for its type and then piped into a streaming multipart body.
import { checkFileSize, checkUploadFields, MAX_FILE_BYTES } from './checks.js';
import { InvalidParamsError } from './errors.js';
import { type AcceptedMime, extensionFor, mimeFromName, SNIFF_BYTES, sniffMime } from './file-type.js';
import type { NodeReadableLike, UploadParams } from './types.js';

/** A request body for one attempt, with what fetch needs to send it. */
export interface UploadBody {
  body: FormData | ReadableStream<Uint8Array>;
  /** The multipart Content-Type when the body is a stream (FormData sets its own). */
  contentType: string | undefined;
}

/** A checked upload, ready to be sent. */
export interface PreparedUpload {
  /** Builds a fresh body; called once per attempt. */
  body(): UploadBody;
  /** Whether the body can be built more than once (false for a stream). */
  replayable: boolean;
  fileName: string;
  mimeType: AcceptedMime;
  /** The file's size, when known up front. */
  size: number | undefined;
  /** Set when a streamed body failed a check while being sent (e.g. it grew past 20 MB). */
  failure: InvalidParamsError | undefined;
}

/** The text fields sent next to the file, in the API's snake_case. */
function fieldsOf(params: UploadParams): [string, string][] {
  const fields: [string, string][] = [['action', params.action]];
  if (params.delete_after !== undefined) fields.push(['delete_after', String(params.delete_after)]);
  if (params.extractor_id !== undefined) fields.push(['extractor_id', params.extractor_id]);
  if (params.webhook_url !== undefined) fields.push(['webhook_url', params.webhook_url]);
  return fields;
}

/**
 * Checks `params` and prepares the body. Field checks run before the file is touched, so a bad call leaves a
 * stream unread. Throws InvalidParamsError; nothing is sent.
 */
export async function prepareUpload(params: UploadParams): Promise<PreparedUpload> {
  checkUploadFields(params);
  const fields = fieldsOf(params);
  const file = params.file;

  if (typeof file === 'string') return fromPath(file, fields, params.fileName);
  if (typeof Blob !== 'undefined' && file instanceof Blob) {
    const name = params.fileName ?? (file as Partial<File>).name ?? undefined;
    return fromBlob(file, fields, name || undefined);
  }
  if (file instanceof Uint8Array || file instanceof ArrayBuffer) {
    const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
    checkFileSize(bytes.byteLength);
    const mime = judge(bytes.subarray(0, SNIFF_BYTES), params.fileName);
    // Blob copies the bytes once; FormData needs a Blob, and the copy keeps later edits of `bytes` out.
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime });
    return formUpload(blob, fields, params.fileName ?? defaultName(mime), mime);
  }
  if (isWebStream(file)) return fromStream(webSource(file), fields, params.fileName);
  if (isAsyncIterable(file)) {
    const name = params.fileName ?? nodeStreamName(file);
    const size = await nodeStreamSize(file);
    checkFileSize(size);
    return fromStream(iterableSource(file), fields, name);
  }
  throw new InvalidParamsError(
    'file must be a path, a Blob/File, a Uint8Array/ArrayBuffer/Buffer, or a ReadableStream/Node Readable.',
    'file',
  );
}

async function fromPath(path: string, fields: [string, string][], fileName: string | undefined) {
  if (path === '') throw new InvalidParamsError('file path is empty.', 'file');
  let fs: typeof import('node:fs');
  try {
    fs = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs');
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
  const head = await readHead(fs, path);
  const mime = judge(head, name);
  if (typeof fs.openAsBlob === 'function') {
    // A disk-backed Blob: fetch streams it from disk, and it can be re-sent on a retry.
    const blob = await fs.openAsBlob(path, { type: mime });
    return formUpload(blob, fields, name, mime);
  }
  // Runtimes without openAsBlob: a fresh read stream per attempt, sent as a streaming multipart body.
  const upload = streamUpload(fields, name, mime, () => iterableSource(fs.createReadStream(path), []));
  upload.replayable = true;
  upload.size = stats.size;
  return upload;
}

async function readHead(fs: typeof import('node:fs'), path: string): Promise<Uint8Array> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const buffer = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function fromBlob(blob: Blob, fields: [string, string][], name: string | undefined) {
  checkFileSize(blob.size);
  const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  const mime = judge(head, name);
  // slice() re-types the Blob without copying it.
  const typed = blob.type === mime ? blob : blob.slice(0, blob.size, mime);
  return formUpload(typed, fields, name ?? defaultName(mime), mime);
}

function formUpload(
  blob: Blob,
  fields: [string, string][],
  fileName: string,
  mimeType: AcceptedMime,
): PreparedUpload {
  return {
    body() {
      const form = new FormData();
      for (const [key, value] of fields) form.append(key, value);
      form.append('file', blob, fileName);
      return { body: form, contentType: undefined };
    },
    replayable: true,
    fileName,
    mimeType,
    size: blob.size,
    failure: undefined,
  };
}

/** Where streamed bytes come from: chunks already read while peeking, then the rest. */
interface ChunkSource {
  head: Uint8Array[];
  next(): Promise<IteratorResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

async function fromStream(source: ChunkSource, fields: [string, string][], fileName: string | undefined) {
  const head = await peek(source);
  let mime: AcceptedMime;
  try {
    mime = judge(head, fileName);
  } catch (err) {
    // The first bytes are consumed and cannot be put back: close the source rather than leave it half read.
    await source.cancel(err).catch(() => {});
    throw err;
  }
  let used = false;
  return streamUpload(fields, fileName ?? defaultName(mime), mime, () => {
    if (used) throw new InvalidParamsError('A stream can be uploaded only once.', 'file');
    used = true;
    return source;
  });
}

// Reads chunks until SNIFF_BYTES are in hand (or the stream ends); the chunks are kept to be sent first.
async function peek(source: ChunkSource): Promise<Uint8Array> {
  let length = 0;
  while (length < SNIFF_BYTES) {
    const { done, value } = await source.next();
    if (done) break;
    if (value.byteLength === 0) continue;
    source.head.push(value);
    length += value.byteLength;
  }
  const head = new Uint8Array(Math.min(length, SNIFF_BYTES));
  let at = 0;
  for (const chunk of source.head) {
    if (at >= head.length) break;
    const part = chunk.subarray(0, head.length - at);
    head.set(part, at);
    at += part.length;
  }
  return head;
}

function streamUpload(
  fields: [string, string][],
  fileName: string,
  mimeType: AcceptedMime,
  open: () => ChunkSource,
): PreparedUpload {
  const boundary = `----hwocr${randomHex(16)}`;
  const upload: PreparedUpload = {
    body() {
      const stream = multipartStream(fields, fileName, mimeType, boundary, open(), (error) => {
        upload.failure = error;
      });
      return { body: stream, contentType: `multipart/form-data; boundary=${boundary}` };
    },
    replayable: false,
    fileName,
    mimeType,
    size: undefined,
    failure: undefined,
  };
  return upload;
}

/**
 * A multipart/form-data body (RFC 7578) that pulls file bytes from `source` as fetch sends them, so memory
 * holds a chunk at a time. Counts the bytes and fails the body if the file grows past the API's limit.
 */
function multipartStream(
  fields: [string, string][],
  fileName: string,
  mimeType: string,
  boundary: string,
  source: ChunkSource,
  onFailure: (error: InvalidParamsError) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let preamble = '';
  for (const [key, value] of fields) {
    preamble += `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`;
  }
  preamble +=
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${escapeQuoted(fileName)}"\r\n` +
    `Content-Type: ${mimeType}\r\n\r\n`;
  let started = false;
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(preamble));
        return;
      }
      const chunk = source.head.shift() ?? (await nextChunk(source));
      if (chunk === undefined) {
        controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
        controller.close();
        return;
      }
      sent += chunk.byteLength;
      if (sent > MAX_FILE_BYTES) {
        const error = new InvalidParamsError(
          'The file is over 20 MB; the API accepts at most 20 MB.',
          'file',
        );
        onFailure(error);
        await source.cancel(error).catch(() => {});
        controller.error(error);
        return;
      }
      controller.enqueue(chunk);
    },
    async cancel(reason) {
      await source.cancel(reason);
    },
  });
}

async function nextChunk(source: ChunkSource): Promise<Uint8Array | undefined> {
  for (;;) {
    const { done, value } = await source.next();
    if (done) return undefined;
    if (value.byteLength > 0) return value;
  }
}

function webSource(stream: ReadableStream<Uint8Array>): ChunkSource {
  const reader = stream.getReader();
  return {
    head: [],
    async next() {
      const result = await reader.read();
      if (result.done) return result;
      return { done: false, value: toBytes(result.value) };
    },
    cancel: (reason) => reader.cancel(reason),
  };
}

function iterableSource(iterable: AsyncIterable<Uint8Array | string>, head: Uint8Array[] = []): ChunkSource {
  const iterator = iterable[Symbol.asyncIterator]();
  return {
    head,
    async next() {
      const result = await iterator.next();
      if (result.done) return { done: true, value: undefined };
      return { done: false, value: toBytes(result.value) };
    },
    async cancel() {
      // return() ends the iteration; for a Node Readable it destroys the stream.
      await iterator.return?.();
    },
  };
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new InvalidParamsError('The file stream yielded something other than bytes.', 'file');
}

// The first bytes decide; every input here offers them (a stream is peeked), so the name never overrides them.
function judge(head: Uint8Array, name: string | undefined): AcceptedMime {
  if (head.length === 0) throw new InvalidParamsError('The file is empty.', 'file');
  const mime = sniffMime(head);
  if (!mime) {
    const hint =
      name && mimeFromName(name) ? ` although its name (${name}) suggests one` : name ? ` (${name})` : '';
    throw new InvalidParamsError(
      `Unsupported file type${hint}: the API accepts PDF, JPEG, PNG, TIFF, HEIC and GIF, and the file's first bytes are none of these.`,
      'file',
    );
  }
  return mime;
}

function defaultName(mime: AcceptedMime): string {
  return `document.${extensionFor(mime)}`;
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

function escapeQuoted(value: string): string {
  // As browsers encode names in multipart bodies (WHATWG HTML, "multipart/form-data encoding algorithm").
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  let out = '';
  for (const byte of buffer) out += byte.toString(16).padStart(2, '0');
  return out;
}

function isWebStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof ReadableStream !== 'undefined' && value instanceof ReadableStream;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array | string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

function nodeStreamName(stream: AsyncIterable<unknown>): string | undefined {
  const path = (stream as Partial<NodeReadableLike>).path;
  return typeof path === 'string' ? basename(path) : undefined;
}

// An fs.ReadStream knows its path: stat it so an oversized file is refused before a byte is sent.
async function nodeStreamSize(stream: AsyncIterable<unknown>): Promise<number | undefined> {
  const path = (stream as Partial<NodeReadableLike> & { start?: number }).path;
  if (typeof path !== 'string' || (stream as { start?: number }).start !== undefined) return undefined;
  try {
    const fs = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs');
    return (await fs.promises.stat(path)).size;
  } catch {
    return undefined;
  }
}
