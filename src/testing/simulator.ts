// `startSimulator`: wires the store, the handlers, the faults and the webhooks to a real HTTP server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config, Context, Payment, PaymentOutcome, SimulatedUser } from './context.js';
import { CONTROL_PATH, type ControlTarget } from './control.js';
import { FaultController } from './faults.js';
import type { SupportedMediaType } from './filetypes.js';
import { randomToken } from './ids.js';
import { UploadRateLimit } from './rate-limit.js';
import type { TranscribeHook } from './results.js';
import { createListener, type RequestRecord } from './server.js';
import type { Action } from './spec.js';
import { Store, type StoredDocument, statusAt } from './state.js';
import { documentResult } from './views.js';
import { type WebhookDelivery, WebhookSender } from './webhooks.js';

/** Options of {@link startSimulator}. Every one is optional. */
export interface SimulatorOptions {
  /** Port to listen on; `0` (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `'127.0.0.1'`. */
  host?: string;
  /** The API's path prefix; default `'/v3'`, so `sim.url` ends in `/v3` like the real base URL. */
  basePath?: string;
  /**
   * The base URL absolute links point to (`next_page_url`, `prev_page_url`, thumbnail URLs); default `sim.url`.
   * Set it when clients reach the simulator through a proxy (e.g. a validating Prism proxy).
   */
  publicUrl?: string;
  /** The accepted Bearer token; default a random Sanctum-like token (`1|…`). */
  token?: string;
  /** Starting page-credit balance; default `1000`. */
  credits?: number;
  /**
   * How long a document takes from upload to `processed` (queued for the first half, then processing);
   * default `200` ms, `0` for instant.
   */
  processingMs?: number;
  /** `Retry-After` seconds sent with a 202; default the seconds left until processing ends, rounded up. */
  pendingRetryAfter?: number;
  /**
   * How `GET /documents/{id}` answers while a document is pending. The spec says `202` (default: the document's
   * fields and `Retry-After`); the vendor's own plugin expects `200` with a pending `status` (`queued`,
   * `processing`) and no results, which the API also sends. A client should take both as pending.
   */
  pendingStatusCode?: 200 | 202;
  /** Seconds until a document is deleted automatically when the upload sets no `delete_after`; default 7 days. */
  defaultDeleteAfter?: number;
  /**
   * Uploads accepted per second (a token bucket holding one second's worth); past it `POST /documents` is
   * answered 429 with `Retry-After` and creates nothing. Default: no limit.
   */
  uploadsPerSecond?: number;
  /** Largest accepted file in bytes (413 beyond it); default 20 MiB like the API. Lower it to test 413 cheaply. */
  maxFileBytes?: number;
  /** Where processed documents are POSTed when the upload names no `webhook_url` (the account's webhook). */
  webhookUrl?: string;
  /** Signs webhook bodies: `x-signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
  webhookSecret?: string;
  /** Gives up on a webhook delivery after this long; default 5000 ms. */
  webhookTimeoutMs?: number;
  /**
   * Decides what each page of an upload reads (see {@link TranscribeHook}). Default: a PNG's `tEXt`/`iTXt`
   * chunk with keyword `Transcript` for its text, else `Handwritten text on page N of <file_name>.`
   */
  transcribe?: TranscribeHook;
  /** How credit purchases end; default `'ok'` (see {@link PaymentOutcome}). */
  paymentOutcome?: PaymentOutcome;
  /** `decline_code` of a declined payment; default `'card_declined'`. */
  declineCode?: string;
  /**
   * The clock (ms since the epoch); default `Date.now`. Processing, automatic deletion and the purchase
   * window all follow it, so a test can jump ahead by returning a later time (or hold it still: documents
   * then stay pending until it moves or `completeAll()`). While documents are pending the simulator looks
   * every 50 ms whether one has become due, so webhooks follow a moved clock without any request.
   */
  now?: () => number;
  /** The account `GET /users/me` describes. */
  user?: SimulatedUser;
}

/** A document as the simulator holds it (for assertions; the wire shapes are what the API answers). */
export interface DocumentSnapshot {
  readonly id: string;
  readonly fileName: string;
  readonly action: Action;
  readonly status: 'queued' | 'processing' | 'processed' | 'failed';
  readonly pageCount: number;
  /** Credits charged when processing ended (0 before). */
  readonly creditsCharged: number;
  /** The type judged from the file's magic bytes. */
  readonly mediaType: SupportedMediaType;
  readonly extractorId: string | undefined;
  /** The upload's `prompt_id`. */
  readonly promptId: string | undefined;
  /** The `error` text of a failed document. */
  readonly error: string | undefined;
  /** The upload's own `webhook_url`. */
  readonly webhookUrl: string | undefined;
  readonly createdAt: Date;
  /** When it will be deleted automatically. */
  readonly deleteAt: Date;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL including the API prefix, e.g. `http://127.0.0.1:54321/v3`: what a client takes as `baseUrl`. */
  readonly url: string;
  /**
   * The control API, e.g. `http://127.0.0.1:54321/_simulator` (same token): faults, complete, reset and the
   * request log over HTTP, for tests in any language. See the README for its endpoints.
   */
  readonly controlUrl: string;
  /** The accepted Bearer token. */
  readonly token: string;
  /** The port listened on. */
  readonly port: number;
  /** Fault injection: `sim.faults.inject({ route: 'POST /documents', kind: 'status', status: 429 })`. */
  readonly faults: FaultController;
  /** Page credits left. */
  readonly credits: number;
  /** Sets the page-credit balance. */
  setCredits(credits: number): void;
  /** Sets how credit purchases end from now on. */
  setPaymentOutcome(outcome: PaymentOutcome, options?: { declineCode?: string }): void;
  /** The live documents, newest first. */
  readonly documents: readonly DocumentSnapshot[];
  /** Every request received so far, oldest first (e.g. to assert that a client sent nothing). */
  readonly requests: readonly RequestRecord[];
  /** Empties the request log. */
  clearRequests(): void;
  /** Webhook deliveries attempted so far. */
  readonly webhookDeliveries: readonly WebhookDelivery[];
  /** Ends the processing of every pending document now, and waits for the webhooks that triggers. */
  completeAll(): Promise<void>;
  /** Back to the starting state: no documents, faults, requests or deliveries; starting balance and payment. */
  reset(): void;
  /** Stops the server: drops open connections (hung ones too), timers and webhook deliveries. */
  close(): Promise<void>;
}

const MIB = 1024 * 1024;

function resolveConfig(options: SimulatorOptions, now: () => number): Config {
  if (options.pendingStatusCode !== undefined && ![200, 202].includes(options.pendingStatusCode)) {
    throw new RangeError('pendingStatusCode must be 200 or 202');
  }
  return {
    token: options.token ?? randomToken(),
    processingMs: Math.max(0, options.processingMs ?? 200),
    pendingRetryAfter: options.pendingRetryAfter,
    pendingStatusCode: options.pendingStatusCode ?? 202,
    defaultDeleteAfter: options.defaultDeleteAfter ?? 7 * 24 * 3600,
    maxFileBytes: options.maxFileBytes ?? 20 * MIB,
    webhookUrl: options.webhookUrl,
    transcribe: options.transcribe,
    user: {
      id: 'SimUser001',
      name: 'Simulated User',
      email: 'user@example.com',
      verified: true,
      type: 'medium-monthly',
      blocked: false,
      ...options.user,
    },
    startedAt: now(),
  };
}

/**
 * Starts an in-memory Handwriting OCR API on a real HTTP port.
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ port: 0, processingMs: 50 });
 * const client = new HandwritingOCR({ apiToken: sim.token, baseUrl: sim.url });
 * // …
 * await sim.close();
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const now = options.now ?? Date.now;
  const config = resolveConfig(options, now);
  const startCredits = options.credits ?? 1000;
  const startPayment: Payment = {
    outcome: options.paymentOutcome ?? 'ok',
    declineCode: options.declineCode ?? 'card_declined',
  };
  const payment: Payment = { ...startPayment };
  const basePath = `/${(options.basePath ?? '/v3').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  const closing = new AbortController();
  const webhooks = new WebhookSender(options.webhookSecret, options.webhookTimeoutMs ?? 5000);
  const faults = new FaultController();
  const requests: RequestRecord[] = [];
  let url = '';
  const publicUrl = (): string => (options.publicUrl ?? url).replace(/\/+$/, '');

  const deliver = (doc: StoredDocument): void => {
    const target = doc.webhookUrl ?? config.webhookUrl;
    if (target && !closing.signal.aborted)
      webhooks.send(doc.id, target, JSON.stringify(documentResult(doc, publicUrl())));
  };
  const store = new Store(now, startCredits, deliver);

  // One timer wakes the store when the next document is due, so webhooks go out without anyone polling.
  // With an injected clock real time says nothing about when that is: look every 50 ms instead.
  const customClock = options.now !== undefined;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const next = store.nextDue();
    if (next === undefined || closing.signal.aborted) return;
    // Clamped: Node fires a delay beyond 2^31 - 1 ms at once.
    const left = Math.min(Math.max(0, next - now()), 2 ** 31 - 1);
    // (Timers may fire a millisecond before `Date.now()` agrees; waking again for the rest covers that.)
    timer = setTimeout(
      () => {
        store.settle();
        arm();
      },
      customClock ? Math.min(left, 50) : left,
    );
    timer.unref();
  };
  const ctx: Context = {
    config,
    store,
    payment,
    now,
    publicUrl,
    schedule: () => arm(),
  };

  // The control API acts on the simulator object itself, which exists only once the server listens.
  let sim: Simulator | undefined;
  const target: ControlTarget = {
    faults,
    get requests() {
      return requests;
    },
    get documents() {
      return sim?.documents ?? [];
    },
    get credits() {
      return store.balance;
    },
    setCredits: (credits) => sim?.setCredits(credits),
    clearRequests: () => sim?.clearRequests(),
    completeAll: async () => sim?.completeAll(),
    reset: () => sim?.reset(),
  };
  const uploadLimit =
    options.uploadsPerSecond === undefined ? undefined : new UploadRateLimit(options.uploadsPerSecond, now);
  const server = createServer(
    createListener({
      ctx,
      faults,
      basePath,
      requests,
      closing: closing.signal,
      control: target,
      uploadLimit,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}${basePath}`;

  let closed: Promise<void> | undefined;
  sim = {
    url,
    controlUrl: `http://${host}:${address.port}${CONTROL_PATH}`,
    token: config.token,
    port: address.port,
    faults,
    get credits() {
      return store.balance;
    },
    setCredits(credits) {
      if (!(Number.isInteger(credits) && credits >= 0))
        throw new RangeError(`credits must be an integer >= 0`);
      store.balance = credits;
    },
    setPaymentOutcome(outcome, opts) {
      payment.outcome = outcome;
      if (opts?.declineCode !== undefined) payment.declineCode = opts.declineCode;
    },
    get documents() {
      const t = now();
      return store.list().map((doc) => ({
        id: doc.id,
        fileName: doc.fileName,
        action: doc.action,
        status: statusAt(doc, t),
        pageCount: doc.pageCount,
        creditsCharged: doc.charged,
        mediaType: doc.mediaType,
        extractorId: doc.extractorId,
        promptId: doc.promptId,
        error: doc.final === 'failed' && !Array.isArray(doc.outcome) ? doc.outcome.failed : undefined,
        webhookUrl: doc.webhookUrl,
        createdAt: new Date(doc.createdAt),
        deleteAt: new Date(doc.deleteAt),
      }));
    },
    get requests() {
      return requests.map((r) => ({ ...r }));
    },
    clearRequests() {
      requests.length = 0;
    },
    get webhookDeliveries() {
      return webhooks.deliveries.map((d) => ({ ...d }));
    },
    async completeAll() {
      store.settle();
      store.finishAll();
      await webhooks.idle();
    },
    reset() {
      store.clear(startCredits);
      Object.assign(payment, startPayment);
      faults.clear();
      requests.length = 0;
      webhooks.deliveries.length = 0;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        webhooks.close();
        clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
  return sim;
}
