// Reading a webhook delivery for `parseWebhook` (webhooks.ts): verify the signature (when a secret is given) and
// parse the body into a typed document.
import { InvalidParamsError, WebhookVerificationError } from './errors.js';
import type { DocumentResult } from './types.js';
import type { WebhookOptions } from './webhooks.js';

/** The work of `parseWebhook` (webhooks.ts). */
export async function readDelivery(
  rawBody: string | Uint8Array | ArrayBuffer,
  options: WebhookOptions = {},
): Promise<DocumentResult> {
  const bytes =
    typeof rawBody === 'string'
      ? new TextEncoder().encode(rawBody)
      : rawBody instanceof ArrayBuffer
        ? new Uint8Array(rawBody)
        : rawBody;
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidParamsError(
      'rawBody must be the raw body as a string, Uint8Array or ArrayBuffer.',
      'rawBody',
    );
  }
  if (options.secret !== undefined) await verify(bytes, options.signature, options.secret);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new InvalidParamsError('The webhook body is not valid JSON.', 'rawBody');
  }
  if (typeof value !== 'object' || value === null || typeof (value as { id?: unknown }).id !== 'string') {
    throw new InvalidParamsError('The webhook body is not a document (no `id`).', 'rawBody');
  }
  return value as DocumentResult;
}

async function verify(body: Uint8Array, signature: string | null | undefined, secret: string | Uint8Array) {
  const keyBytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (keyBytes.byteLength === 0) throw new InvalidParamsError('The webhook secret is empty.', 'secret');
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature?.trim() ?? '');
  if (!match?.[1]) {
    throw new WebhookVerificationError(
      signature
        ? 'The x-signature header is not of the form sha256=<64 hex digits>.'
        : 'The x-signature header is missing.',
    );
  }
  const expected = hexToBytes(match[1]);
  const key = await crypto.subtle.importKey(
    'raw',
    keyBytes as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  // subtle.verify compares in constant time, unlike comparing hex strings in JS.
  const ok = await crypto.subtle.verify('HMAC', key, expected, body as Uint8Array<ArrayBuffer>);
  if (!ok) throw new WebhookVerificationError('The webhook signature does not match its body.');
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
