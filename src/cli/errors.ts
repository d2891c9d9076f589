// Turning any failure into one readable line and an exit code.
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  DEFAULT_BASE_URL,
  InvalidParamsError,
  NotFoundError,
  NotReadyError,
  PaymentRequiredError,
  RateLimitError,
  UnprocessableEntityError,
  type WaitTimeoutError,
} from '../index.js';
import { TOKEN_ENV } from './config.js';
import { CommandFailure, ExitCode, UsageError } from './io.js';

/** Whether `err` comes from an abort (Ctrl-C). */
export function isAbort(err: unknown): boolean {
  return err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError');
}

/** The exit code for an error a command threw. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommandFailure) return err.exitCode;
  // Both mean the command line asked for something impossible; nothing was sent.
  if (err instanceof UsageError || err instanceof InvalidParamsError) return ExitCode.usage;
  if (isAbort(err)) return ExitCode.interrupted;
  return ExitCode.failure;
}

/** What a message may mention beyond the error itself. */
export interface ErrorHints {
  /** The API root in use: a 404 under a root without its version (`/v3`) is most likely a wrong root. */
  baseUrl?: string | undefined;
}

/** One line saying what went wrong and, where it helps, what to do. */
export function describeError(err: unknown, hints: ErrorHints = {}): string {
  if (isAbort(err)) return 'interrupted';
  if (!(err instanceof Error)) return oneLine(String(err));
  let message = err.message || err.name;
  if (err instanceof AuthenticationError) {
    message += ` (check ${TOKEN_ENV} or --token-file)`;
  } else if (err instanceof PaymentRequiredError && err.authenticationUrl) {
    message += ` Confirm the payment at ${err.authenticationUrl}, then try again.`;
  } else if (err instanceof RateLimitError && err.retryAfterMs !== undefined) {
    message += ` Try again in ${humanDuration(err.retryAfterMs)}.`;
  } else if (err instanceof NotFoundError && hints.baseUrl && lacksVersion(hints.baseUrl)) {
    message += ` (is the base URL right? ${hints.baseUrl} has no version in its path; the API's is ${DEFAULT_BASE_URL})`;
  } else if (err instanceof NotReadyError) {
    message += ` Wait for it with --wait.`;
  } else if (err instanceof APIConnectionError) {
    const cause = causeText(err.cause);
    if (cause) message = `${message.replace(/\.$/, '')}: ${cause}`;
  }
  return oneLine(message);
}

function lacksVersion(baseUrl: string): boolean {
  try {
    return !/\/v\d+\/?$/.test(new URL(baseUrl).pathname);
  } catch {
    return false;
  }
}

/** An error as `--json` prints it: `{ error, code, status }`. */
export interface ErrorJson {
  /** The same line the plain output shows. */
  error: string;
  /**
   * What kind of failure, for scripts: the API's own `code` where it gives one (a 422 on top-up), else e.g.
   * `usage`, `invalid_params`, `not_found`, `authentication`, `interrupted`, `failed`.
   */
  code: string;
  /** The HTTP status, for an answer of the API; `null` otherwise. */
  status: number | null;
}

/** `err` as the JSON object `--json` prints on stderr. */
export function errorJson(err: unknown, hints: ErrorHints = {}): ErrorJson {
  return {
    error: describeError(err, hints),
    code: errorCode(err),
    status: err instanceof APIError ? err.status : null,
  };
}

function errorCode(err: unknown): string {
  if (isAbort(err)) return 'interrupted';
  if (err instanceof UnprocessableEntityError && err.code) return err.code;
  if (err instanceof UsageError) return 'usage';
  if (err instanceof CommandFailure) {
    if (err.exitCode === ExitCode.usage) return 'usage';
    return err.exitCode === ExitCode.interrupted ? 'interrupted' : 'failed';
  }
  if (!(err instanceof Error)) return 'error';
  // NotFoundError → not_found, APIConnectionTimeoutError → api_connection_timeout
  const name = err.name.replace(/Error$/, '') || 'error';
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The SDK's default wait deadline (10 minutes), in the seconds `--timeout` takes. */
export const DEFAULT_TIMEOUT_S = 600;

/**
 * A wait that passed its deadline, in the unit the user typed (`--timeout 1` → "1 s", not the SDK's "1000 ms"),
 * with what picks the document up later: `next`, e.g. a quoted command, or "rerun the same command".
 */
export function waitTimeoutMessage(
  err: WaitTimeoutError,
  timeoutSeconds: number | undefined,
  next: string,
): string {
  const limit =
    timeoutSeconds !== undefined
      ? `${timeoutSeconds} s (--timeout)`
      : `${DEFAULT_TIMEOUT_S} s (the default --timeout)`;
  const last = err.document ? `; last status: ${err.document.status}` : '';
  return `document ${err.id} was not processed within ${limit}${last}. It may still finish: ${next}.`;
}

/** `err.stack` plus its causes', for `--debug`. */
export function describeStack(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? String(current)) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}

/** `90000` → `2 minutes`; `5000` → `5 seconds`. */
export function humanDuration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

function causeText(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  // undici wraps the socket error one level deeper ("fetch failed" → "connect ECONNREFUSED …").
  const inner = cause.cause instanceof Error ? cause.cause : undefined;
  return (inner ?? cause).message || undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
