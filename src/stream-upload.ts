// Uploads from a stream in the Node build (Node, Deno, Bun): the first bytes are peeked to judge the type, then the
// body is a multipart stream that pulls the rest as fetch sends it, never holding the file whole. (The web build
// reads the stream into a Blob instead: see io.web.ts.)

import { MAX_FILE_BYTES } from './checks.js';
import { type ChunkSource, readChunk, sourceOf, tooLarge } from './chunk-source.js';
import { InvalidParamsError } from './errors.js';
import { type AcceptedMime, SNIFF_BYTES } from './file-type.js';
import { defaultName, type Fields, judge, type PreparedUpload } from './upload.js';

/**
 * Prepares an upload from a web `ReadableStream` or an async iterable (a Node `Readable`). An abort of `signal`
 * while the first bytes are awaited cancels the stream and rejects with `APIUserAbortError`.
 */
export async function prepareStream(
  file: ReadableStream<unknown> | AsyncIterable<unknown>,
  fields: Fields,
  name: string | undefined,
  signal?: AbortSignal,
): Promise<PreparedUpload> {
  const source = sourceOf(file);
  // Read chunks until SNIFF_BYTES are in hand (or the stream ends); they are kept to be sent first.
  let length = 0;
  while (length < SNIFF_BYTES) {
    const chunk = await readChunk(source, signal);
    if (!chunk) break;
    source.head.push(chunk);
    length += chunk.byteLength;
  }
  // Each chunk cut to SNIFF_BYTES first: a stream's first chunk may be the whole file, not worth copying.
  const chunks = source.head.map((chunk) => chunk.subarray(0, SNIFF_BYTES) as Uint8Array<ArrayBuffer>);
  const head = new Uint8Array(await new Blob(chunks).slice(0, SNIFF_BYTES).arrayBuffer());
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
            const error = tooLarge();
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
