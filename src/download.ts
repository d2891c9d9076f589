// Downloading results: whole (typed by format), as a stream, or to a file written atomically. One request path
// for the three: GET /documents/{id}.{format} with `Accept` set to the format's media type, the body read inside
// the attempt, and a 202 (still processing) turned into NotReadyError.
import { checkFormat, checkId } from './checks.js';
import { InvalidParamsError, NotReadyError } from './errors.js';
import { MEDIA_TYPES } from './formats.js';
import { fileSink } from './io.js';
import { parseRetryAfter } from './retry-after.js';
import type { Answer, Transport } from './transport.js';
import type { Action, DocumentResult, DownloadFormat, PendingDocument, RequestOptions } from './types.js';

/** Something that names a document and its action, e.g. a `Document` from `list()` or a `DocumentResult`. */
export interface DocumentRef<A extends Action = Action> {
  id: string;
  action: A;
}

/** Downloads the whole result; the value's type follows the format (see `DownloadResult`). */
export function downloadWhole(
  t: Transport,
  document: string | DocumentRef,
  format: DownloadFormat,
  options: RequestOptions | undefined,
): Promise<string | Uint8Array | DocumentResult> {
  return fetchResult(t, document, format, options, async (response) =>
    format === 'json'
      ? ((await response.json()) as DocumentResult)
      : MEDIA_TYPES[format].startsWith('text/')
        ? response.text()
        : new Uint8Array(await response.arrayBuffer()),
  );
}

/**
 * Opens the result as a web `ReadableStream` of bytes. The timeout covers the wait for the response headers;
 * the caller's signal can still abort the body.
 */
export function downloadStream(
  t: Transport,
  document: string | DocumentRef,
  format: DownloadFormat,
  options: RequestOptions | undefined,
): Promise<ReadableStream<Uint8Array>> {
  return fetchResult(t, document, format, options, async (response) => bodyOf(response));
}

/**
 * Writes the result to `path` atomically: the bytes go to a temporary file in the same directory, which is
 * renamed over `path` once complete. A failed or aborted download leaves neither a partial file nor the temp.
 * Each attempt restarts the temp file, so a connection dropped mid-body is retried like any GET.
 */
export async function downloadToFile(
  t: Transport,
  document: string | DocumentRef,
  format: DownloadFormat,
  path: string,
  options: RequestOptions | undefined,
): Promise<void> {
  if (typeof path !== 'string' || path === '')
    throw new InvalidParamsError('path must be a file path.', 'path');
  const [id, action] = refOf(document);
  checkId(id);
  checkFormat(format, action);
  const sink = await fileSink(path);
  try {
    await fetchResult(t, id, format, options, (response) => sink.write(bodyOf(response)));
    await sink.commit();
  } finally {
    await sink.discard();
  }
}

/**
 * GET /documents/{id}.{format}, with `Accept: <the format's media type>` (and `application/json`, for error
 * bodies). `read` consumes a 2xx body inside the attempt, so a body that breaks off is retried and reported like
 * any failed request; a 202's small body is read there too, and the call rejects with NotReadyError.
 */
async function fetchResult<T>(
  t: Transport,
  document: string | DocumentRef,
  format: DownloadFormat,
  options: RequestOptions | undefined,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const [id, action] = refOf(document);
  checkId(id);
  checkFormat(format, action);
  const accept = format === 'json' ? MEDIA_TYPES.json : `${MEDIA_TYPES[format]}, application/json`;
  const { data, response } = await t.run(
    { method: 'GET', path: `/documents/${id}.${format}`, retry: 'idempotent' },
    options,
    async (init): Promise<Answer<T | string>> => {
      const answer = await t.api.GET('/documents/{id}.{format}', {
        params: { path: { id, format } },
        parseAs: 'stream',
        ...init,
        headers: { Accept: accept, ...init.headers },
      });
      const { response } = answer;
      if (!response.ok) return { error: answer.error, response }; // mapped to an APIError by the transport
      return { data: response.status === 202 ? await response.text() : await read(response), response };
    },
  );
  if (response.status === 202) {
    throw new NotReadyError(
      id,
      parseRetryAfter(response.headers.get('retry-after')),
      parsePending(data as string),
    );
  }
  return data as T;
}

function bodyOf(response: Response): ReadableStream<Uint8Array> {
  return response.body ?? new ReadableStream({ start: (c) => c.close() });
}

/** The id and, for a document, its action; anything else is refused. */
export function refOf(document: string | DocumentRef): [string, Action | undefined] {
  if (typeof document === 'string') return [document, undefined];
  if (typeof document === 'object' && document !== null) return [document.id, document.action];
  throw new InvalidParamsError('Pass a document id or a document with `id` and `action`.', 'id');
}

/** The 202 body, when it is the JSON object the spec describes; the API may send less, or nothing. */
export function parsePending(text: string | undefined): PendingDocument | undefined {
  const value = parseJson(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as PendingDocument)
    : undefined;
}

/** A body parsed as JSON when it is JSON, else the raw text; `undefined` when empty. */
export function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
