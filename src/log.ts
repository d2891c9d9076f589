// Logging levels and the token scrubber: the token must never reach a log line. Debug lines, with their redacted
// details, are written by debug-log.ts.
import { must } from './checks.js';
import type { Scrub } from './secrets.js';
import type { Logger, LogLevel } from './types.js';

export { REDACTED, scrubberFor } from './secrets.js';

const LEVELS: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** A logger bound to a level; the level is resolved once so hot paths test a boolean. */
export class Log {
  readonly debugEnabled: boolean;
  readonly #warn: boolean;

  constructor(
    readonly logger: Logger,
    level: LogLevel | undefined,
    readonly scrub: Scrub,
  ) {
    // The client has checked that a level is a string; hasOwn keeps out what every object has (`toString`).
    const name = level ?? 'off';
    const resolved = Object.hasOwn(LEVELS, name) ? LEVELS[name] : undefined;
    if (resolved === undefined) throw must('logLevel', `one of ${Object.keys(LEVELS).join(', ')}`);
    this.#warn = resolved >= LEVELS.warn;
    this.debugEnabled = resolved >= LEVELS.debug;
  }

  /** Logs at `warn`, scrubbed. */
  warn(message: string): void {
    if (this.#warn) this.logger.warn(`[handwriting-ocr] ${this.scrub(message)}`);
  }
}
