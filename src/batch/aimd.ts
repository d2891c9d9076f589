// Rate-adaptive concurrency (AIMD, as TCP does it): the number of requests allowed in flight halves on a 429
// and grows back by about one per window of successes, between 1 and `max`. A 429's Retry-After pauses
// every new request until it has passed.

/** Options of {@link AimdLimiter}. */
export interface AimdOptions {
  /** Requests in flight to start with. */
  initial: number;
  /** Never more in flight than this. */
  max: number;
  /** The clock; default `Date.now`. */
  now?: () => number;
}

/** What became of a request that held a slot. */
export type AimdOutcome =
  | { kind: 'ok' }
  /** Refused for its rate (429); `retryAfterMs` as the server asked, if it did. */
  | { kind: 'rate-limited'; retryAfterMs?: number | undefined }
  /** Any other failure: says nothing about the rate. */
  | { kind: 'error' };

/** A slot, to be released once with what became of the request. */
export interface AimdSlot {
  /** Gives the slot back, saying how the request went (a second call does nothing). */
  release(outcome: AimdOutcome): void;
}

interface Waiter {
  resolve: (slot: AimdSlot) => void;
  reject: (err: unknown) => void;
}

/** When no Retry-After came with a 429: wait this long before sending again. */
const DEFAULT_PAUSE_MS = 1_000;

/**
 * Hands out slots for requests, at most `limit` at a time (`limit` moves between 1 and `max`).
 *
 * One burst of 429s halves the limit once: requests that were sent before the first decrease was decided
 * carry the old epoch, and their 429s only extend the pause.
 */
export class AimdLimiter {
  #limit: number;
  #inFlight = 0;
  #epoch = 0;
  #resumeAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #max: number;
  readonly #now: () => number;
  readonly #waiters: Waiter[] = [];
  /** Times the limit was halved. */
  decreases = 0;
  /** The highest number of requests that were ever in flight at once. */
  peakInFlight = 0;

  constructor(options: AimdOptions) {
    if (!(Number.isInteger(options.max) && options.max >= 1))
      throw new RangeError('max must be an integer >= 1');
    if (!(Number.isInteger(options.initial) && options.initial >= 1))
      throw new RangeError('initial must be an integer >= 1');
    this.#max = options.max;
    this.#limit = Math.min(options.initial, options.max);
    this.#now = options.now ?? Date.now;
  }

  /** How many requests may be in flight now. */
  get limit(): number {
    return Math.floor(this.#limit);
  }

  /** How many are in flight. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves with a slot once the limit and any Retry-After pause allow one; rejects if `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<AimdSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<AimdSlot>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) {
          this.#waiters.splice(i, 1);
          reject(signal?.reason);
        }
      };
      // The listener goes once the slot is handed out: a batch acquires thousands of slots on one signal.
      const waiter: Waiter = {
        resolve: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        reject,
      };
      this.#waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pump();
    });
  }

  /**
   * Resolves once no Retry-After pause is running: a slot holder calls it just before sending, in case a 429
   * arrived since its slot was handed out.
   */
  async whenOpen(): Promise<void> {
    for (let wait = this.#resumeAt - this.#now(); wait > 0; wait = this.#resumeAt - this.#now()) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Stops any pending wake-up timer (the waiters stay). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #pump(): void {
    const wait = this.#resumeAt - this.#now();
    if (wait > 0) {
      if (this.#timer === undefined && this.#waiters.length > 0) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#pump();
        }, wait);
      }
      return;
    }
    while (this.#waiters.length > 0 && this.#inFlight < this.limit) {
      const waiter = this.#waiters.shift() as Waiter;
      this.#inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.#inFlight);
      waiter.resolve(this.#slot(this.#epoch));
    }
  }

  #slot(epoch: number): AimdSlot {
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.#inFlight--;
        if (outcome.kind === 'ok') {
          // Additive increase: about +1 once a whole window of requests has succeeded.
          this.#limit = Math.min(this.#max, this.#limit + 1 / this.#limit);
        } else if (outcome.kind === 'rate-limited') {
          if (epoch === this.#epoch) {
            this.#limit = Math.max(1, this.#limit / 2);
            this.#epoch++;
            this.decreases++;
          }
          const pause = outcome.retryAfterMs ?? DEFAULT_PAUSE_MS;
          this.#resumeAt = Math.max(this.#resumeAt, this.#now() + pause);
        }
        this.#pump();
      },
    };
  }
}
