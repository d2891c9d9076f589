// Webhook deliveries: the public `parseWebhook`; the verifying and parsing code is in webhook-delivery.ts.
import type { DocumentResult } from './types.js';
import { readDelivery } from './webhook-delivery.js';

/** Options of {@link parseWebhook}. */
export interface WebhookOptions {
  /** The `x-signature` header as delivered: `sha256=<hex HMAC-SHA256 of the raw body>`. */
  signature?: string | null;
  /** The account's webhook secret. When given, the signature is required and verified. */
  secret?: string | Uint8Array;
}

/**
 * Parses a webhook delivery (the raw request body, exactly as received) into the same typed document that
 * `documents.retrieve()` returns. With a `secret`, first verifies `x-signature: sha256=<hex>` (HMAC-SHA256 of the
 * raw body) in constant time through Web Crypto, so it works in Node, Deno, Bun, Workers and browsers.
 *
 * The vendor does not document the signature header; public clients report it. Without a secret nothing is
 * verified, so only skip it for endpoints nobody else can reach.
 *
 * @throws WebhookVerificationError when a secret is given and the signature is missing or wrong.
 * @throws InvalidParamsError when the body is not a JSON document.
 *
 * @example
 * ```ts
 * // In a handler; read the body as text or bytes BEFORE any JSON parsing.
 * const doc = await parseWebhook(await request.text(), {
 *   signature: request.headers.get('x-signature'),
 *   secret: process.env.HANDWRITING_OCR_WEBHOOK_SECRET,
 * });
 * if (doc.status === 'processed' && doc.action === 'transcribe') console.log(doc.results?.[0]?.transcript);
 * ```
 */
export async function parseWebhook(
  rawBody: string | Uint8Array | ArrayBuffer,
  options?: WebhookOptions,
): Promise<DocumentResult> {
  return readDelivery(rawBody, options);
}
