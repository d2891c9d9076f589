// Logging levels and redaction: the token must never reach a log line.
import type { Logger, LogLevel } from './types.js';

const LEVELS: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** Placeholder written instead of a secret. */
export const REDACTED = '[REDACTED]';

// Keys whose values are secrets wherever they appear (`token` is the API token in `/users/me`).
const SECRET_KEYS = /^(authorization|token|api[-_]?token|secret|password|x-signature|cookie|set-cookie)$/i;

/** A logger bound to a level; the level is resolved once so hot paths test a boolean. */
export class Log {
  readonly debugEnabled: boolean;
  readonly #logger: Logger;
  readonly #level: number;
  readonly #scrub: (text: string) => string;

  constructor(logger: Logger | undefined, level: LogLevel | undefined, scrub: (text: string) => string) {
    const resolved = LEVELS[level ?? 'off'];
    if (resolved === undefined) throw new TypeError(`Unknown logLevel ${JSON.stringify(level)}.`);
    this.#level = resolved;
    this.#logger = logger ?? console;
    this.#scrub = scrub;
    this.debugEnabled = resolved >= LEVELS.debug;
  }

  /** Logs at `debug`; `details` are redacted first. */
  debug(message: string, details?: Record<string, unknown>): void {
    if (this.#level >= LEVELS.debug) this.#emit('debug', message, details);
  }

  /** Logs at `warn`. */
  warn(message: string, details?: Record<string, unknown>): void {
    if (this.#level >= LEVELS.warn) this.#emit('warn', message, details);
  }

  #emit(level: 'debug' | 'warn', message: string, details?: Record<string, unknown>): void {
    const line = `[handwriting-ocr] ${this.#scrub(message)}`;
    if (details === undefined) this.#logger[level](line);
    else this.#logger[level](line, redact(details, this.#scrub));
  }
}

/** Placeholder written instead of an object nested deeper than redaction looks. */
export const TRUNCATED = '[Truncated]';
const MAX_DEPTH = 8;

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

/** A function that replaces every occurrence of `secret` in a text. */
export function scrubberFor(secret: string): (text: string) => string {
  if (secret.length < 4) return (text) => text; // too short to search for without mangling ordinary text
  return (text) => (text.includes(secret) ? text.split(secret).join(REDACTED) : text);
}
