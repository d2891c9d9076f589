// Turning any failure into one readable line and an exit code.
import {
  APIConnectionError,
  APIUserAbortError,
  AuthenticationError,
  InvalidParamsError,
  NotReadyError,
  PaymentRequiredError,
  RateLimitError,
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

/** One line saying what went wrong and, where it helps, what to do. */
export function describeError(err: unknown): string {
  if (isAbort(err)) return 'interrupted';
  if (!(err instanceof Error)) return oneLine(String(err));
  let message = err.message || err.name;
  if (err instanceof AuthenticationError) {
    message += ` (check ${TOKEN_ENV} or --token-file)`;
  } else if (err instanceof PaymentRequiredError && err.authenticationUrl) {
    message += ` Confirm the payment at ${err.authenticationUrl}, then try again.`;
  } else if (err instanceof RateLimitError && err.retryAfterMs !== undefined) {
    message += ` Try again in ${humanDuration(err.retryAfterMs)}.`;
  } else if (err instanceof NotReadyError) {
    message += ` Wait for it with --wait.`;
  } else if (err instanceof APIConnectionError) {
    const cause = causeText(err.cause);
    if (cause) message = `${message.replace(/\.$/, '')}: ${cause}`;
  }
  return oneLine(message);
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
