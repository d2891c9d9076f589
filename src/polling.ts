// Waiting for a document: poll, back off, honour Retry-After, stop on a final status, the deadline, or abort.
import { sleep } from './abort.js';
import { checkDuration, checkHeaders, checkRequestOptions, readObject } from './checks.js';
import {
  APIConnectionError,
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
  if (read.pollIntervalMs !== undefined) checkDuration('pollIntervalMs', read.pollIntervalMs);
  if (read.maxPollIntervalMs !== undefined) checkDuration('maxPollIntervalMs', read.maxPollIntervalMs);
  // The options each poll request takes, checked as any request's are.
  checkRequestOptions({ signal, maxRetries, headers, timeoutMs: requestTimeoutMs });
  for (const name of ['onStatus', 'onUploaded'] as const) {
    if (read[name] !== undefined && typeof read[name] !== 'function') {
      throw new InvalidParamsError(`${name} must be a function.`, name);
    }
  }
  return { ...read, headers: checkHeaders(headers) } as WaitOptions;
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
  options = checkWaitOptions(options);
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
      } else if (err instanceof APIConnectionError) {
        // A poll that got no answer (or timed out) says nothing about the document: ride it out to the deadline.
        if (Date.now() >= deadline) throw new WaitTimeoutError(id, timeoutMs, last);
        polled = { document: last ?? { id, status: 'processing' }, retryAfterMs: undefined };
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
