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
    const resolved = typeof level === 'string' && Object.hasOwn(LEVELS, level) ? LEVELS[level] : undefined;
    if (level !== undefined && resolved === undefined) {
      throw must('logLevel', `one of ${Object.keys(LEVELS).join(', ')}`);
    }
    this.#warn = (resolved ?? 0) >= LEVELS.warn;
    this.debugEnabled = (resolved ?? 0) >= LEVELS.debug;
  }

  /** Logs at `warn`, scrubbed. */
  warn(message: string): void {
    if (this.#warn) this.logger.warn(`[handwriting-ocr] ${this.scrub(message)}`);
  }
}
