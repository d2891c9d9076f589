// What the main entry does only under the `node` export condition (Node, Deno, Bun), as its `./io.js`: uploads from
// a file path (checked by `stat` and its first bytes, streamed from disk) or an `fs.ReadStream` (stat'ed first),
// `downloadToFile` (its sink is file-sink.ts), and the guard that Node's fetch needs for aborts to reach response bodies. Browser and Worker builds get io.web.ts instead (see tsup.config.ts), so they
// never see `node:*`. `node:fs` is imported where it is used, keeping the entry free of top-level `node:*`.
import { checkFileSize, readProps } from './checks.js';
import { chunkSource } from './chunk-source.js';
import { InvalidParamsError } from './errors.js';
import { SNIFF_BYTES } from './file-type.js';
import { prepareStream, streamUpload } from './stream-upload.js';
import type { FileInput } from './types.js';
import { type Fields, formUpload, judge, type PreparedUpload } from './upload.js';

export { guard } from './fetch-guard.js';
export { downloadToFile } from './file-sink.js';

/** Prepares an upload from a path, a web `ReadableStream`, or a Node `Readable` (any async iterable). */
export async function prepareIo(
  file: FileInput,
  fields: Fields,
  fileName: string | undefined,
  signal?: AbortSignal,
): Promise<PreparedUpload> {
  if (typeof file === 'string') return fromPath(file, fields, fileName);
  // An fs.ReadStream knows its path: stat it so an oversized file is refused before a byte is sent.
  const { path, start } = readProps(file, 'file', ['path', 'start']);
  if (typeof path === 'string' && start === undefined) checkFileSize(await sizeOf(path));
  const name = fileName ?? (typeof path === 'string' ? basename(path) : undefined);
  return prepareStream(file as ReadableStream<unknown> | AsyncIterable<unknown>, fields, name, signal);
}

/**
 * An upload from a path: checked by `stat` and its first bytes, then sent as a disk-backed Blob that fetch
 * streams from disk and that can be re-sent on a retry.
 */
async function fromPath(path: string, fields: Fields, fileName: string | undefined): Promise<PreparedUpload> {
  if (path === '') throw new InvalidParamsError('file path is empty.', 'file');
  const fs = await import('node:fs');
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

/** The size of the file at `path`, or `undefined` when it cannot be read. */
async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await (await import('node:fs')).promises.stat(path)).size;
  } catch /* Stryker disable next-line BlockStatement: equivalent: an empty catch returns undefined too */ {
    return undefined;
  }
}

/** The last segment of a path (either separator). */
function basename(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
