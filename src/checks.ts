// Client-side checks: each throws InvalidParamsError before anything is sent, so a bad call costs nothing.
import { InvalidParamsError } from './errors.js';
import { FORMATS_BY_ACTION, MEDIA_TYPES } from './formats.js';
import type { Action, ClientOptions, DownloadFormat, ListParams, RequestOptions } from './types.js';

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

/**
 * The error for a bad `name`: `<name> must be <what>.`, or `<name> must be <what>; got <shown>.` when the value may
 * be shown (pass it through {@link show}; never a credential).
 */
export function must(name: string, what: string, shown?: string): InvalidParamsError {
  return new InvalidParamsError(
    `${name} must be ${what}${shown === undefined ? '' : `; got ${shown}`}.`,
    name,
  );
}

/** Throws unless `id` is a non-empty document id the path can carry safely. */
export function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id === '') {
    throw new InvalidParamsError('Document id must be a non-empty string.', 'id');
  }
  if (!ID.test(id)) {
    throw new InvalidParamsError(
      `Document id ${show(id)} is not valid: ids are letters and digits only.`,
      'id',
    );
  }
}

/** The keys `documents.upload()` takes: the file, its name, and the API's form fields. */
export const UPLOAD_KEYS = [
  'file',
  'fileName',
  'action',
  'delete_after',
  'extractor_id',
  'webhook_url',
  'prompt_id',
] as const;

/**
 * Checks the upload's fields (not the file) and returns them read once. Touches nothing but `params`, so a stream
 * stays unread.
 */
export function checkUploadFields(params: unknown): Record<(typeof UPLOAD_KEYS)[number], unknown> {
  if (params === undefined || params === null) {
    throw new InvalidParamsError('upload() needs a params object with `file` and `action`.');
  }
  const read = readObject(params, 'upload params', UPLOAD_KEYS);
  const { action, extractor_id, delete_after, webhook_url, fileName, prompt_id } = read;
  if (typeof action !== 'string' || !Object.hasOwn(FORMATS_BY_ACTION, action)) {
    throw must('action', `one of ${Object.keys(FORMATS_BY_ACTION).join(', ')}`, show(action));
  }
  if (action === 'extractor' && (extractor_id === undefined || extractor_id === '')) {
    throw new InvalidParamsError('extractor_id is required when action is "extractor".', 'extractor_id');
  }
  if (extractor_id !== undefined && (typeof extractor_id !== 'string' || !EXTRACTOR_ID.test(extractor_id))) {
    throw must('extractor_id', '1 to 64 letters or digits (e.g. "Ks08XVPyMd")');
  }
  if (prompt_id !== undefined && (typeof prompt_id !== 'string' || !PROMPT_ID.test(prompt_id))) {
    throw must('prompt_id', '1 to 255 characters, none of them control characters');
  }
  if (
    delete_after !== undefined &&
    (!isSafeInt(delete_after) || delete_after < DELETE_AFTER_MIN || delete_after > DELETE_AFTER_MAX)
  ) {
    throw must(
      'delete_after',
      `a whole number of seconds from ${DELETE_AFTER_MIN} to ${DELETE_AFTER_MAX}`,
      show(delete_after),
    );
  }
  if (webhook_url !== undefined && !isHttpUrl(webhook_url)) {
    throw must('webhook_url', 'an absolute http(s) URL');
  }
  if (fileName !== undefined && (typeof fileName !== 'string' || fileName.trim() === '')) {
    throw must('fileName', 'a non-empty string');
  }
  return read;
}

/** Throws when a known size is over the API's limit. */
export function checkFileSize(size: number | undefined): void {
  if ((size ?? 0) > MAX_FILE_BYTES) {
    throw new InvalidParamsError(
      `The file is ${((size as number) / 1024 / 1024).toFixed(1)} MB; the API accepts at most 20 MB.`,
      'file',
    );
  }
}

/** Throws unless `page` ≥ 1 and `per_page` in 1..200 (whole numbers); returns them read once. */
export function checkListParams(params: unknown): ListParams {
  const read = readObject(params, 'list params', ['page', 'per_page']);
  const { page, per_page } = read;
  if (page !== undefined && (!isSafeInt(page) || page < 1)) {
    throw must('page', 'a whole number ≥ 1', show(page));
  }
  if (per_page !== undefined && (!isSafeInt(per_page) || per_page < 1 || per_page > 200)) {
    throw must('per_page', 'a whole number from 1 to 200', show(per_page));
  }
  return { ...read } as ListParams; // checked above; keeps the caller's order of keys
}

/** Throws unless `params` is `{ amount }` with a safe integer that is a positive multiple of 100; returns it. */
export function checkTopup(params: unknown): { amount: number } {
  if (params === undefined || params === null)
    throw new InvalidParamsError('topup() needs { amount }.', 'amount');
  const { amount } = readObject(params, 'topup params', ['amount']);
  // isSafeInteger is false for anything but a number.
  if (!Number.isSafeInteger(amount) || (amount as number) <= 0 || (amount as number) % 100 !== 0) {
    throw must('amount', 'a positive multiple of 100', show(amount));
  }
  return { amount: amount as number };
}

/** Throws unless the API offers `format` (for `action`, when it is known). */
export function checkFormat(format: unknown, action?: Action): asserts format is DownloadFormat {
  if (typeof format !== 'string' || !Object.hasOwn(MEDIA_TYPES, format)) {
    throw must('format', `one of ${Object.keys(MEDIA_TYPES).join(', ')}`, show(format));
  }
  // Stryker disable next-line ConditionalExpression: equivalent: without an action, no `offered` is found and nothing more is checked
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
export function checkBaseUrl(value: unknown): string {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw new InvalidParamsError(`baseUrl ${show(value)} is not a URL.`, 'baseUrl');
  }
  const url = new URL(value);
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
  // fetch refuses a URL with credentials in it (every call would fail, and the message would quote them).
  if (url.username || url.password) {
    throw new InvalidParamsError(
      'baseUrl must not carry credentials (user:password@); pass apiToken.',
      'baseUrl',
    );
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
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}

/** Throws unless `value` is a whole number ≥ 0 (a retry count). */
export function checkMaxRetries(value: unknown): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < 0) throw must('maxRetries', 'a whole number ≥ 0');
}

/** Throws unless `value` is a number of ms > 0 (a request timeout; `Infinity` means none). */
export function checkTimeoutMs(value: unknown, name = 'timeoutMs'): asserts value is number {
  if (typeof value !== 'number' || !(value > 0)) throw must(name, 'a number of ms > 0');
}

/**
 * Throws unless `value` is a finite number of ms ≥ 0 (a wait), or > 0 when `positive` (a poll interval: 0 would
 * poll in a busy loop).
 */
export function checkDuration(name: string, value: unknown, positive = false): void {
  if (typeof value !== 'number' || !(positive ? value > 0 : value >= 0) || !Number.isFinite(value)) {
    throw must(name, `a finite number of ms ${positive ? '>' : '≥'} 0`, show(value));
  }
}

// RFC 9110 field names (tokens) and values (visible ASCII, Latin-1, spaces and tabs; no CR, LF or NUL).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Throws unless `headers` is an object of valid header names and string values; returns a plain copy. */
export function checkHeaders(headers: unknown, name = 'headers'): Record<string, string> | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent: no headers would read as {}, which adds none
  if (headers === undefined) return undefined;
  // globalThis.Headers: a runtime without Headers makes isInstance false, not a ReferenceError.
  const entries = isInstance(headers, globalThis.Headers)
    ? Object.fromEntries(headers)
    : readObject(headers, name);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (!HEADER_NAME.test(key)) {
      throw new InvalidParamsError(`${name}: ${show(key)} is not a valid header name.`, name);
    }
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      // The value is not shown: it may be a credential.
      throw new InvalidParamsError(
        `${name}: the value of ${key} must be a string without line breaks or control characters.`,
        name,
      );
    }
    out[key] = value;
  }
  return out;
}

/** Throws unless `signal` is an AbortSignal (or absent). */
export function checkSignal(signal: unknown, name = 'signal'): AbortSignal | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent: every caller passes a defined signal
  if (signal === undefined) return undefined;
  const s = signal as Partial<AbortSignal>; // null is an object too: reading its `aborted` throws, caught below
  let valid = false;
  try {
    valid =
      typeof s === 'object' &&
      typeof s.aborted === 'boolean' &&
      typeof s.addEventListener === 'function' &&
      typeof s.removeEventListener === 'function';
  } catch {} // null, or a getter or Proxy trap that throws: not a signal either
  if (!valid) throw must(name, 'an AbortSignal');
  return signal as AbortSignal;
}

/**
 * `value instanceof type`, and `false` where the test itself throws (a Proxy whose `getPrototypeOf` trap throws): a
 * caller's odd value must end in InvalidParamsError, not in the trap's error.
 */
export function isInstance<T>(value: unknown, type: abstract new (...args: never[]) => T): value is T {
  let is = false;
  try {
    is = value instanceof type;
  } catch {}
  return is;
}

/** The options every method takes last. */
export const REQUEST_OPTION_KEYS = ['signal', 'timeoutMs', 'maxRetries', 'headers'] as const;

/** Checks a method's last argument; returns its options read once. */
export function checkRequestOptions(options: unknown): RequestOptions {
  const { signal, timeoutMs, maxRetries, headers } = readObject(options, 'options', REQUEST_OPTION_KEYS);
  const out: RequestOptions = {};
  // Stryker disable next-line ConditionalExpression: equivalent: checkSignal(undefined) is undefined, the same as no signal
  if (signal !== undefined) out.signal = checkSignal(signal);
  if (timeoutMs !== undefined) {
    checkTimeoutMs(timeoutMs);
    out.timeoutMs = timeoutMs;
  }
  if (maxRetries !== undefined) {
    checkMaxRetries(maxRetries);
    out.maxRetries = maxRetries;
  }
  // Stryker disable next-line ConditionalExpression: equivalent: checkHeaders(undefined) is undefined, the same as no headers
  if (headers !== undefined) out.headers = checkHeaders(headers);
  return out;
}

/**
 * The own enumerable properties of an options object, read once, each read guarded: a getter that throws, a
 * Proxy, or a key outside `allowed` (a typo, `__proto__` from JSON) is an InvalidParamsError, never a TypeError.
 * `undefined` reads as no options.
 */
export function readObject<K extends string>(
  value: unknown,
  name: string,
  allowed?: readonly K[],
): Record<K, unknown> {
  const out = Object.create(null) as Record<K, unknown>;
  if (value === undefined) return out;
  if (typeof value !== 'object' || value === null || isArray(value)) {
    throw must(name, 'an object', show(value));
  }
  try {
    for (const key of Object.keys(value)) {
      if (allowed && !(allowed as readonly string[]).includes(key)) {
        throw new InvalidParamsError(
          `${name}: unknown key ${show(key)}; expected ${allowed.join(', ')}.`,
          name,
        );
      }
      out[key as K] = (value as Record<string, unknown>)[key];
    }
  } catch (err) {
    if (err instanceof InvalidParamsError) throw err;
    throw new InvalidParamsError(`${name} could not be read.`, name);
  }
  return out;
}

/** Reads the named properties of an object (e.g. a document's `id` and `action`), each read guarded. */
export function readProps<K extends string>(
  value: object,
  name: string,
  keys: readonly K[],
): Record<K, unknown> {
  const out = Object.create(null) as Record<K, unknown>;
  try {
    for (const key of keys) out[key] = (value as Record<string, unknown>)[key];
  } catch {
    throw new InvalidParamsError(`${name} could not be read.`, name);
  }
  return out;
}

/** A whole number that survives a round trip through text (1e21 does not). */
function isSafeInt(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

/** A value as an error message shows it: short, and never throwing (symbols, bigints, cycles). */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `Array.isArray`, and `false` for a revoked Proxy (on which it throws). */
export function isArray(value: unknown): value is unknown[] {
  let is = false;
  try {
    is = Array.isArray(value);
  } catch {}
  return is;
}

const CLIENT_OPTION_KEYS = [
  'apiToken',
  'baseUrl',
  'fetch',
  'maxRetries',
  'timeoutMs',
  'logger',
  'logLevel',
  'defaultHeaders',
] as const;

// The client options whose type alone is checked here (values are checked where they are used).
const CLIENT_OPTION_TYPES = [
  ['apiToken', 'string'],
  ['baseUrl', 'string'],
  ['fetch', 'function'],
  ['logLevel', 'string'],
] as const;

/** Checks the options of `new HandwritingOCR()` (types only; values are checked where they are used). */
export function checkClientOptions(options: unknown): ClientOptions {
  const read = readObject(options, 'client options', CLIENT_OPTION_KEYS);
  const { logger, defaultHeaders } = read;
  for (const [name, type] of CLIENT_OPTION_TYPES) {
    if (read[name] !== undefined && typeof read[name] !== type) throw must(name, `a ${type}`);
  }
  if (logger !== undefined) {
    const methods = readProps(Object(logger), 'logger', ['debug', 'info', 'warn', 'error']);
    if (typeof logger !== 'object' || Object.values(methods).some((m) => typeof m !== 'function')) {
      throw new InvalidParamsError('logger must have debug, info, warn and error methods.', 'logger');
    }
  }
  return { ...read, defaultHeaders: checkHeaders(defaultHeaders, 'defaultHeaders') } as ClientOptions;
}
