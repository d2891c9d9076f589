// Webhook deliveries: the document's JSON POSTed to its URL, signed when a secret is set. A delivery that
// fails is recorded, never thrown: a broken receiver must not take the simulator down.
import { createHmac } from 'node:crypto';

/** One webhook delivery attempt, as recorded in `sim.webhookDeliveries`. */
export interface WebhookDelivery {
  /** The document delivered. */
  readonly documentId: string;
  /** Where it was POSTed. */
  readonly url: string;
  /** The raw JSON body sent. */
  readonly body: string;
  /** The `x-signature` header sent, if a secret was set. */
  readonly signature: string | undefined;
  /** The receiver's status; `undefined` while in flight or when the request failed. */
  status: number | undefined;
  /** Why the request failed (connection refused, timeout, …). */
  error: string | undefined;
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the header public clients of the API verify. */
export function signWebhook(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Sends webhooks and keeps track of the ones in flight. */
export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closing = new AbortController();

  constructor(
    private readonly secret: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  /** POSTs `body` to `url` in the background. */
  send(documentId: string, url: string, body: string): void {
    const signature = this.secret === undefined ? undefined : signWebhook(this.secret, body);
    const delivery: WebhookDelivery = {
      documentId,
      url,
      body,
      signature,
      status: undefined,
      error: undefined,
    };
    this.deliveries.push(delivery);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'handwriting-ocr-simulator',
    };
    if (signature) headers['x-signature'] = signature;
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.timeoutMs)]);
    const attempt = fetch(url, { method: 'POST', headers, body, signal })
      .then(async (res) => {
        delivery.status = res.status;
        await res.body?.cancel();
      })
      .catch((err: unknown) => {
        delivery.error = err instanceof Error ? err.message : String(err);
      })
      .finally(() => this.inFlight.delete(attempt));
    this.inFlight.add(attempt);
  }

  /** Resolves once every delivery started so far has ended. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Aborts deliveries in flight. */
  close(): void {
    this.closing.abort();
  }
}
