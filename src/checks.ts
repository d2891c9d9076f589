// Client-side checks: each throws InvalidParamsError before anything is sent, so a bad call costs nothing.
import { InvalidParamsError } from './errors.js';
import { FORMATS_BY_ACTION, MEDIA_TYPES } from './formats.js';
import type { Action, DownloadFormat, ListParams, UploadParams } from './types.js';

/** The API's file size limit (20 MB). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Shortest `delete_after`, in seconds (5 minutes). */
export const DELETE_AFTER_MIN = 300;
/** Longest `delete_after`, in seconds (14 days). */
export const DELETE_AFTER_MAX = 1_209_600;

// The spec's DocumentId pattern. It also keeps ids from breaking the path: `/`, `..`, `?`, `#`, and `.` (which
// would turn `/documents/{id}` into the download route `/documents/{id}.{format}`).
const ID = /^[A-Za-z0-9]+$/;
// The spec says 10 alphanumerics, but a production integration sends 12: letters and digits of a sane length.
const EXTRACTOR_ID = /^[A-Za-z0-9]{1,64}$/;
// `prompt_id` (Enterprise plans) has no documented format: refuse only what a form field cannot carry safely.
const PROMPT_ID = /^\P{Cc}{1,255}$/u;

/** Throws unless `id` is a non-empty document id the path can carry safely. */
export function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id === '') {
    throw new InvalidParamsError('Document id must be a non-empty string.', 'id');
  }
  if (!ID.test(id)) {
    throw new InvalidParamsError(
      `Document id ${JSON.stringify(id.slice(0, 40))} is not valid: ids are letters and digits only.`,
      'id',
    );
  }
}

/** Checks the upload's fields (not the file). Touches nothing but `params`, so a stream stays unread. */
export function checkUploadFields(params: UploadParams): void {
  if (typeof params !== 'object' || params === null) {
    throw new InvalidParamsError('upload() needs a params object.');
  }
  const { action, extractor_id, prompt_id, delete_after, webhook_url, fileName } = params;
  if (typeof action !== 'string' || !Object.hasOwn(FORMATS_BY_ACTION, action)) {
    throw new InvalidParamsError(
      `action must be one of ${Object.keys(FORMATS_BY_ACTION).join(', ')}; got ${JSON.stringify(action)}.`,
      'action',
    );
  }
  if (action === 'extractor' && (extractor_id === undefined || extractor_id === '')) {
    throw new InvalidParamsError('extractor_id is required when action is "extractor".', 'extractor_id');
  }
  if (extractor_id !== undefined && (typeof extractor_id !== 'string' || !EXTRACTOR_ID.test(extractor_id))) {
    throw new InvalidParamsError(
      'extractor_id must be 1 to 64 letters or digits (e.g. "Ks08XVPyMd").',
      'extractor_id',
    );
  }
  if (prompt_id !== undefined && (typeof prompt_id !== 'string' || !PROMPT_ID.test(prompt_id))) {
    throw new InvalidParamsError(
      'prompt_id must be 1 to 255 characters, none of them control characters.',
      'prompt_id',
    );
  }
  if (
    delete_after !== undefined &&
    (!Number.isInteger(delete_after) || delete_after < DELETE_AFTER_MIN || delete_after > DELETE_AFTER_MAX)
  ) {
    throw new InvalidParamsError(
      `delete_after must be a whole number of seconds from ${DELETE_AFTER_MIN} to ${DELETE_AFTER_MAX}; got ${delete_after}.`,
      'delete_after',
    );
  }
  if (webhook_url !== undefined && !isHttpUrl(webhook_url)) {
    throw new InvalidParamsError('webhook_url must be an absolute http(s) URL.', 'webhook_url');
  }
  if (fileName !== undefined && (typeof fileName !== 'string' || fileName.trim() === '')) {
    throw new InvalidParamsError('fileName must be a non-empty string.', 'fileName');
  }
}

/** Throws when a known size is over the API's limit. */
export function checkFileSize(size: number | undefined): void {
  if (size !== undefined && size > MAX_FILE_BYTES) {
    throw new InvalidParamsError(
      `The file is ${(size / 1024 / 1024).toFixed(1)} MB; the API accepts at most 20 MB.`,
      'file',
    );
  }
}

/** Throws unless `page` ≥ 1 and `per_page` in 1..200 (whole numbers). */
export function checkListParams(params: ListParams | undefined): void {
  if (params === undefined) return;
  const { page, per_page } = params;
  if (page !== undefined && (!Number.isInteger(page) || page < 1)) {
    throw new InvalidParamsError(`page must be a whole number ≥ 1; got ${page}.`, 'page');
  }
  if (per_page !== undefined && (!Number.isInteger(per_page) || per_page < 1 || per_page > 200)) {
    throw new InvalidParamsError(
      `per_page must be a whole number from 1 to 200; got ${per_page}.`,
      'per_page',
    );
  }
}

/** Throws unless `amount` is a positive multiple of 100. */
export function checkAmount(amount: unknown): void {
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0 || amount % 100 !== 0) {
    throw new InvalidParamsError(
      `amount must be a positive multiple of 100; got ${String(amount)}.`,
      'amount',
    );
  }
}

/** Throws unless the API offers `format` (for `action`, when it is known). */
export function checkFormat(format: unknown, action?: Action): asserts format is DownloadFormat {
  if (typeof format !== 'string' || !Object.hasOwn(MEDIA_TYPES, format)) {
    throw new InvalidParamsError(
      `format must be one of ${Object.keys(MEDIA_TYPES).join(', ')}; got ${JSON.stringify(format)}.`,
      'format',
    );
  }
  if (action === undefined) return;
  const offered: readonly string[] | undefined = Object.hasOwn(FORMATS_BY_ACTION, action)
    ? FORMATS_BY_ACTION[action]
    : undefined;
  if (offered && !offered.includes(format)) {
    throw new InvalidParamsError(
      `A "${action}" document offers ${offered.join(', ')}; not ${format}.`,
      'format',
    );
  }
}

/**
 * The base URL without a trailing slash. Refuses `http:` except on loopback (localhost, 127.0.0.0/8, ::1):
 * the token must not travel in clear text.
 */
export function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidParamsError(`baseUrl ${JSON.stringify(value)} is not a URL.`, 'baseUrl');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidParamsError(`baseUrl must use https: (got ${url.protocol}).`, 'baseUrl');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InvalidParamsError(
      `baseUrl must use https: the API token may not travel in clear text to ${url.hostname} (http: is allowed only for localhost, 127.0.0.0/8 and ::1).`,
      'baseUrl',
    );
  }
  if (url.search || url.hash) {
    throw new InvalidParamsError('baseUrl must not carry a query or a fragment.', 'baseUrl');
  }
  return url.href.replace(/\/+$/, '');
}

/** Whether a URL hostname is a loopback address. */
export function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]' || hostname === '::1') return true;
  // URL normalises IPv4 (e.g. 127.1 → 127.0.0.1), so a dotted-quad test suffices.
  const quad = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  return quad?.slice(1).every((part) => Number(part) <= 255) ?? false;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Throws unless `value` is a whole number ≥ 0 (a retry count). */
export function checkMaxRetries(value: unknown): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new InvalidParamsError('maxRetries must be a whole number ≥ 0.', 'maxRetries');
  }
}

/** Throws unless `value` is a number of ms > 0 (a request timeout; `Infinity` means none). */
export function checkTimeoutMs(value: unknown, name = 'timeoutMs'): asserts value is number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new InvalidParamsError(`${name} must be a number of ms > 0.`, name);
  }
}

/** Throws unless `value` is a finite number of ms ≥ 0 (a wait or an interval). */
export function checkDuration(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new InvalidParamsError(`${name} must be a finite number of ms ≥ 0; got ${String(value)}.`, name);
  }
}

/** Throws unless `value` is a finite number of ms > 0 (a poll interval: 0 would poll in a busy loop). */
export function checkPositiveDuration(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidParamsError(`${name} must be a finite number of ms > 0; got ${String(value)}.`, name);
  }
}
