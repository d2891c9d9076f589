// Downloading results: whole (typed by format), as a stream, or to a file written atomically (file-sink.ts, Node
// only). One request path for the three: GET /documents/{id}.{format} with `Accept` set to the format's media type, the body checked and
// read inside the attempt, and a 202 (still processing) turned into NotReadyError.
import { checkFormat, checkId, isArray, readProps } from './checks.js';
import { InvalidParamsError, NotReadyError } from './errors.js';
import { MEDIA_TYPES } from './formats.js';
import { type Expectation, parsePending, readShaped, unexpected } from './responses.js';
import { parseRetryAfter } from './retry-after.js';
import type { ReadContext, Transport } from './transport.js';
import type { Action, DocumentResult, DownloadFormat, RequestOptions } from './types.js';

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
  return fetchResult(t, document, format, options, async (response, _context, expect) => {
    if (format === 'json') return readShaped(response, 'document', expect);
    const bytes = new Uint8Array(await response.arrayBuffer());
    refuseWrongFormat(response, format, bytes, expect);
    return MEDIA_TYPES[format].startsWith('text/') ? new TextDecoder().decode(bytes) : bytes;
  });
}

/**
 * Opens the result as a web `ReadableStream` of bytes. The timeout covers the wait for the first bytes (which are
 * checked), then each stall between chunks; the caller's signal can still abort the body.
 */
export function downloadStream(
  t: Transport,
  document: string | DocumentRef,
  format: DownloadFormat,
  options: RequestOptions | undefined,
): Promise<ReadableStream<Uint8Array>> {
  return fetchResult(t, document, format, options, async (response, context, expect) =>
    context.handover(await checkedBody(response, format, expect)),
  );
}

/**
 * GET /documents/{id}.{format}, with `Accept: <the format's media type>` (and `application/json`, for error
 * bodies). `read` consumes a 2xx body inside the attempt, so a body that breaks off is retried and reported like
 * any failed request; a 202's small body is read there too, and the call rejects with NotReadyError.
 */
export async function fetchResult<T>(
  t: Transport,
  document: string | DocumentRef,
  format: DownloadFormat,
  options: RequestOptions | undefined,
  read: (response: Response, context: ReadContext, expect: Expectation) => Promise<T>,
): Promise<T> {
  const [id, action] = refOf(document);
  checkId(id);
  checkFormat(format, action);
  const accept = format === 'json' ? MEDIA_TYPES.json : `${MEDIA_TYPES[format]}, application/json`;
  const call = `GET /documents/${id}.${format}`;
  const { data } = await t.run(
    {
      method: 'GET',
      path: `/documents/${id}.${format}`,
      // Stryker disable next-line StringLiteral: shouldRetry takes any rule but never/rejected-only as this one
      retry: 'idempotent',
    },
    options,
    (init) =>
      t.api.GET('/documents/{id}.{format}', {
        params: { path: { id, format } },
        parseAs: 'stream',
        ...init,
        headers: { Accept: accept, ...init.headers },
      }),
    async (response, context) => {
      if (response.status === 202) {
        throw new NotReadyError(
          id,
          parseRetryAfter(response.headers.get('retry-after')),
          parsePending(await response.text()),
        );
      }
      return read(response, context, { call, scrub: context.scrub });
    },
  );
  return data;
}

const ZIP = [0x50, 0x4b]; // "PK": docx and xlsx are zip archives
const HTML = /^\s*<(!doctype\s+html|html[\s>])/i;

/**
 * Refuses a body that is plainly not the result, judged by its first bytes and its Content-Type, without refusing
 * media types the API might really send (they are not documented): an HTML page (a captive portal, a login page),
 * a JSON body instead of txt/csv/docx/xlsx, docx/xlsx bytes that are not a zip archive, a 204.
 */
function refuseWrongFormat(
  response: Response,
  format: Exclude<DownloadFormat, 'json'>, // json is read whole and checked as a document instead
  head: Uint8Array,
  expect: Expectation,
) {
  // Stryker disable next-line OptionalChaining: split() always returns at least one element
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const start = new TextDecoder().decode(head.subarray(0, 64));
  let problem: string | undefined;
  if (response.status === 204) problem = `no content, not ${format}`;
  else if (type === 'text/html' || type === 'application/xhtml+xml' || HTML.test(start))
    problem = 'an HTML page';
  else if (type === 'application/json' || type.endsWith('+json')) {
    problem = `a JSON body, not ${format}`;
  } else if ((format === 'docx' || format === 'xlsx') && !ZIP.every((byte, i) => head[i] === byte)) {
    problem =
      head.length === 0 ? `an empty body, not ${format}` : `bytes that are not a ${format} (zip) file`;
  }
  // The error keeps the body scrubbed, then cut (keptBody). Cut to 64 characters first, an echoed token was cut
  // through and a piece of it kept; 16 KiB is far more than is kept, so a cut there cannot land within it.
  if (problem)
    throw unexpected(response, problem, expect, new TextDecoder().decode(head.subarray(0, 16_384)));
}

/**
 * The body, checked before any of it is handed on: json is read whole and checked as a document; other formats
 * by their first bytes, which are put back in front of the rest.
 */
export async function checkedBody(
  response: Response,
  format: DownloadFormat,
  expect: Expectation,
): Promise<ReadableStream<Uint8Array>> {
  if (format === 'json') {
    const document = await readShaped(response, 'document', expect);
    return new Blob([JSON.stringify(document)]).stream();
  }
  const reader = (response.body ?? new Blob([]).stream()).getReader();
  const head: Uint8Array[] = [];
  let length = 0;
  // The first chunk, or the first four bytes of a zip: enough to judge, without waiting on a slow body.
  const need = format === 'docx' || format === 'xlsx' ? ZIP.length : 1;
  while (length < need) {
    const { done, value } = await reader.read();
    if (done) break;
    head.push(value);
    length += value.byteLength;
  }
  const first = new Uint8Array(await new Blob(head as Uint8Array<ArrayBuffer>[]).arrayBuffer());
  try {
    refuseWrongFormat(response, format, first, expect);
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err;
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.byteLength > 0) controller.enqueue(first);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** The id and, for a document, its action; anything else is refused. */
export function refOf(document: unknown): [unknown, Action | undefined] {
  if (typeof document === 'string') return [document, undefined];
  if (typeof document === 'object' && document !== null && !isArray(document)) {
    const { id, action } = readProps(document, 'document', ['id', 'action']);
    return [id, typeof action === 'string' ? (action as Action) : undefined];
  }
  throw new InvalidParamsError('Pass a document id or a document with `id` and `action`.', 'id');
}
