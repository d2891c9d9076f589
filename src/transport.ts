// The HTTP layer: openapi-fetch typed by the generated `paths`, with the retry loop above it, one timer and one
// abort link per attempt, redirects judged here, debug logging, and the single mapping of failures to SDK errors.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { abortError, linkSignal, sleep } from './abort.js';
import { checkRequestOptions } from './checks.js';
import { logAttempt } from './debug-log.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  errorFromResponse,
  HandwritingOCRError,
} from './errors.js';
import { guard } from './io.js';
import type { Log } from './log.js';
import { type RetryRule, retryDelayMs, shouldRetry } from './retry.js';
import { headerSecrets, type Scrub, SECRET_NAME, safeCause, scrubberFor } from './secrets.js';
import type { RequestOptions } from './types.js';

/** What one attempt passes to openapi-fetch: the caller's extra headers and the attempt's signal. */
export interface AttemptInit {
  headers: Record<string, string> | undefined;
  signal: AbortSignal;
}

/** What openapi-fetch answers (with `parseAs: 'stream'`): the response, and the error body it read for a non-2xx. */
export interface Sent {
  response: Response;
  error?: unknown;
}

/** What a 2xx body reader gets besides the response. */
export interface ReadContext {
  /** Removes the call's secrets from a text (for error bodies and messages). */
  scrub: Scrub;
  /**
   * Hands the body over as a stream the caller reads after the call returns. The caller's signal keeps governing
   * it, and a stall of more than the call's timeout between chunks ends it with `APIConnectionTimeoutError`.
   */
  handover(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array>;
}

/** A successful call: the value read from the 2xx body, and the response. */
export interface Result<T> {
  data: T;
  response: Response;
}

/** How a call is retried and logged. */
export interface CallSpec {
  method: 'GET' | 'POST' | 'DELETE';
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

/** Settings of a {@link Transport}. */
export interface TransportConfig {
  token: string;
  baseUrl: string;
  fetch: ((input: Request) => Promise<Response>) | undefined;
  maxRetries: number;
  timeoutMs: number;
  defaultHeaders: Record<string, string> | undefined;
  log: Log;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
// setTimeout's longest delay; a longer timeout (or Infinity) means none.
const MAX_TIMER_MS = 2_147_483_647;

/** Sends requests; one instance per client. Holds the token in private fields only. */
export class Transport {
  /** The typed openapi-fetch client (Authorization and default headers preset, redirects not followed). */
  readonly api: Client<paths>;
  readonly baseUrl: string;
  readonly origin: string;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly log: Log;
  readonly #fetch: (input: Request) => Promise<Response>;
  readonly #headers: Record<string, string>;
  readonly #secrets: string[];
  /** The scrubber of a call without headers of its own: the same for every such call, so built once. */
  readonly #scrub: Scrub;

  constructor(config: TransportConfig) {
    this.baseUrl = config.baseUrl;
    this.origin = new URL(config.baseUrl).origin;
    this.maxRetries = config.maxRetries;
    this.timeoutMs = config.timeoutMs;
    this.log = config.log;
    // Resolve the global fetch per call when none is given, so a polyfill or test double installed later works.
    const custom = config.fetch;
    this.#fetch = custom ?? ((input) => fetch(input));
    this.#headers = { ...config.defaultHeaders, Authorization: `Bearer ${config.token}` };
    this.#secrets = [config.token, ...headerSecrets(config.defaultHeaders)];
    this.#scrub = scrubberFor(...this.#secrets);
    // `redirect: 'manual'` on every request (all runtimes accept it; Workers reject 'error'): #send follows a
    // GET's redirects itself, and a request with a side effect never follows one.
    this.api = createClient<paths>({
      baseUrl: config.baseUrl,
      fetch: (request: Request) => this.#send(request),
      headers: this.#headers,
      redirect: 'manual',
    });
  }

  /**
   * Runs `send` until it succeeds or the retry rule says stop; a 2xx body is read by `read` inside the attempt, so
   * a body that breaks off is retried and reported like any failed request. Rejects with an SDK error (APIError
   * subclass, APIConnectionError, APIUserAbortError, UnexpectedResponseError, ...).
   */
  async run<T>(
    spec: CallSpec,
    options: RequestOptions | undefined,
    send: (init: AttemptInit) => Promise<Sent>,
    read: (response: Response, context: ReadContext) => Promise<T>,
  ): Promise<Result<T>> {
    const {
      signal,
      headers,
      maxRetries = this.maxRetries,
      timeoutMs: callTimeoutMs = this.timeoutMs,
    } = checkRequestOptions(options);
    const scrub = headers ? scrubberFor(...this.#secrets, ...headerSecrets(headers)) : this.#scrub;
    const until = spec.deadline;
    const debug = this.log.debugEnabled;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortError(signal);
      const timeoutMs =
        until === undefined ? callTimeoutMs : Math.max(1, Math.min(callTimeoutMs, until - Date.now()));
      const started = debug ? performance.now() : 0;
      const controller = new AbortController();
      const unlink = linkSignal(signal, controller);
      let timedOut = false;
      // A plain timer, not unref'd: a fetch that never settles must end in a timeout error, not in a process
      // that exits with the call still pending.
      const timer =
        timeoutMs <= MAX_TIMER_MS
          ? setTimeout(() => {
              timedOut = true;
              controller.abort(new DOMException('The attempt timed out.', 'TimeoutError'));
            }, timeoutMs)
          : undefined;
      let handedOver = false;
      const context: ReadContext = {
        scrub,
        handover: (body) => {
          handedOver = true;
          return governed(body, { controller, unlink, timeoutMs, signal, scrub });
        },
      };
      let outcome: Result<T> | HandwritingOCRError;
      try {
        // Raced against the attempt's signal: a custom fetch (or body) that ignores the signal and never settles
        // still ends at the timeout.
        outcome = await untilAborted(controller.signal, async () => {
          const { response, error } = await send({ headers, signal: controller.signal });
          return response.ok
            ? { data: await read(response, context), response }
            : errorFromResponse(response, error, scrub);
        });
      } catch (thrown) {
        if (signal?.aborted) throw abortError(signal);
        outcome = classify(thrown, timedOut, timeoutMs, scrub);
      } finally {
        clearTimeout(timer);
        if (!handedOver) unlink();
      }
      if (debug)
        logAttempt(this.log, spec, attempt, started, outcome, { ...this.#headers, ...headers }, scrub);
      if (!(outcome instanceof HandwritingOCRError)) return outcome;
      const error = outcome;
      if (attempt > maxRetries || !shouldRetry(spec.retry, error, spec.replayable !== false)) throw error;
      const delay = retryDelayMs(attempt, error);
      if (delay === undefined) throw error; // the server asks for a longer wait than the SDK takes on its own
      const left = until === undefined ? delay : until - Date.now();
      if (left <= 0) throw error;
      const wait = Math.min(delay, left);
      this.log.warn(
        scrub(`${spec.method} ${spec.path} failed (${error.message}); retry ${attempt} in ${wait} ms.`),
      );
      await sleep(wait, signal);
      // The deadline passed during the backoff: another attempt would be cut at once.
      if (until !== undefined && Date.now() >= until) throw error;
    }
  }

  /** A GET of a URL outside the spec's paths (a thumbnail), with the token and the caller's headers. */
  fetchUrl(url: URL, init: AttemptInit): Promise<Response> {
    const headers = init.headers ? { ...this.#headers, ...init.headers } : this.#headers;
    return this.#send(new Request(url, { headers, signal: init.signal, redirect: 'manual' }));
  }

  /**
   * Every request goes through here. A GET follows up to 5 redirects, dropping credential headers on the way to
   * any origin other than `baseUrl`'s; any other method gets the 3xx back (an APIError for the caller).
   */
  async #send(request: Request): Promise<Response> {
    let current = request;
    for (let hops = 0; ; hops++) {
      const response = await this.#fetch(current);
      if (current.method !== 'GET' || !REDIRECTS.has(response.status)) return guard(response, current);
      const location = response.headers.get('location');
      if (!location || hops === MAX_REDIRECTS) return guard(response, current);
      const target = URL.canParse(location, current.url) ? new URL(location, current.url) : undefined;
      if (!target || (target.protocol !== 'https:' && target.protocol !== 'http:')) {
        return guard(response, current);
      }
      await response.body?.cancel().catch(() => {});
      const headers = new Headers(current.headers);
      if (target.origin !== this.origin) {
        for (const name of [...headers.keys()]) if (SECRET_NAME.test(name)) headers.delete(name);
      }
      current = new Request(target, { method: 'GET', headers, signal: current.signal, redirect: 'manual' });
    }
  }
}

/**
 * `work()`, or a rejection with the signal's reason as soon as it aborts, whichever comes first. The listener is
 * not removed: the signal is the attempt's own and goes with it, and a later abort (of a handed-over body) only
 * settles an already settled promise, a no-op. Removing it cost more than the rest of this race.
 */
function untilAborted<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason));
    work().then(resolve, reject);
  });
}

/** The SDK error for what an attempt threw (the caller's abort is handled before). */
function classify(thrown: unknown, timedOut: boolean, timeoutMs: number, scrub: Scrub): HandwritingOCRError {
  if (thrown instanceof HandwritingOCRError) return thrown; // e.g. a body that is not what was promised
  const cause = (thrown as { cause?: unknown } | null)?.cause;
  if (cause instanceof HandwritingOCRError) return cause; // e.g. a streamed upload body over the size limit
  if (/redirect/i.test(`${(thrown as Error | null)?.message} ${(cause as Error | null)?.message}`)) {
    // fetch refused a redirect (an upload sends `redirect: 'error'`): nothing was sent to its target.
    return new APIConnectionError(
      'The API answered with a redirect, which a request that spends credits never follows; nothing was sent to its target.',
      { cause: safeCause(thrown, scrub) },
    );
  }
  if (timedOut) {
    return new APIConnectionTimeoutError(`Request timed out after ${timeoutMs} ms.`, {
      cause: safeCause(thrown, scrub),
    });
  }
  return new APIConnectionError(scrub(`Connection error: ${describe(thrown)}.`), {
    cause: safeCause(thrown, scrub),
  });
}

interface Governance {
  controller: AbortController;
  unlink: () => void;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  scrub: Scrub;
}

/**
 * `body` as a stream whose failures are SDK errors: the caller's abort → APIUserAbortError, a stall of more than
 * `timeoutMs` between chunks (also while nobody reads) → APIConnectionTimeoutError, a broken connection →
 * APIConnectionError. The abort link goes once the stream ends, fails or is cancelled.
 */
function governed(body: ReadableStream<Uint8Array>, g: Governance): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finished = false;
  // Ends the stream once: with `error` (and the request aborted), or normally when `error` is undefined.
  const finish = (stream: ReadableStreamDefaultController<Uint8Array>, error?: unknown) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    g.unlink();
    if (error === undefined) return stream.close();
    stream.error(error);
    g.controller.abort(error);
    reader.cancel(error).catch(() => {});
  };
  const arm = (stream: ReadableStreamDefaultController<Uint8Array>) => {
    clearTimeout(timer);
    if (g.timeoutMs > MAX_TIMER_MS) return;
    timer = setTimeout(
      () =>
        finish(stream, new APIConnectionTimeoutError(`The body stalled for more than ${g.timeoutMs} ms.`)),
      g.timeoutMs,
    );
  };
  return new ReadableStream<Uint8Array>({
    start(stream) {
      arm(stream);
      // The caller's abort (linked to the attempt's controller) ends the stream at once, whatever the body does.
      g.controller.signal.addEventListener(
        'abort',
        () => finish(stream, g.signal?.aborted ? abortError(g.signal) : g.controller.signal.reason),
        // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent: the attempt's signal aborts at most once
        { once: true },
      );
    },
    async pull(stream) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        return finish(
          stream,
          g.signal?.aborted
            ? abortError(g.signal)
            : new APIConnectionError(g.scrub(`Connection lost while reading the body: ${describe(err)}.`), {
                cause: safeCause(err, g.scrub),
              }),
        );
      }
      if (finished) return;
      if (chunk.done) return finish(stream);
      arm(stream);
      stream.enqueue(chunk.value);
    },
    cancel(reason) {
      // Stryker disable next-line BooleanLiteral: equivalent: once cancelled, nothing calls finish (timer cleared, caller's signal unlinked)
      finished = true;
      clearTimeout(timer);
      g.unlink();
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
