// The one place that decides what is retried, and how long to wait before the next attempt.
import { APIConnectionError, APIError, type HandwritingOCRError, RateLimitError } from './errors.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * How an operation may be retried:
 * - `idempotent` (GET, DELETE): on 408, 429, 500, 502, 503, 504, connection errors and timeouts;
 * - `rejected-only` (upload): only on 429, an answer that says the request was refused before any work
 *   was done. A 5xx or a dropped connection leaves the outcome unknown, and a second upload spends credits twice;
 * - `never` (credit top-up): it charges money.
 */
export type RetryRule = 'idempotent' | 'rejected-only' | 'never';

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Longest wait the SDK accepts from a `Retry-After`. */
export const MAX_RETRY_AFTER_MS = 60_000;
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/** Whether `error` may be retried under `rule`. A body that cannot be sent twice (a stream) never is. */
export function shouldRetry(rule: RetryRule, error: HandwritingOCRError, replayable: boolean): boolean {
  if (rule === 'never' || !replayable) return false;
  if (rule === 'rejected-only') return error instanceof RateLimitError;
  if (error instanceof APIConnectionError) return true; // includes APIConnectionTimeoutError
  return error instanceof APIError && RETRY_STATUSES.has(error.status);
}

/**
 * Wait before retry number `retry` (1-based): exponential backoff from 0.5 s, capped at 8 s, minus up to 25 %
 * jitter so clients spread out. When the server says how long to wait (`Retry-After`), that is a lower bound, with
 * a small random delay on top so that many clients told the same do not come back in the same millisecond; a
 * `Retry-After: 0` or a past date never makes a back-to-back retry. `undefined` when the server asks for more
 * than {@link MAX_RETRY_AFTER_MS}: the error goes to the caller (with its `retryAfterMs`) instead of a blind wait.
 */
export function retryDelayMs(
  retry: number,
  error: HandwritingOCRError,
  random = Math.random,
): number | undefined {
  const base = Math.min(INITIAL_DELAY_MS * 2 ** (retry - 1), MAX_DELAY_MS);
  const backoff = Math.round(base * (1 - 0.25 * random()));
  const hinted = retryAfterOf(error);
  if (hinted === undefined) return backoff;
  if (hinted > MAX_RETRY_AFTER_MS) return undefined;
  return Math.max(backoff, hinted + Math.round(random() * Math.min(1_000, 100 + hinted / 10)));
}

/** `wait`, or the server's hint when it asks for longer; a hint counts up to {@link MAX_RETRY_AFTER_MS}. */
export function atLeast(wait: number, hintedMs: number | undefined): number {
  return hintedMs === undefined ? wait : Math.max(wait, Math.min(hintedMs, MAX_RETRY_AFTER_MS));
}

/** The server's "ask again in" hint carried by an error (`Retry-After`), in ms. */
export function retryAfterOf(error: HandwritingOCRError): number | undefined {
  if (error instanceof RateLimitError) return error.retryAfterMs;
  if (error instanceof APIError) return parseRetryAfter(error.headers.get('retry-after'));
  return undefined;
}
