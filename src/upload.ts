// Turns an upload's `file` (path, Blob, bytes, or stream) into a multipart body, checking its size and type
// first. Blobs and bytes are handled here; paths and streams, which are never read whole, by io.ts (io.web.ts
// where there is no filesystem).
import type { operations } from '../generated/openapi.js';
import { abortError } from './abort.js';
import { checkFileSize, checkUploadFields, isInstance } from './checks.js';
import { InvalidParamsError } from './errors.js';
import { type AcceptedMime, extensionFor, mimeFromName, SNIFF_BYTES, sniffMime } from './file-type.js';
import { prepareIo } from './io.js';
import type { FileInput, UploadParams } from './types.js';

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
  /** Set when a streamed body failed a check while being sent (e.g. it grew past 20 MB). */
  failure: InvalidParamsError | undefined;
}

/** The text fields sent next to the file, in the API's snake_case. */
export type Fields = [string, string][];

/** The operation's multipart body as the generated types describe it (the file part is a placeholder there). */
export type UploadForm = operations['upload-document']['requestBody']['content']['multipart/form-data'];

/** A checked upload with its fields as the spec types them (for openapi-fetch's typed call). */
export interface CheckedUpload extends PreparedUpload {
  form: UploadForm;
}

/**
 * Checks `params` and prepares the body. Field checks run before the file is touched, so a bad call leaves a
 * stream unread. Throws InvalidParamsError; nothing is sent. An abort of `signal` (already, or while a stream's
 * first bytes are awaited) is an `APIUserAbortError`.
 */
export async function prepareUpload(params: UploadParams, signal?: AbortSignal): Promise<CheckedUpload> {
  const read = checkUploadFields(params);
  if (signal?.aborted) throw abortError(signal);
  const fields: Fields = [];
  for (const key of ['action', 'delete_after', 'extractor_id', 'prompt_id', 'webhook_url'] as const) {
    if (read[key] !== undefined) fields.push([key, String(read[key])]);
  }
  // The values were checked above; the file part is sent by the body serializer, not from here.
  const form = { ...Object.fromEntries(fields), file: '' } as unknown as UploadForm;
  const body = await prepareBody(read.file, fields, read.fileName as string | undefined, signal);
  return Object.assign(body, { form });
}

async function prepareBody(
  file: unknown,
  fields: Fields,
  fileName: string | undefined,
  signal: AbortSignal | undefined,
): Promise<PreparedUpload> {
  if (isInstance(file, Uint8Array) || isInstance(file, ArrayBuffer)) {
    checkFileSize(file.byteLength); // before the copy below
    // Blob copies the bytes once; FormData needs a Blob, and the copy keeps later edits of `file` out.
    return fromBlob(new Blob([file as Uint8Array<ArrayBuffer>]), fields, fileName);
  }
  // isInstance is false where the global is missing (`instanceof undefined` throws, and is caught).
  if (isInstance(file, globalThis.Blob)) {
    return fromBlob(file, fields, fileName ?? ((file as Partial<File>).name || undefined));
  }
  if (typeof file === 'string' || isInstance(file, globalThis.ReadableStream) || isAsyncIterable(file)) {
    return prepareIo(file as FileInput, fields, fileName, signal);
  }
  throw new InvalidParamsError(
    'file must be a path, a Blob/File, a Uint8Array/ArrayBuffer/Buffer, or a ReadableStream/Node Readable.',
    'file',
  );
}

function isAsyncIterable(value: unknown): boolean {
  // null, undefined, a throwing getter or a revoked proxy: the TypeError is caught.
  try {
    return typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
  } catch /* Stryker disable next-line BlockStatement: equivalent: an empty catch returns undefined, as falsy as false */ {
    return false;
  }
}

/** A Blob upload: checked by size and first bytes, and replayable (a 429 may be retried). */
export async function fromBlob(
  blob: Blob,
  fields: Fields,
  name: string | undefined,
): Promise<PreparedUpload> {
  checkFileSize(blob.size);
  const mime = judge(new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()), name);
  // slice() re-types the Blob without copying it.
  return formUpload(blob.slice(0, blob.size, mime), fields, name, mime);
}

/** A FormData body around a Blob: rebuilt per attempt, so it can be retried. */
export function formUpload(
  blob: Blob,
  fields: Fields,
  name: string | undefined,
  mime: AcceptedMime,
): PreparedUpload {
  return {
    body() {
      const form = new FormData();
      for (const [key, value] of fields) form.append(key, value);
      form.append('file', blob, name ?? defaultName(mime));
      return { body: form, contentType: undefined };
    },
    replayable: true,
    failure: undefined,
  };
}

/** The type the first bytes show; every input offers them (a stream is peeked), so the name never overrides them. */
export function judge(head: Uint8Array, name: string | undefined): AcceptedMime {
  if (head.length === 0) throw new InvalidParamsError('The file is empty.', 'file');
  const mime = sniffMime(head);
  if (mime) return mime;
  const hint = !name ? '' : mimeFromName(name) ? ` although its name (${name}) suggests one` : ` (${name})`;
  throw new InvalidParamsError(
    `Unsupported file type${hint}: the API accepts PDF and images (JPEG, PNG, TIFF, HEIC, GIF, BMP, WEBP, AVIF), and the file's first bytes are none of these.`,
    'file',
  );
}

/** `document.<ext>`, the name sent for an input that has none. */
export function defaultName(mime: AcceptedMime): string {
  return `document.${extensionFor(mime)}`;
}
