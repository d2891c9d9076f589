// Waiting for a document: poll, back off, honour Retry-After, stop on a final status, the deadline, or abort.
import { sleep } from './abort.js';
import { checkDuration, checkMaxRetries, checkTimeoutMs } from './checks.js';
import {
  APIConnectionTimeoutError,
  APIError,
  DocumentFailedError,
  InvalidParamsError,
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

/** Defaults of {@link WaitOptions}. */
export const WAIT_DEFAULTS = {
  timeoutMs: 10 * 60_000,
  pollIntervalMs: 2_000,
  maxPollIntervalMs: 15_000,
} as const;
const BACKOFF_FACTOR = 1.5;

/** Internal knobs `uploadAndWait` uses. */
export interface WaitTuning {
  /** Wait this long before the first poll (a fresh upload is never done at once). */
  initialDelayMs?: number;
  /** Treat 404 as pending for this long after the start (the API has been seen to 404 right after upload). */
  tolerateNotFoundMs?: number;
  /** Per-poll request timeout when `requestTimeoutMs` is not given. */
  requestTimeoutMs: number;
}

/**
 * Checks every option of a wait, so that `uploadAndWait` can refuse a bad one before it uploads (and spends
 * credits). Throws InvalidParamsError.
 */
export function checkWaitOptions(options: WaitOptions | undefined): void {
  if (options?.timeoutMs !== undefined) checkDuration('timeoutMs', options.timeoutMs);
  if (options?.pollIntervalMs !== undefined) checkDuration('pollIntervalMs', options.pollIntervalMs);
  if (options?.maxPollIntervalMs !== undefined) checkDuration('maxPollIntervalMs', options.maxPollIntervalMs);
  if (options?.requestTimeoutMs !== undefined) checkTimeoutMs(options.requestTimeoutMs, 'requestTimeoutMs');
  if (options?.maxRetries !== undefined) checkMaxRetries(options.maxRetries);
  if (options?.onStatus !== undefined && typeof options.onStatus !== 'function') {
    throw new InvalidParamsError('onStatus must be a function.', 'onStatus');
  }
  if (options?.onUploaded !== undefined && typeof options.onUploaded !== 'function') {
    throw new InvalidParamsError('onUploaded must be a function.', 'onUploaded');
  }
}

/**
 * Polls until `processed` (resolves with the document), `failed` (DocumentFailedError), the deadline
 * (WaitTimeoutError) or the signal (APIUserAbortError, also mid-sleep). Waits grow by 1.5× from
 * `pollIntervalMs` up to `maxPollIntervalMs`; a `Retry-After` from the server makes the next wait longer, never
 * shorter. A 429 or a retryable 5xx that outlasts the transport's retries counts as a pending poll. `poll` gets
 * the time its request (retries included) must end by.
 */
export async function waitFor(
  id: string,
  poll: (options: RequestOptions, deadline: number) => Promise<Polled>,
  options: WaitOptions | undefined,
  tuning: WaitTuning,
): Promise<DocumentResult> {
  checkWaitOptions(options);
  const timeoutMs = options?.timeoutMs ?? WAIT_DEFAULTS.timeoutMs;
  let interval = options?.pollIntervalMs ?? WAIT_DEFAULTS.pollIntervalMs;
  const maxInterval = Math.max(options?.maxPollIntervalMs ?? WAIT_DEFAULTS.maxPollIntervalMs, interval);
  const signal = options?.signal;
  const requestTimeoutMs = options?.requestTimeoutMs ?? tuning.requestTimeoutMs;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let last: DocumentResult | ProcessingDocument | undefined;

  if (tuning.initialDelayMs) await sleep(Math.min(tuning.initialDelayMs, timeoutMs), signal);
  for (;;) {
    let polled: Polled;
    try {
      polled = await poll(
        { signal, maxRetries: options?.maxRetries, headers: options?.headers, timeoutMs: requestTimeoutMs },
        // A hung poll must not run far past the deadline (its retries and backoffs included); keep at least a
        // second so the last poll can answer.
        Math.max(deadline, Date.now() + 1_000),
      );
    } catch (err) {
      if (err instanceof NotFoundError && Date.now() - started < (tuning.tolerateNotFoundMs ?? 0)) {
        polled = { document: last ?? { id, status: 'processing' }, retryAfterMs: undefined };
      } else if (err instanceof APIError && shouldRetry('idempotent', err, true)) {
        // 429 or a 5xx that outlasted the retries: the server is busy, the document is still pending.
        polled = { document: last ?? { id, status: 'processing' }, retryAfterMs: retryAfterOf(err) };
      } else if (err instanceof APIConnectionTimeoutError && Date.now() >= deadline) {
        throw new WaitTimeoutError(id, timeoutMs, last);
      } else {
        throw err;
      }
    }
    const document = polled.document;
    if (document.status !== last?.status) options?.onStatus?.(document.status, document);
    last = document;
    if (document.status === 'processed') return document;
    if (document.status === 'failed') throw new DocumentFailedError(document);
    // Anything else (queued, processing, new, or a status this SDK does not know) is still pending.
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitTimeoutError(id, timeoutMs, last);
    // Retry-After is a lower bound: `Retry-After: 0` must not turn polling into a busy loop.
    await sleep(Math.min(atLeast(interval, polled.retryAfterMs), left), signal);
    interval = Math.min(interval * BACKOFF_FACTOR, maxInterval);
  }
}
