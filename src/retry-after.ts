// Parsing of "when may I ask again" hints: the Retry-After header and the topup 429 body's `retry_after`.

// What is shaped like a date, with a time of day: an HTTP date (day name first: IMF-fixdate, RFC 850, asctime) or
// an ISO 8601 instant (the topup body's `retry_after`). V8's Date.parse reads nearly anything else (`-5`, `3,5`) as
// some day of 2001, which would turn an invalid hint into "retry at once". (`.*\d:` also takes a two-digit hour.)
const DATE_LIKE = /^(?:[A-Za-z]{3,9},?\s|\d{4}-\d{2}-\d{2}T).*\d:\d{2}/;
// A date that ends in its zone: a name (`GMT`, `EST`, ISO's `Z`) or an offset (`+0900`, `-05:00`, `+9`, `GMT+9`).
const ZONED = /(?:[A-Za-z]|[+-][\d:]+)$/;

/**
 * Milliseconds from now given by a `Retry-After` value: delay-seconds or an HTTP date (RFC 9110).
 * `undefined` when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!DATE_LIKE.test(text)) return undefined;
  // A date that names no zone (asctime always; an IMF-fixdate or ISO instant missing its `GMT` or `Z`) is UTC, as
  // every HTTP date is, but Date.parse would read it in the machine's zone: say UTC.
  const zone = ZONED.test(text) ? '' : /^\d/.test(text) ? 'Z' : ' GMT';
  const at = Date.parse(text + zone);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Milliseconds from now given by a 429 body's `retry_after`: an ISO 8601 instant (what `/credits/topup` sends), or
 * a number of seconds, as a number or a string (not seen, but the natural reading of a number there).
 */
export function parseRetryAt(value: unknown, now = Date.now()): number | undefined {
  if (typeof value === 'number') return value >= 0 && value < 1e9 ? Math.round(value * 1000) : undefined;
  return typeof value === 'string' ? parseRetryAfter(value, now) : undefined;
}
