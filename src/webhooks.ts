/**
 * `handwriting-ocr/webhooks`: verify a webhook delivery's signature, then parse its body into the same typed
 * document `documents.retrieve()` gives. An entry of its own, apart from the client: it runs on the server that
 * receives deliveries, so a browser app that only calls the API never bundles it.
 *
 * @example
 * ```ts
 * import { WebhookVerificationError } from 'handwriting-ocr';
 * import { parseWebhook } from 'handwriting-ocr/webhooks';
 *
 * const doc = await parseWebhook(rawBody, { signature: headers['x-signature'], secret });
 * ```
 *
 * @packageDocumentation
 * @module handwriting-ocr/webhooks
 */
import { isArray, isInstance, readObject } from './checks.js';
import { InvalidParamsError, WebhookVerificationError } from './errors.js';
import { documentProblem } from './shapes.js';
import type { DocumentResult } from './types.js';

/** The largest body {@link parseWebhook} reads by default (25 MB): a document's JSON is far smaller. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/** Options of {@link parseWebhook}. */
export interface WebhookOptions {
  /**
   * The `x-signature` header as delivered: `sha256=<hex HMAC-SHA256 of the raw body>`. A framework that gives
   * repeated headers as an array may pass the array: one of its values must match.
   */
  signature?: string | readonly string[] | null;
  /** The account's webhook secret. Required unless `verify` is `false`. */
  secret?: string | Uint8Array;
  /**
   * `false` skips verification: only for an endpoint nobody else can reach. The default, `true`, requires a
   * non-empty `secret` and a matching signature.
   */
  verify?: boolean;
  /** Bodies larger than this (in bytes) are refused before hashing. Default 25 MB. */
  maxBytes?: number;
}

/**
 * Parses a webhook delivery (the raw request body, exactly as received) into the same typed document that
 * `documents.retrieve()` returns, after verifying `x-signature: sha256=<hex>` (HMAC-SHA256 of the raw body with
 * the account's webhook secret) in constant time through Web Crypto, so it works in Node, Deno, Bun, Workers and
 * browsers. Verification is never skipped silently: a missing secret is an error, and skipping takes
 * `{ verify: false }`. The vendor does not document the signature header; public clients report it.
 *
 * @throws WebhookVerificationError when the signature is missing or does not match.
 * @throws InvalidParamsError when the secret is missing, or the body is too large, not JSON, or not a document.
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
  const {
    signature,
    secret,
    verify = true,
    maxBytes = MAX_WEBHOOK_BYTES,
  } = readObject(options, 'options', ['signature', 'secret', 'verify', 'maxBytes']);
  if (typeof verify !== 'boolean') throw new InvalidParamsError('verify must be true or false.', 'verify');
  if (typeof maxBytes !== 'number' || !(maxBytes > 0)) {
    throw new InvalidParamsError('maxBytes must be a number of bytes > 0.', 'maxBytes');
  }
  // A string has at least as many UTF-8 bytes as UTF-16 code units: a long one is refused before encoding.
  // Stryker disable next-line StringLiteral: equivalent: the byte count below refuses the same bodies, with the same error
  if (typeof rawBody === 'string' && rawBody.length > maxBytes) tooLarge(maxBytes);
  const bytes =
    typeof rawBody === 'string'
      ? new TextEncoder().encode(rawBody)
      : isInstance(rawBody, ArrayBuffer)
        ? new Uint8Array(rawBody)
        : rawBody;
  if (!isInstance(bytes, Uint8Array)) {
    throw new InvalidParamsError(
      'rawBody must be the raw body as a string, Uint8Array or ArrayBuffer (not a parsed object: the signature is over the raw bytes).',
      'rawBody',
    );
  }
  if (bytes.byteLength > maxBytes) tooLarge(maxBytes);
  if (verify) await verifySignature(bytes, signature, secret);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new InvalidParamsError('The webhook body is not valid JSON.', 'rawBody');
  }
  const problem = documentProblem(value);
  if (problem) throw new InvalidParamsError(`The webhook body is not a document: ${problem}.`, 'rawBody');
  return value as DocumentResult;
}

function tooLarge(maxBytes: number): never {
  throw new InvalidParamsError(`The webhook body is larger than ${maxBytes} bytes.`, 'rawBody');
}

async function verifySignature(body: Uint8Array, signature: unknown, secret: unknown): Promise<void> {
  const keyBytes =
    typeof secret === 'string'
      ? new TextEncoder().encode(secret)
      : isInstance(secret, Uint8Array)
        ? secret
        : undefined;
  if (!keyBytes || keyBytes.byteLength === 0) {
    throw new InvalidParamsError(
      'The webhook secret is missing or empty: pass `secret` (or `verify: false` to skip verification knowingly).',
      'secret',
    );
  }
  const candidates =
    typeof signature === 'string' ? [signature] : isArray(signature) ? signature.filter(isString) : [];
  const digests = candidates
    .map((value) => /^sha256=([0-9a-fA-F]{64})$/.exec(value.trim())?.[1])
    .filter(isString);
  if (digests.length === 0) {
    throw new WebhookVerificationError(
      candidates.length > 0
        ? 'The x-signature header is not of the form sha256=<64 hex digits>.'
        : 'The x-signature header is missing.',
    );
  }
  const key = await crypto.subtle.importKey(
    'raw',
    keyBytes as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    // Stryker disable next-line BooleanLiteral: equivalent: the key never leaves this function, so whether it could be exported is unseen
    false,
    ['verify'],
  );
  for (const digest of digests) {
    // subtle.verify compares in constant time, unlike comparing hex strings in JS.
    if (await crypto.subtle.verify('HMAC', key, hexToBytes(digest), body as Uint8Array<ArrayBuffer>)) return;
  }
  throw new WebhookVerificationError('The webhook signature does not match its body.');
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(hex.length / 2).map((_, i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}
