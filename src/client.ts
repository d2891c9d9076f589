// The client and its resources: each method checks its input, then hands one typed openapi-fetch call to the
// transport, which owns retries, timeouts, logging and error mapping.
import {
  checkBaseUrl,
  checkClientOptions,
  checkId,
  checkListParams,
  checkMaxRetries,
  checkRequestOptions,
  checkTimeoutMs,
  checkTopup,
} from './checks.js';
import { type DocumentRef, downloadStream, downloadWhole } from './download.js';
import { HandwritingOCRError, uploadedButFailed } from './errors.js';
import type { DownloadResult, FormatFor } from './formats.js';
import { downloadToFile } from './io.js';
import { Log } from './log.js';
import { documentPages, type PagePromise } from './pagination.js';
import { checkWaitOptions, type Polled, waitFor } from './polling.js';
import { checkShape, parseBody, parsePending, readShaped } from './responses.js';
import { parseRetryAfter } from './retry-after.js';
import { scrubberFor } from './secrets.js';
import { fetchThumbnail } from './thumbnails.js';
import { type Result, Transport } from './transport.js';
import type {
  Action,
  ClientOptions,
  Document,
  DocumentList,
  DocumentResult,
  DownloadFormat,
  ListParams,
  PendingDocument,
  PendingStatus,
  ProcessingDocument,
  RequestOptions,
  Thumbnail,
  TopupParams,
  TopupResult,
  UploadedDocument,
  UploadParams,
  User,
  WaitOptions,
} from './types.js';
import { prepareUpload } from './upload.js';

/** The API's production root. */
export const DEFAULT_BASE_URL = 'https://api.handwritingocr.com/v3';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The Handwriting OCR API client.
 *
 * @example
 * ```ts
 * import { HandwritingOCR } from 'handwriting-ocr';
 *
 * const client = new HandwritingOCR(); // reads HANDWRITING_OCR_API_TOKEN
 * const doc = await client.documents.uploadAndWait({ file: './letter.pdf', action: 'transcribe' });
 * console.log(await client.documents.download(doc.id, 'txt'));
 * ```
 */
export class HandwritingOCR {
  /** Upload, list, retrieve, download, wait for and delete documents. */
  readonly documents: Documents;
  /** The account. */
  readonly users: Users;
  /** Buying page credits. */
  readonly credits: Credits;
  /** The API root in use (no trailing slash). */
  readonly baseUrl: string;
  /** Default retries per call. */
  readonly maxRetries: number;
  /** Default per-attempt timeout, in ms. */
  readonly timeoutMs: number;

  /**
   * @throws HandwritingOCRError when no token is given nor set in `HANDWRITING_OCR_API_TOKEN`, or when
   *   `baseUrl` is not https (http is allowed on loopback only).
   */
  constructor(clientOptions: ClientOptions = {}) {
    const options = checkClientOptions(clientOptions);
    const token = (options.apiToken ?? readEnv('HANDWRITING_OCR_API_TOKEN'))?.trim();
    if (!token) {
      throw new HandwritingOCRError(
        'No API token: pass the `apiToken` option to new HandwritingOCR(), or set the HANDWRITING_OCR_API_TOKEN environment variable.',
      );
    }
    // Refuse what a header cannot carry here, where the message can leave the token out.
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw new HandwritingOCRError(
        'The API token contains characters that cannot be sent in an HTTP header.',
      );
    }
    this.baseUrl = checkBaseUrl(options.baseUrl ?? readEnv('HANDWRITING_OCR_BASE_URL') ?? DEFAULT_BASE_URL);
    this.maxRetries = options.maxRetries ?? 2;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    checkMaxRetries(this.maxRetries);
    checkTimeoutMs(this.timeoutMs);
    const transport = new Transport({
      token,
      baseUrl: this.baseUrl,
      fetch: options.fetch,
      maxRetries: this.maxRetries,
      timeoutMs: this.timeoutMs,
      defaultHeaders: options.defaultHeaders,
      log: new Log(options.logger ?? console, options.logLevel, scrubberFor(token)),
    });
    this.documents = new Documents(transport);
    this.users = new Users(transport);
    this.credits = new Credits(transport);
  }

  /** A safe summary (never the token). */
  toJSON(): { baseUrl: string; maxRetries: number; timeoutMs: number } {
    return { baseUrl: this.baseUrl, maxRetries: this.maxRetries, timeoutMs: this.timeoutMs };
  }

  /** A safe summary (never the token). */
  toString(): string {
    return `HandwritingOCR { baseUrl: '${this.baseUrl}' }`;
  }

  /** What `util.inspect` / `console.log` show (never the token). */
  [INSPECT](): string {
    return this.toString();
  }
}

/** `client.documents`: upload, list, retrieve, download, wait for and delete documents. */
export class Documents {
  readonly #t: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /**
   * Uploads a file for processing. Checks everything it can first (action, extractor id, `delete_after`, size,
   * type by first bytes) and throws `InvalidParamsError` without sending anything when a check fails.
   * Retried only on 429: a 5xx or dropped connection leaves the outcome unknown, and a second upload costs
   * credits twice. A stream sent as it is read (Node, Deno, Bun) cannot be replayed, so it is never retried; in
   * browsers and Workers a stream is read into a Blob first, and retried on 429 like one.
   *
   * @example
   * ```ts
   * const { id } = await client.documents.upload({ file: './scan.pdf', action: 'transcribe', delete_after: 3600 });
   * ```
   */
  async upload(params: UploadParams, options?: RequestOptions): Promise<UploadedDocument> {
    // The options are read first, so a bad one leaves a stream unread and the signal covers its first bytes; the
    // checked copy goes on, so the caller's object is read once.
    options = checkRequestOptions(options);
    const prepared = await prepareUpload(params, options.signal);
    const t = this.#t;
    const { data } = await t.run(
      { method: 'POST', path: '/documents', retry: 'rejected-only', replayable: prepared.replayable },
      options,
      async (init) => {
        const { body, contentType } = prepared.body();
        try {
          return await t.api.POST('/documents', {
            // The typed fields keep the request in step with the spec; the serializer sends the multipart body.
            body: prepared.form,
            bodySerializer: () => body,
            parseAs: 'stream',
            signal: init.signal,
            headers: contentType ? { ...init.headers, 'Content-Type': contentType } : init.headers,
            redirect: uploadRedirectMode(),
            ...(contentType ? { duplex: 'half' } : {}),
          });
        } catch (err) {
          throw prepared.failure ?? err;
        }
      },
      (response, { scrub }) =>
        readShaped(response, 'uploaded', {
          call: 'POST /documents',
          note: 'the upload may have been accepted and its pages charged: check documents.list() before uploading again',
          scrub,
        }),
    );
    return data;
  }

  /**
   * Lists documents, newest first. Await it for one page; iterate it with `for await` for every document of
   * every page (one request per page, one page in memory at a time).
   *
   * @example
   * ```ts
   * const page = await client.documents.list({ per_page: 20 });
   * for await (const doc of client.documents.list()) console.log(doc.id, doc.status);
   * ```
   */
  list(params?: ListParams, options?: RequestOptions): PagePromise<DocumentList, Document> {
    const t = this.#t;
    const get = async (query: ListParams): Promise<DocumentList> => {
      const { data } = await t.run(
        {
          method: 'GET',
          path: '/documents',
          // Stryker disable next-line StringLiteral: equivalent: shouldRetry treats every rule but 'never' and 'rejected-only' as idempotent
          retry: 'idempotent',
        },
        options,
        (init) => t.api.GET('/documents', { params: { query }, parseAs: 'stream', ...init }),
        (response, { scrub }) => readShaped(response, 'list', { call: 'GET /documents', scrub }),
      );
      return data;
    };
    // Read and checked once: later pages reuse the checked copy, never the caller's object.
    const checked = (async () => checkListParams(params))();
    return documentPages(checked.then(get), async (page) => get({ ...(await checked), page }));
  }

  /**
   * A document's status and, once processed, its results. A 202 (still processing) resolves to a
   * {@link ProcessingDocument}; check `status === 'processed'` to narrow to the result, then `action`.
   *
   * @example
   * ```ts
   * const doc = await client.documents.retrieve(id);
   * if (doc.status === 'processed' && doc.action === 'transcribe') console.log(doc.results?.[0]?.transcript);
   * ```
   */
  async retrieve(id: string, options?: RequestOptions): Promise<DocumentResult | ProcessingDocument> {
    return (await this.#get(id, options)).data;
  }

  /**
   * Downloads a processed result. The resolved type follows the format: `'json'` → the typed result,
   * `'txt'`/`'csv'` → `string`, `'docx'`/`'xlsx'` → `Uint8Array`. Pass a document (anything with `id` and
   * `action`) instead of an id to have the format checked against its action, at compile time and before sending.
   * Rejects with `NotReadyError` while the document is processing.
   *
   * @example
   * ```ts
   * const text = await client.documents.download(id, 'txt'); // string
   * const sheet = await client.documents.download(doc, 'xlsx'); // Uint8Array; doc.action must offer xlsx
   * ```
   */
  download<A extends Action, F extends FormatFor<A>>(
    document: DocumentRef<A>,
    format: F,
    options?: RequestOptions,
  ): Promise<DownloadResult<F, A>>;
  download<F extends DownloadFormat>(
    id: string,
    format: F,
    options?: RequestOptions,
  ): Promise<DownloadResult<F>>;
  download(
    document: string | DocumentRef,
    format: DownloadFormat,
    options?: RequestOptions,
  ): Promise<string | Uint8Array | DocumentResult> {
    return downloadWhole(this.#t, document, format, options);
  }

  /**
   * Opens a result as a web `ReadableStream` of bytes, for large results. `timeoutMs` covers the wait for the
   * response headers; `signal` can abort the body too.
   */
  downloadStream<A extends Action>(
    document: DocumentRef<A>,
    format: FormatFor<A>,
    options?: RequestOptions,
  ): Promise<ReadableStream<Uint8Array>>;
  downloadStream(
    id: string,
    format: DownloadFormat,
    options?: RequestOptions,
  ): Promise<ReadableStream<Uint8Array>>;
  downloadStream(
    document: string | DocumentRef,
    format: DownloadFormat,
    options?: RequestOptions,
  ): Promise<ReadableStream<Uint8Array>> {
    return downloadStream(this.#t, document, format, options);
  }

  /**
   * Writes a result to `path` (Node, Deno, Bun) atomically: a temp file in the same directory is renamed into
   * place once complete; a failed or aborted download leaves no partial file and no temp behind.
   *
   * @example
   * ```ts
   * await client.documents.downloadToFile(id, 'docx', './letter.docx');
   * ```
   */
  downloadToFile<A extends Action>(
    document: DocumentRef<A>,
    format: FormatFor<A>,
    path: string,
    options?: RequestOptions,
  ): Promise<void>;
  downloadToFile(id: string, format: DownloadFormat, path: string, options?: RequestOptions): Promise<void>;
  downloadToFile(
    document: string | DocumentRef,
    format: DownloadFormat,
    path: string,
    options?: RequestOptions,
  ): Promise<void> {
    return downloadToFile(this.#t, document, format, path, options);
  }

  /**
   * Polls until the document is processed, and resolves with it. Waits `pollIntervalMs` growing to
   * `maxPollIntervalMs` (15 s to 30 s against the API, 2 s to 15 s against a loopback `baseUrl`; at least 1 s
   * against a remote one whatever the options), or longer when `Retry-After` asks; a 429 or 5xx is waited out
   * like a pending poll. Rejects with `DocumentFailedError` on `failed`, `WaitTimeoutError` after `timeoutMs`
   * (10 min; retries of a poll included), `APIUserAbortError` as soon as `signal` aborts.
   *
   * @example
   * ```ts
   * const doc = await client.documents.waitForProcessing(id, { onStatus: (s) => console.log(s) });
   * ```
   */
  async waitForProcessing(id: string, options?: WaitOptions): Promise<DocumentResult> {
    checkId(id);
    return waitFor(id, (o, deadline) => this.#poll(id, o, deadline), options, {
      baseUrl: this.#t.baseUrl,
      requestTimeoutMs: this.#t.timeoutMs,
    });
  }

  /**
   * Uploads, then waits for processing (see {@link Documents.waitForProcessing}); `timeoutMs` bounds the wait.
   * The first poll comes `pollIntervalMs` after the upload (default 10 s against the API, 2 s on loopback).
   * A 404 in the first 30 s after the upload is treated as pending (the API has been seen to lag). The wait options
   * are checked before the upload. Once the upload was accepted, every error this throws carries the uploaded
   * (and paid-for) document's `id`, and its message says the document was uploaded; `onUploaded` hears of the
   * document as soon as it exists.
   *
   * @example
   * ```ts
   * const doc = await client.documents.uploadAndWait({ file: blob, action: 'tables' }, { timeoutMs: 300_000 });
   * ```
   */
  async uploadAndWait(params: UploadParams, options?: WaitOptions): Promise<DocumentResult> {
    const wait = checkWaitOptions(options); // before the upload: a bad option must not cost credits
    const uploaded = await this.upload(params, {
      signal: wait.signal,
      headers: wait.headers,
      maxRetries: wait.maxRetries,
      timeoutMs: wait.requestTimeoutMs,
    });
    const { id } = uploaded;
    try {
      wait.onUploaded?.(uploaded);
      return await waitFor(id, (o, deadline) => this.#poll(id, o, deadline), wait, {
        baseUrl: this.#t.baseUrl,
        requestTimeoutMs: this.#t.timeoutMs,
        afterUpload: true,
        tolerateNotFoundMs: 30_000,
      });
    } catch (err) {
      // The upload went through and is paid for: whatever went wrong since, say which document it was.
      throw uploadedButFailed(err, id);
    }
  }

  /**
   * Deletes a document and its files for good. Resolves on any 2xx. Never follows a redirect.
   *
   * @example
   * ```ts
   * await client.documents.delete(doc.id);
   * ```
   */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    checkId(id);
    const t = this.#t;
    await t.run(
      {
        method: 'DELETE',
        path: `/documents/${id}`,
        // Stryker disable next-line StringLiteral: equivalent: shouldRetry treats every rule but 'never' and 'rejected-only' as idempotent
        retry: 'idempotent',
      },
      options,
      (init) => t.api.DELETE('/documents/{id}', { params: { path: { id } }, parseAs: 'stream', ...init }),
      // Any 2xx means deleted, whatever its body says.
      async (response) => {
        await response.body?.cancel().catch(() => {});
      },
    );
  }

  /**
   * Fetches a page thumbnail (`document.thumbnails[n]` or its `url`) with the token. The token only goes to the
   * origin of `baseUrl`: a URL elsewhere is refused with `InvalidParamsError` before anything is sent.
   *
   * @example
   * ```ts
   * const doc = await client.documents.retrieve(id);
   * const jpeg = doc.thumbnails?.[0] && (await client.documents.thumbnail(doc.thumbnails[0]));
   * ```
   */
  async thumbnail(thumbnail: Thumbnail | string, options?: RequestOptions): Promise<Uint8Array> {
    return fetchThumbnail(this.#t, thumbnail, options);
  }

  // GET /documents/{id}, with the Retry-After hint kept for polling.
  async #poll(id: string, options: RequestOptions | undefined, deadline: number): Promise<Polled> {
    const { data, response } = await this.#get(id, options, deadline);
    const retryAfterMs =
      response.status === 202 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
    return { document: data, retryAfterMs };
  }

  // GET /documents/{id}: 200 → the result; 202 → a ProcessingDocument.
  #get(
    id: string,
    options: RequestOptions | undefined,
    deadline?: number,
  ): Promise<Result<DocumentResult | ProcessingDocument>> {
    checkId(id);
    const t = this.#t;
    return t.run(
      {
        method: 'GET',
        path: `/documents/${id}`,
        // Stryker disable next-line StringLiteral: equivalent: shouldRetry treats every rule but 'never' and 'rejected-only' as idempotent
        retry: 'idempotent',
        deadline,
      },
      options,
      (init) => t.api.GET('/documents/{id}', { params: { path: { id } }, parseAs: 'stream', ...init }),
      async (response, { scrub }): Promise<DocumentResult | ProcessingDocument> => {
        const text = await response.text();
        if (response.status === 202) return pendingDocument(id, parsePending(text));
        // Parsed once: a 200 with a pending status and no result fields (some accounts get that while pending)
        // is pending too; any other 200 must be a document.
        const expect = { call: `GET /documents/${id}`, scrub };
        const value = parseBody(response, text, expect);
        if (isBarePending(value)) return pendingDocument(id, value);
        return checkShape(response, value, text, 'document', expect);
      },
    );
  }
}

/**
 * A pending body (a 202's when it is a JSON object, or a bare pending 200's) as a {@link ProcessingDocument}: it may
 * be partial or absent; keep what helps and set what the type promises. The status is the body's when it is a
 * pending one, else `processing`.
 */
function pendingDocument(id: string, body: PendingDocument | undefined): ProcessingDocument {
  // `action` goes too: a ProcessingDocument has none, so that narrowing by `action` finds the result.
  const { id: _id, status, action: _action, ...rest } = body ?? {};
  return { ...rest, id, status: isPendingStatus(status) ? status : 'processing' };
}

/** A pending body without `action`: there is no result to type, so it is a {@link ProcessingDocument}. */
function isBarePending(body: unknown): body is PendingDocument {
  // Only an object has a pending `status` (a string's, a number's or an array's is undefined).
  return isPendingStatus((body as PendingDocument | null)?.status) && !('action' in (body as object));
}

function isPendingStatus(value: unknown): value is PendingStatus {
  return value === 'new' || value === 'queued' || value === 'processing';
}

/** `client.users`: the account. */
export class Users {
  readonly #t: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /**
   * The account: name, email, tier, credit balance. Note `token` in the result is the API token itself.
   *
   * @example
   * ```ts
   * const { balance } = await client.users.me();
   * ```
   */
  async me(options?: RequestOptions): Promise<User> {
    const t = this.#t;
    const { data } = await t.run(
      {
        method: 'GET',
        path: '/users/me',
        // Stryker disable next-line StringLiteral: equivalent: shouldRetry treats every rule but 'never' and 'rejected-only' as idempotent
        retry: 'idempotent',
      },
      options,
      (init) => t.api.GET('/users/me', { parseAs: 'stream', ...init }),
      (response, { scrub }) => readShaped(response, 'user', { call: 'GET /users/me', scrub }),
    );
    return data;
  }
}

/** `client.credits`: buying page credits. */
export class Credits {
  readonly #t: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /**
   * Buys page credits with the saved payment method. `amount` must be a safe integer that is a positive multiple
   * of 100, and the only key. Never retried and never redirected: it charges money. 402 → `PaymentRequiredError` (see `authenticationUrl`); 429 → `RateLimitError`
   * (one purchase per 5 minutes; see `retryAfterMs`).
   *
   * @example
   * ```ts
   * const { new_balance } = await client.credits.topup({ amount: 500 });
   * ```
   */
  async topup(params: TopupParams, options?: RequestOptions): Promise<TopupResult> {
    const body = checkTopup(params);
    const t = this.#t;
    const { data } = await t.run(
      { method: 'POST', path: '/credits/topup', retry: 'never' },
      options,
      (init) => t.api.POST('/credits/topup', { body, bodySerializer: toForm, parseAs: 'stream', ...init }),
      (response, { scrub }) =>
        readShaped(response, 'topup', {
          call: 'POST /credits/topup',
          note: 'the purchase may have gone through: check users.me() before buying again',
          scrub,
        }),
    );
    return data;
  }
}

function toForm(body: { amount: number }): FormData {
  const form = new FormData();
  form.append('amount', String(body.amount));
  return form;
}

/**
 * How an upload refuses redirects. `'error'` where the runtime accepts it: with any other mode, fetch (per the Fetch
 * spec) clones the request to be able to re-send it, and the unread copy of the body holds every byte of the file
 * until the upload ends. Cloudflare Workers reject `'error'`; there, `'manual'` hands the 3xx back as an APIError.
 * Either way an upload is never re-sent to the redirect's target.
 */
function uploadRedirectMode(): RequestRedirect {
  return globalThis.navigator?.userAgent === 'Cloudflare-Workers' ? 'manual' : 'error';
}

// Environment variables where `process` exists (Node, Bun, Deno's compat layer); never fatal elsewhere: without
// `process` (browsers, Workers) or without access to it, reading throws and means unset.
function readEnv(name: string): string | undefined {
  try {
    return process.env[name] || undefined; // an empty variable is unset too
  } catch {
    // no `process`, or no access to it: unset
  }
  return undefined;
}
