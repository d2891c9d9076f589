// An upload rate limit for the simulator: a token bucket that holds one second's worth of uploads. Past it,
// `POST /documents` is answered 429 with `Retry-After` (whole seconds, as the API sends it) and nothing is created.

/** One token per upload, refilled continuously at `perSecond`. */
export class UploadRateLimit {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    if (!(Number.isFinite(perSecond) && perSecond > 0))
      throw new RangeError('uploadsPerSecond must be a positive number');
    this.tokens = perSecond;
    this.last = now();
  }

  /** Takes a token: `undefined` when the upload may go on, else the `Retry-After` seconds to answer. */
  take(): number | undefined {
    const t = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
  }
}
