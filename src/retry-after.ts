// Parsing of "when may I ask again" hints: the Retry-After header and the topup 429 body's `retry_after`.

/**
 * Milliseconds from now given by a `Retry-After` value: delay-seconds or an HTTP date (RFC 9110).
 * `undefined` when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Milliseconds from now until an ISO 8601 instant (the topup 429 body's `retry_after`). */
export function parseRetryAt(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
