// Waiting for a document: poll, back off, honour Retry-After, stop on a final status, the deadline, or abort.
import { sleep } from './abort.js';
import { checkDuration, checkHeaders, checkRequestOptions, isLoopback, must, readObject } from './checks.js';
import {
  APIConnectionError,
  APIError,
  DocumentFailedError,
  NotFoundError,
  WaitTimeoutError,
} from './errors.js';
import { atLeast, retryAfterOf, shouldRetry } from './retry.js';
import type { DocumentResult, ProcessingDocument, RequestOptions, WaitOptions } from './types.js';

/** One poll's answer: the document, and the server's `Retry-After` hint if it sent one. */
export interface Polled {
  document: DocumentResult | ProcessingDocument;
  retryAfterMs: number | undefined;
}

/**
 * Defaults of {@link WaitOptions} against the real API, after the vendor's guidance: first check about 10 s after
 * the upload, then every 15 s growing to 30 s; give up after 10 minutes.
 */
export const WAIT_DEFAULTS = {
  timeoutMs: 10 * 60_000,
  firstPollDelayMs: 10_000,
  pollIntervalMs: 15_000,
  maxPollIntervalMs: 30_000,
} as const;

/** Defaults against a loopback `baseUrl` (a simulator, a local proxy), where documents are done in moments. */
export const LOOPBACK_WAIT_DEFAULTS = {
  ...WAIT_DEFAULTS,
  firstPollDelayMs: 2_000,
  pollIntervalMs: 2_000,
  maxPollIntervalMs: 15_000,
} as const;

/** Against a `baseUrl` that is not loopback, polls of one document are at least this far apart, whatever the options. */
export const MIN_REMOTE_POLL_GAP_MS = 1_000;
const BACKOFF_FACTOR = 1.5;

/** Internal knobs of the client's two waits. */
export interface WaitTuning {
  /** The client's `baseUrl`: loopback or not decides the default pace and the floor between polls. */
  baseUrl: string;
  /** Wait before the first poll (`uploadAndWait`: a fresh upload is never done at once). */
  afterUpload?: boolean;
  /** Treat 404 as pending for this long after the start (the API has been seen to 404 right after upload). */
  tolerateNotFoundMs?: number;
  /** Per-poll request timeout when `requestTimeoutMs` is not given. */
  requestTimeoutMs: number;
}

const WAIT_OPTION_KEYS = [
  'signal',
  'maxRetries',
  'headers',
  'timeoutMs',
  'pollIntervalMs',
  'maxPollIntervalMs',
  'onStatus',
  'requestTimeoutMs',
  'onUploaded',
] as const;

/**
 * Checks every option of a wait and returns them read once, so that `uploadAndWait` can refuse a bad one before
 * it uploads (and spends credits). Throws InvalidParamsError.
 */
export function checkWaitOptions(options: unknown): WaitOptions {
  const read = readObject(options, 'wait options', WAIT_OPTION_KEYS);
  const { signal, maxRetries, headers, requestTimeoutMs } = read;
  if (read.timeoutMs !== undefined) checkDuration('timeoutMs', read.timeoutMs);
  // 0 would poll in a busy loop (hundreds of requests a second).
  if (read.pollIntervalMs !== undefined) checkDuration('pollIntervalMs', read.pollIntervalMs, true);
  if (read.maxPollIntervalMs !== undefined) checkDuration('maxPollIntervalMs', read.maxPollIntervalMs, true);
  // The options each poll request takes, checked as any request's are.
  checkRequestOptions({ signal, maxRetries, headers, timeoutMs: requestTimeoutMs });
  for (const name of ['onStatus', 'onUploaded'] as const) {
    if (read[name] !== undefined && typeof read[name] !== 'function') {
      throw must(name, 'a function');
    }
  }
  return { ...read, headers: checkHeaders(headers) } as WaitOptions;
}

/**
 * Polls until `processed` (resolves with the document), `failed` (DocumentFailedError), the deadline
 * (WaitTimeoutError) or the signal (APIUserAbortError, also mid-sleep). Waits grow by 1.5× from
 * `pollIntervalMs` up to `maxPollIntervalMs` (defaults: {@link WAIT_DEFAULTS}, or {@link LOOPBACK_WAIT_DEFAULTS}
 * on loopback); a `Retry-After` from the server makes the next wait longer, never shorter; against a remote
 * `baseUrl` no wait is under {@link MIN_REMOTE_POLL_GAP_MS}. A 429 or a retryable 5xx that outlasts the
 * transport's retries, a poll with no answer, and a 404 within `tuning.tolerateNotFoundMs` count as pending polls
 * (their `Retry-After` honoured alike). `poll` gets the time its request (retries included) must end by.
 */
export async function waitFor(
  id: string,
  poll: (options: RequestOptions, deadline: number) => Promise<Polled>,
  options: WaitOptions | undefined,
  tuning: WaitTuning,
): Promise<DocumentResult> {
  options = checkWaitOptions(options);
  const loopback = isLoopback(new URL(tuning.baseUrl).hostname);
  const pace = loopback ? LOOPBACK_WAIT_DEFAULTS : WAIT_DEFAULTS;
  const floor = loopback ? 0 : MIN_REMOTE_POLL_GAP_MS;
  const timeoutMs = options.timeoutMs ?? pace.timeoutMs;
  // A caller's maximum below the default first interval lowers that too.
  let interval =
    options.pollIntervalMs ??
    Math.min(pace.pollIntervalMs, options.maxPollIntervalMs ?? Number.POSITIVE_INFINITY);
  const maxInterval = Math.max(options.maxPollIntervalMs ?? pace.maxPollIntervalMs, interval);
  const signal = options.signal;
  const requestTimeoutMs = options.requestTimeoutMs ?? tuning.requestTimeoutMs;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let last: DocumentResult | ProcessingDocument | undefined;

  if (tuning.afterUpload) {
    await sleep(Math.min(options.pollIntervalMs ?? pace.firstPollDelayMs, timeoutMs), signal);
  }
  for (;;) {
    let polled: Polled;
    try {
      polled = await poll(
        { signal, maxRetries: options.maxRetries, headers: options.headers, timeoutMs: requestTimeoutMs },
        // A hung poll must not run far past the deadline (its retries and backoffs included); keep at least a
        // second so the last poll can answer.
        Math.max(deadline, Date.now() + 1_000),
      );
    } catch (err) {
      // What says nothing about the document, which is then still pending: a 404 just after the upload (the API
      // has been seen to lag), a 429 or 5xx that outlasted the retries (the server is busy), a poll that got no
      // answer or timed out (ridden out to the deadline).
      const pending =
        (err instanceof NotFoundError && Date.now() - started < (tuning.tolerateNotFoundMs ?? 0)) ||
        // Stryker disable next-line StringLiteral: equivalent: shouldRetry treats any rule but 'never' and 'rejected-only' as idempotent
        (err instanceof APIError && shouldRetry('idempotent', err, true)) ||
        err instanceof APIConnectionError;
      if (!pending) throw err;
      if (err instanceof APIConnectionError && Date.now() >= deadline) {
        throw new WaitTimeoutError(id, timeoutMs, last);
      }
      polled = { document: last ?? { id, status: 'processing' }, retryAfterMs: retryAfterOf(err) };
    }
    const document = polled.document;
    if (document.status !== last?.status) options.onStatus?.(document.status, document);
    last = document;
    if (document.status === 'processed') return document;
    if (document.status === 'failed') throw new DocumentFailedError(document);
    // Anything else (queued, processing, new, or a status this SDK does not know) is still pending.
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitTimeoutError(id, timeoutMs, last);
    // Retry-After is a lower bound: `Retry-After: 0` must not turn polling into a busy loop.
    const wait = Math.min(Math.max(floor, atLeast(interval, polled.retryAfterMs)), left);
    await sleep(wait, signal);
    // The deadline comes less than the floor after this poll: one more poll would be too soon.
    if (wait < floor) throw new WaitTimeoutError(id, timeoutMs, last);
    interval = Math.min(interval * BACKOFF_FACTOR, maxInterval);
  }
}
