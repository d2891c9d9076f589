// The main entry's `./io.js` where there is no filesystem (browsers, Workers; every runtime but Node, Deno and
// Bun, chosen by export conditions: see tsup.config.ts and package.json). Streams upload as everywhere; a path
// or `downloadToFile` is a clear InvalidParamsError, and nothing is sent. Responses need no guard.
import { InvalidParamsError } from './errors.js';
import type { FileSink } from './file-sink.js';
import { prepareStream } from './stream-upload.js';
import type { FileInput } from './types.js';
import type { Fields, PreparedUpload } from './upload.js';

/** Prepares an upload from a web `ReadableStream` or an async iterable; a path is refused. */
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
  return prepareStream(file as ReadableStream<unknown> | AsyncIterable<unknown>, fields, fileName, signal);
}

/**
 * `response` as it is: a browser's or a Worker's fetch keeps an abort of the request's signal reaching the body
 * for as long as it is read (Node's does not; see fetch-guard.ts).
 */
export function guard(response: Response, _request: Request): Response {
  return response;
}

/** `downloadToFile` needs a filesystem: refused here. */
export async function fileSink(_path: string): Promise<FileSink> {
  throw new InvalidParamsError(
    'downloadToFile needs a filesystem, which this runtime does not have; use download() or downloadStream().',
    'path',
  );
}
