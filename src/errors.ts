// Every error the SDK throws, and the one function that turns an HTTP answer into one of them.
import { parseRetryAfter, parseRetryAt } from './retry-after.js';
import { redact, type Scrub, scrubHeaders } from './secrets.js';
import { isObject } from './shapes.js';
import type { DocumentResult, PendingDocument, ProcessingDocument } from './types.js';

/**
 * Base class of every error the SDK throws.
 *
 * @example
 * ```ts
 * try {
 *   await client.documents.retrieve(id);
 * } catch (err) {
 *   if (err instanceof HandwritingOCRError) console.error(err.message);
 * }
 * ```
 */
export class HandwritingOCRError extends Error {
  override name = 'HandwritingOCRError';
  /**
   * The document this error concerns, where known. After `uploadAndWait` accepted an upload, every error it
   * throws carries the uploaded (and paid-for) document's id here.
   */
  id: string | undefined;
  constructor(message?: string, options?: { cause?: unknown; id?: string }) {
    super(message, options && 'cause' in options ? { cause: options.cause } : undefined);
    this.id = options?.id;
  }
}

/** A client-side check failed; nothing was sent. */
export class InvalidParamsError extends HandwritingOCRError {
  override name = 'InvalidParamsError';
  /** The parameter at fault, e.g. `extractor_id`. */
  readonly param: string | undefined;
  constructor(message: string, param?: string) {
    super(message);
    this.param = param;
  }
}

/**
 * The API answered with a non-2xx status. Subclasses name the common statuses.
 *
 * @example
 * ```ts
 * try {
 *   await client.documents.retrieve('abcde12345');
 * } catch (err) {
 *   if (err instanceof NotFoundError) console.log(err.status, err.message); // 404 '404 Not Found: Document not found.'
 *   else throw err;
 * }
 * ```
 */
export class APIError extends HandwritingOCRError {
  override name = 'APIError';
  /** HTTP status. */
  readonly status: number;
  /** Response headers (secrets scrubbed). A redirect's target is `headers.get('location')`. */
  readonly headers: Headers;
  /** Response body: parsed when JSON, else the raw text (or `undefined` when empty); secrets scrubbed. */
  readonly body: unknown;
  constructor(status: number, headers: Headers, body: unknown, message: string) {
    super(message);
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

/** 400: the request was malformed (e.g. a format the document's action does not offer). */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}

/** 401: the token is missing or wrong. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}

/** 402: the bank wants 3-D Secure; send the user to {@link PaymentRequiredError.authenticationUrl}, then retry. */
export class PaymentRequiredError extends APIError {
  override name = 'PaymentRequiredError';
  /** Where the user completes the payment authentication. */
  readonly authenticationUrl = stringField(this.body, 'authentication_url');
}

/** 403: not allowed (on upload: not enough page credits; on topup: no active subscription). */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}

/** 404: no such document (or not yours). */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}

/** 415: the file type is not accepted. */
export class UnsupportedMediaTypeError extends APIError {
  override name = 'UnsupportedMediaTypeError';
}

/** 422: validation failed. `errors` maps fields to messages; `code`/`declineCode` come from `/credits/topup`. */
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
  /** e.g. `amount_not_multiple_of_100`, `no_payment_method`, `payment_failed`. */
  readonly code = stringField(this.body, 'code');
  /** The card's decline code with `payment_failed`. */
  readonly declineCode = stringField(this.body, 'decline_code');
  /** Field → messages. */
  readonly errors = objectField(this.body, 'errors') as Record<string, string[]> | undefined;
}

/** 429: too many requests, or (topup) a purchase in the last 5 minutes. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
  /** How long to wait, from `Retry-After` (seconds or HTTP date) or the body's `retry_after`. */
  readonly retryAfterMs =
    parseRetryAfter(this.headers.get('retry-after')) ??
    parseRetryAt(isObject(this.body) ? this.body.retry_after : undefined);
}

/** 500 and above: the server failed. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

/** The request never got an answer (DNS, refused, reset, dropped mid-body). */
export class APIConnectionError extends HandwritingOCRError {
  override name = 'APIConnectionError';
  constructor(message = 'Connection error.', options?: { cause?: unknown; id?: string }) {
    super(message, options);
  }
}

/** An attempt ran past its `timeoutMs`. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
  constructor(message = 'Request timed out.', options?: { cause?: unknown; id?: string }) {
    super(message, options);
  }
}

/** The caller's `AbortSignal` aborted. `cause` is the signal's reason. */
export class APIUserAbortError extends HandwritingOCRError {
  override name = 'APIUserAbortError';
  constructor(message = 'Request was aborted.', options?: { cause?: unknown; id?: string }) {
    super(message, options);
  }
}

/** `download` of a document still processing (the API answered 202). */
export class NotReadyError extends HandwritingOCRError {
  override name = 'NotReadyError';
  /** The document id. */
  override id: string;
  /** When to ask again, from `Retry-After`, where the API sent one. */
  readonly retryAfterMs: number | undefined;
  /** The 202 body, where there was one. */
  readonly document: PendingDocument | undefined;
  constructor(id: string, retryAfterMs: number | undefined, document: PendingDocument | undefined) {
    super(
      `Document ${id} is still processing${retryAfterMs === undefined ? '' : `; retry in ${retryAfterMs} ms`}.`,
    );
    this.id = id;
    this.retryAfterMs = retryAfterMs;
    this.document = document;
  }
}

/** Waiting ended with `status: 'failed'`. The API's `error` text, when it gave one, is in the message and `reason`. */
export class DocumentFailedError extends HandwritingOCRError {
  override name = 'DocumentFailedError';
  /** The failed document as last returned by the API. */
  readonly document: DocumentResult;
  /** Why it failed: the document's `error` text, where the API gave one. */
  readonly reason: string | undefined;
  constructor(document: DocumentResult) {
    const reason = typeof document.error === 'string' ? document.error.trim() || undefined : undefined;
    super(`Document ${document.id} failed to process${reason ? `: ${reason}` : '.'}`, { id: document.id });
    this.document = document;
    this.reason = reason;
  }
}

/** Waiting passed its deadline. */
export class WaitTimeoutError extends HandwritingOCRError {
  override name = 'WaitTimeoutError';
  /** The id of the document waited for (from `uploadAndWait`: the document that was uploaded, and paid for). */
  override id: string;
  /** The document as last seen, if any poll answered. */
  readonly document: DocumentResult | ProcessingDocument | undefined;
  constructor(id: string, timeoutMs: number, document: DocumentResult | ProcessingDocument | undefined) {
    super(
      `Document ${id} was not processed within ${timeoutMs} ms${document ? ` (last status: ${document.status})` : ''}.`,
    );
    this.id = id;
    this.document = document;
  }
}

/**
 * A 2xx answer that is not what its type promises: an empty body, `null`, a 204 where JSON was promised, invalid
 * JSON, a shape other than the spec's, or a download that is plainly not the format (an HTML page, JSON instead
 * of a transcript, docx/xlsx bytes that are not a zip archive). Never retried.
 *
 * @example
 * ```ts
 * try {
 *   await client.users.me();
 * } catch (err) {
 *   if (err instanceof UnexpectedResponseError) console.error(err.status, err.contentType, err.body);
 * }
 * ```
 */
export class UnexpectedResponseError extends HandwritingOCRError {
  override name = 'UnexpectedResponseError';
  /** HTTP status (a 2xx). */
  readonly status: number;
  /** The answer's `Content-Type`, if any. */
  readonly contentType: string | undefined;
  /** The raw body as text (secrets scrubbed, then cut after 2,000 characters), if it was read. */
  readonly body: string | undefined;
  constructor(
    message: string,
    details: { status: number; contentType: string | null | undefined; body?: string | undefined },
  ) {
    super(message);
    this.status = details.status;
    this.contentType = details.contentType ?? undefined;
    this.body = details.body;
  }
}

/**
 * A local file could not be read or written (e.g. the disk filled up during `downloadToFile`). Never retried;
 * `cause` is the filesystem's error.
 */
export class LocalFileError extends HandwritingOCRError {
  override name = 'LocalFileError';
}

/** A webhook's `x-signature` is missing or does not match its body. */
export class WebhookVerificationError extends HandwritingOCRError {
  override name = 'WebhookVerificationError';
}

/**
 * `error`, marked as thrown after `uploadAndWait`'s upload of document `id` was accepted: it carries the `id`, and
 * its message says the document was uploaded (its pages are charged) so that nobody uploads it again blindly.
 */
export function uploadedButFailed(error: unknown, id: string): HandwritingOCRError {
  const note = `Document ${id} was uploaded (its pages are charged), but waiting for it failed: `;
  if (!(error instanceof HandwritingOCRError)) {
    return new HandwritingOCRError(`${note}${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      id,
    });
  }
  error.id ??= id;
  // A failed document's own message names it (and its pages are refunded, not charged).
  if (error instanceof DocumentFailedError) return error;
  if (!error.message.includes(`Document ${id} was uploaded`)) error.message = `${note}${error.message}`;
  return error;
}

const STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

type APIErrorClass = new (status: number, headers: Headers, body: unknown, message: string) => APIError;

const BY_STATUS: Record<number, APIErrorClass> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PaymentRequiredError,
  403: PermissionDeniedError,
  404: NotFoundError,
  415: UnsupportedMediaTypeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/**
 * The one place a non-2xx answer becomes an error. `body` is what was read (parsed JSON or raw text); `scrub`
 * removes secrets (the token, credentials of the call) from the message, the body and the headers kept on the
 * error, before anything is cut short (a cut through a secret would leave a fragment of it).
 */
export function errorFromResponse(response: Response, body: unknown, scrub: Scrub = (t) => t): APIError {
  const status = response.status;
  const safeBody = body === '' ? undefined : redact(body, scrub);
  const statusText = STATUS_TEXT[status] ?? response.statusText;
  // Only non-2xx answers come here: below 400 is a redirect.
  const location = status < 400 ? response.headers.get('location') : null;
  const detail = location !== null ? `redirected to ${scrub(location)}` : describeBody(safeBody);
  const head = statusText ? `${status} ${statusText}` : String(status);
  const message = detail ? `${head}: ${detail}` : head;
  const Class = BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new Class(status, scrubHeaders(response.headers, scrub), safeBody, message);
}

/** A readable sentence from an error body: `message`, `error`, field `errors`, else the raw text. */
function describeBody(body: unknown): string {
  if (body === undefined || body === null) return ''; // '' takes the string branch: '' all the same
  if (typeof body === 'string') return cut(body.trim(), 500);
  // Stryker disable next-line ConditionalExpression: equivalent: an array or a scalar has no message/error/errors and ends in the same cut JSON below
  if (!isObject(body)) return cut(JSON.stringify(body), 500);
  const primary = textOf(body.message) ?? textOf(body.error);
  const fields = fieldErrors(body.errors);
  if (primary && fields) return `${primary} (${fields})`;
  return cut(primary ?? fields ?? JSON.stringify(body), 500);
}

/** `text` cut to `max` characters, marked with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** How much of a raw body an {@link UnexpectedResponseError} keeps. */
export const MAX_ERROR_BODY = 2_000;

function fieldErrors(errors: unknown): string | undefined {
  if (!isObject(errors)) return textOf(errors);
  const parts: string[] = [];
  for (const [field, messages] of Object.entries(errors)) {
    const text = Array.isArray(messages) ? messages.map(String).join(' ') : textOf(messages);
    if (text) parts.push(`${field}: ${text}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (value == null) return undefined;
  return JSON.stringify(value);
}

function stringField(body: unknown, key: string): string | undefined {
  const value = isObject(body) ? body[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function objectField(body: unknown, key: string): Record<string, unknown> | undefined {
  const value = isObject(body) ? body[key] : undefined;
  return isObject(value) ? value : undefined;
}
