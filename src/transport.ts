// The HTTP layer: openapi-fetch typed by the generated `paths`, with the retry loop above it, a timeout and an
// abort link per attempt, debug logging, and the single mapping of failures to SDK errors.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { abortError, sleep } from './abort.js';
import { checkMaxRetries, checkTimeoutMs } from './checks.js';
import { logAttempt } from './debug-log.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  errorFromResponse,
  HandwritingOCRError,
} from './errors.js';
import type { Log } from './log.js';
import { type RetryRule, retryDelayMs, shouldRetry } from './retry.js';
import { clearDeadline, setDeadline } from './timeouts.js';
import type { RequestOptions } from './types.js';

/**
 * What one attempt passes to openapi-fetch: the caller's extra headers, and either a `fetch` bound to the
 * attempt's signal (default fetch) or the `signal` itself (custom fetch, which sees it on the Request).
 */
export interface AttemptInit {
  headers: Record<string, string> | undefined;
  signal?: AbortSignal;
  fetch?: (input: Request) => Promise<Response>;
}

/** What an attempt answers: openapi-fetch's `{ data, error, response }`. */
export interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** How a call is retried and logged. */
export interface CallSpec {
  method: string;
  /** The resolved path, for log lines. */
  path: string;
  retry: RetryRule;
  /** `false` for a body that cannot be sent twice (a stream): such a call is never retried. */
  replayable?: boolean;
  /**
   * An absolute time (epoch ms) the whole call must end by (a wait's deadline): each attempt's timeout and each
   * backoff are cut to the time left, and no attempt starts once it has passed (the last error is thrown).
   */
  deadline?: number;
}

/**
 * Wraps a failure that is ours, not the network's (e.g. a disk write in `downloadToFile`), so the transport
 * rethrows the original error instead of calling it a connection error.
 */
export class LocalFailure {
  constructor(readonly error: unknown) {}
}

/** Settings of a {@link Transport}. */
export interface TransportConfig {
  token: string;
  baseUrl: string;
  fetch: ((input: Request) => Promise<Response>) | undefined;
  maxRetries: number;
  timeoutMs: number;
  defaultHeaders: Record<string, string> | undefined;
  /** Also the token scrubber for error messages (`log.scrub`). */
  log: Log;
}

/** Sends requests; one instance per client. Holds the token in private fields only. */
export class Transport {
  /** The typed openapi-fetch client (Authorization and default headers preset). */
  readonly api: Client<paths>;
  readonly baseUrl: string;
  readonly origin: string;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly log: Log;
  readonly #fetch: (input: Request, init?: RequestInit) => Promise<Response>;
  readonly #custom: boolean;
  readonly #headers: Record<string, string>;

  constructor(config: TransportConfig) {
    this.baseUrl = config.baseUrl;
    this.origin = new URL(config.baseUrl).origin;
    this.maxRetries = config.maxRetries;
    this.timeoutMs = config.timeoutMs;
    this.log = config.log;
    // Resolve the global fetch per call when none is given, so a polyfill or test double installed later works.
    this.#custom = config.fetch !== undefined;
    this.#fetch = config.fetch ?? ((input, init) => fetch(input, init));
    this.#headers = { ...config.defaultHeaders, Authorization: `Bearer ${config.token}` };
    this.api = createClient<paths>({ baseUrl: config.baseUrl, fetch: this.#fetch, headers: this.#headers });
  }

  /**
   * Runs `send` until it succeeds or the retry rule says stop. Resolves with the 2xx answer (202 included);
   * rejects with an SDK error (APIError subclass, APIConnectionError, APIUserAbortError, ...).
   */
  async run<D>(
    spec: CallSpec,
    options: RequestOptions | undefined,
    send: (init: AttemptInit) => Promise<Answer<D>>,
  ): Promise<Answer<D>> {
    const signal = options?.signal;
    const maxRetries = options?.maxRetries ?? this.maxRetries;
    const callTimeoutMs = options?.timeoutMs ?? this.timeoutMs;
    // Checked here, before the first attempt, so a bad per-call option sends nothing (NaN would retry forever).
    checkMaxRetries(maxRetries);
    checkTimeoutMs(callTimeoutMs);
    const until = spec.deadline;
    const debug = this.log.debugEnabled;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortError(signal);
      const timeoutMs =
        until === undefined ? callTimeoutMs : Math.max(1, Math.min(callTimeoutMs, until - Date.now()));
      const started = debug ? performance.now() : 0;
      // One controller per attempt, its timeout on a shared timer (see timeouts.ts): cheaper than
      // AbortSignal.timeout + AbortSignal.any, or a timer of its own.
      const controller = new AbortController();
      const deadline =
        timeoutMs > 0 && timeoutMs < 2_147_483_647 ? setDeadline(controller, timeoutMs) : undefined;
      let onAbort: (() => void) | undefined;
      if (signal) {
        onAbort = () => controller.abort(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      }
      // Handing the signal to fetch() rather than to openapi-fetch's Request matters for speed: fetch() builds a
      // second Request that follows one signal either way, while a signal on the first one costs ~15 µs more.
      const init: AttemptInit = this.#custom
        ? { headers: options?.headers, signal: controller.signal }
        : {
            headers: options?.headers,
            fetch: (request) => this.#fetch(request, { signal: controller.signal }),
          };
      let outcome: Answer<D> | HandwritingOCRError | undefined;
      try {
        const answer = await send(init);
        outcome = answer.response.ok
          ? answer
          : errorFromResponse(answer.response, answer.error, this.log.scrub);
      } catch (thrown) {
        const classified = this.#classify(thrown, controller.signal, signal, timeoutMs);
        if (!(classified instanceof HandwritingOCRError) || classified instanceof APIUserAbortError)
          throw classified;
        outcome = classified;
      } finally {
        clearDeadline(deadline);
        if (onAbort) {
          const unlink = () => signal?.removeEventListener('abort', onAbort);
          // A body handed over as a stream is read after this returns: the caller's signal stays able to abort
          // it until the stream ends, fails or is cancelled.
          if (isStreamAnswer(outcome)) outcome.data = untilSettled(outcome.data, unlink);
          else unlink();
        }
      }
      if (debug)
        logAttempt(this.log, spec, attempt, started, outcome, { ...this.#headers, ...options?.headers });
      if (!(outcome instanceof HandwritingOCRError)) return outcome;
      const error = outcome;
      if (attempt > maxRetries || !shouldRetry(spec.retry, error, spec.replayable !== false)) throw error;
      let delay = retryDelayMs(attempt, error);
      if (until !== undefined) {
        const left = until - Date.now();
        if (left <= 0) throw error;
        delay = Math.min(delay, left);
      }
      this.log.warn(
        `${spec.method} ${spec.path} failed (${error.message}); retry ${attempt} in ${delay} ms.`,
      );
      await sleep(delay, signal);
      // The deadline passed during the backoff: another attempt would be cut at once.
      if (until !== undefined && Date.now() >= until) throw error;
    }
  }

  /** A GET of a URL outside the spec's paths (a thumbnail), with the token and the caller's headers. */
  fetchUrl(url: URL, init: AttemptInit): Promise<Response> {
    const headers = init.headers ? { ...this.#headers, ...init.headers } : this.#headers;
    const request = new Request(url, { headers, signal: init.signal });
    return init.fetch ? init.fetch(request) : this.#fetch(request);
  }

  #classify(
    thrown: unknown,
    attempt: AbortSignal,
    caller: AbortSignal | undefined,
    timeoutMs: number,
  ): unknown {
    if (caller?.aborted) return abortError(caller);
    if (thrown instanceof LocalFailure) return thrown.error;
    if (attempt.aborted) {
      return new APIConnectionTimeoutError(`Request timed out after ${timeoutMs} ms.`, { cause: thrown });
    }
    if (thrown instanceof HandwritingOCRError) return thrown;
    const cause = (thrown as { cause?: unknown } | null)?.cause;
    if (cause instanceof HandwritingOCRError) return cause; // e.g. a streamed upload body over the size limit
    if (cause instanceof LocalFailure) return cause.error;
    if (thrown instanceof SyntaxError) {
      return new HandwritingOCRError(`The API sent a response that is not valid JSON: ${thrown.message}`, {
        cause: thrown,
      });
    }
    return new APIConnectionError(this.log.scrub(`Connection error: ${describe(thrown)}.`), {
      cause: thrown,
    });
  }
}

function isStreamAnswer(outcome: unknown): outcome is { data: ReadableStream<Uint8Array> } {
  const data = (outcome as Answer<unknown> | undefined)?.data;
  // Duck-typed: a custom fetch may hand over a polyfilled stream (and some runtimes lack the global).
  return typeof (data as ReadableStream | undefined)?.getReader === 'function';
}

/** `body` as a stream that calls `done` once when it ends, fails or is cancelled. */
function untilSettled(body: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          done();
          controller.close();
        } else controller.enqueue(chunk.value);
      } catch (err) {
        done();
        controller.error(err);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = code ?? (typeof cause?.message === 'string' ? cause.message : undefined);
  return detail ? `${error.message} (${detail})` : error.message;
}
