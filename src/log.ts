// Logging levels and the token scrubber: the token must never reach a log line. Debug lines, with their redacted
// details, are written by debug-log.ts.
import type { Logger, LogLevel } from './types.js';

const LEVELS: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** Placeholder written instead of a secret. */
export const REDACTED = '[REDACTED]';

/** A logger bound to a level; the level is resolved once so hot paths test a boolean. */
export class Log {
  readonly debugEnabled: boolean;
  readonly #warn: boolean;

  constructor(
    readonly logger: Logger,
    level: LogLevel | undefined,
    readonly scrub: (text: string) => string,
  ) {
    const resolved = LEVELS[level ?? 'off'];
    if (resolved === undefined) throw new TypeError(`Unknown logLevel ${JSON.stringify(level)}.`);
    this.#warn = resolved >= LEVELS.warn;
    this.debugEnabled = resolved >= LEVELS.debug;
  }

  /** Logs at `warn`, scrubbed. */
  warn(message: string): void {
    if (this.#warn) this.logger.warn(`[handwriting-ocr] ${this.scrub(message)}`);
  }
}

/** A function that replaces every occurrence of `secret` in a text. */
export function scrubberFor(secret: string): (text: string) => string {
  if (secret.length < 4) return (text) => text; // too short to search for without mangling ordinary text
  return (text) => (text.includes(secret) ? text.split(secret).join(REDACTED) : text);
}
