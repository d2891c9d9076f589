// Parsing of "when may I ask again" hints: the Retry-After header and the topup 429 body's `retry_after`.

// What is shaped like a date, with a time of day: an HTTP date (day name first: IMF-fixdate, RFC 850, asctime) or
// an ISO 8601 instant (the topup body's `retry_after`). V8's Date.parse reads nearly anything else (`-5`, `3,5`) as
// some day of 2001, which would turn an invalid hint into "retry at once". (`.*\d:` also takes a two-digit hour.)
const DATE_LIKE = /^(?:[A-Za-z]{3,9},?\s|\d{4}-\d{2}-\d{2}T).*\d:\d{2}/;

/**
 * Milliseconds from now given by a `Retry-After` value: delay-seconds or an HTTP date (RFC 9110).
 * `undefined` when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!DATE_LIKE.test(text)) return undefined;
  // An asctime date (`Sun Nov  6 08:49:37 1994`), the one HTTP date that ends with its year and names no zone, is
  // UTC like every HTTP date, but Date.parse reads a date without a zone in the machine's zone: say GMT.
  const at = Date.parse(text.replace(/ \d{4}$/, '$& GMT'));
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
