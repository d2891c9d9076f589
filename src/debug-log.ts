// Debug lines: one per attempt, with method, path, status, duration, attempt number, request headers and JSON
// body, secrets redacted.
import type { HandwritingOCRError } from './errors.js';
import { type Log, REDACTED } from './log.js';
import type { Answer, CallSpec } from './transport.js';

// Keys whose values are secrets wherever they appear (`token` is the API token in `/users/me`).
const SECRET_KEYS = /^(authorization|token|api[-_]?token|secret|password|x-signature|cookie|set-cookie)$/i;

/** Placeholder written instead of an object nested deeper than redaction looks. */
export const TRUNCATED = '[Truncated]';
const MAX_DEPTH = 8;

/** Logs one attempt at `debug`: `outcome` is the 2xx answer or the error it ended with. */
export function logAttempt(
  log: Log,
  spec: CallSpec,
  attempt: number,
  started: number,
  outcome: Answer<unknown> | HandwritingOCRError,
  requestHeaders: Record<string, string>,
): void {
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  const failed = !('response' in outcome);
  const status = !failed
    ? outcome.response.status
    : 'status' in outcome
      ? (outcome as { status: number }).status
      : outcome.name;
  const details: Record<string, unknown> = {
    method: spec.method,
    path: spec.path,
    status,
    durationMs,
    attempt,
    requestHeaders,
  };
  if (failed) details.error = outcome.message;
  else if (isJsonOrText(outcome.data)) details.body = outcome.data; // bytes and streams are left out
  log.logger.debug(
    `[handwriting-ocr] ${log.scrub(`${spec.method} ${spec.path} ${status} ${durationMs} ms (attempt ${attempt})`)}`,
    redact(details, log.scrub),
  );
}

function isJsonOrText(data: unknown): boolean {
  return typeof data === 'string' || Array.isArray(data) || (data as object | null)?.constructor === Object;
}

/**
 * A deep copy of `value` with secret-named fields replaced and the token scrubbed from every string. An object
 * nested deeper than {@link MAX_DEPTH} levels is replaced by {@link TRUNCATED}: what is not inspected is not logged.
 */
export function redact(value: unknown, scrub: (text: string) => string = (t) => t, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return TRUNCATED;
  if (value instanceof Headers) return redact(Object.fromEntries(value), scrub, depth);
  if (Array.isArray(value)) return value.map((item) => redact(item, scrub, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) && item != null ? REDACTED : redact(item, scrub, depth + 1);
  }
  return out;
}
