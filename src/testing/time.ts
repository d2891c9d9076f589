// The API's two timestamp shapes (see the spec's `Timestamp` schema).

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Laravel's JSON timestamp: `2026-03-05T14:49:19.000000Z` (microseconds, UTC). */
export function isoTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.toISOString().slice(0, 19)}.${pad(d.getUTCMilliseconds(), 3)}000Z`;
}

/** The document detail's `automatically_deleted_at`: `2026-03-05 14:49:19` (UTC). */
export function sqlTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** ISO 8601 without fractions (`2026-03-09T10:21:25Z`), as the topup 429 sends `retry_after`. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
