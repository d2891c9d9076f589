// Debug lines: one per attempt, with method, path, status, duration, attempt number, request headers and JSON
// body, secrets redacted.
import type { HandwritingOCRError } from './errors.js';
import type { Log } from './log.js';
import { redact } from './secrets.js';
import type { CallSpec, Result } from './transport.js';

/** Logs one attempt at `debug`: `outcome` is the 2xx answer or the error it ended with. */
export function logAttempt(
  log: Log,
  spec: CallSpec,
  attempt: number,
  started: number,
  outcome: Result<unknown> | HandwritingOCRError,
  requestHeaders: Record<string, string>,
  scrub: (text: string) => string = log.scrub,
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
    `[handwriting-ocr] ${scrub(`${spec.method} ${spec.path} ${status} ${durationMs} ms (attempt ${attempt})`)}`,
    redact(details, scrub),
  );
}

function isJsonOrText(data: unknown): boolean {
  return typeof data === 'string' || Array.isArray(data) || (data as object | null)?.constructor === Object;
}
