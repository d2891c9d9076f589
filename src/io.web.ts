// The main entry's `./io.js` where there is no filesystem (browsers, Workers; every runtime but Node, Deno and
// Bun, chosen by export conditions: see tsup.config.ts and package.json). A path or `downloadToFile` is a clear
// InvalidParamsError, and nothing is sent. Responses need no guard.

import { MAX_FILE_BYTES } from './checks.js';
import { type ChunkSource, readChunk, sourceOf, tooLarge } from './chunk-source.js';
import { InvalidParamsError } from './errors.js';
import type { downloadToFile as NodeDownloadToFile } from './file-sink.js';
import type { FileInput } from './types.js';
import { type Fields, fromBlob, type PreparedUpload } from './upload.js';

/**
 * Prepares an upload from a web `ReadableStream` or an async iterable; a path is refused. The stream is read into
 * a Blob first, then sent like one (so a 429 may be retried): Chrome sends a streaming request body only over
 * HTTP/2 or QUIC, Firefox and Safari not at all.
 */
export async function prepareIo(
  file: FileInput,
  fields: Fields,
  fileName: string | undefined,
  signal?: AbortSignal,
): Promise<PreparedUpload> {
  if (typeof file === 'string') {
    throw new InvalidParamsError(
      'A file path needs a filesystem, which this runtime does not have; pass a Blob, File, bytes or a stream.',
      'file',
    );
  }
  return fromBlob(await readWhole(sourceOf(file as ReadableStream<unknown>), signal), fields, fileName);
}

/** Every chunk of `source`, each read under `signal`; past 20 MB the source is cancelled at once. */
async function readWhole(source: ChunkSource, signal: AbortSignal | undefined): Promise<Blob> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (let chunk = await readChunk(source, signal); chunk; chunk = await readChunk(source, signal)) {
    size += chunk.byteLength;
    if (size > MAX_FILE_BYTES) {
      const error = tooLarge();
      await source.cancel(error).catch(() => {});
      throw error;
    }
    chunks.push(chunk as Uint8Array<ArrayBuffer>);
  }
  return new Blob(chunks);
}

/**
 * `response` as it is: a browser's or a Worker's fetch keeps an abort of the request's signal reaching the body
 * for as long as it is read (Node's does not; see fetch-guard.ts).
 */
export function guard(response: Response, _request: Request): Response {
  return response;
}

/** `downloadToFile` needs a filesystem: refused here, whatever its arguments, and nothing is sent. */
export async function downloadToFile(..._args: Parameters<typeof NodeDownloadToFile>): Promise<void> {
  throw new InvalidParamsError(
    'downloadToFile needs a filesystem, which this runtime does not have; use download() or downloadStream().',
    'path',
  );
}
