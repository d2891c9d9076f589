import { createHmac } from 'node:crypto';
import { expect, expectTypeOf } from 'vitest';
import { type DocumentResult, WebhookVerificationError } from '../../src/index.js';
import { parseWebhook } from '../../src/webhooks.js';
import { specValidator } from '../lib/conformance.js';
import { documentedExample } from '../lib/spec.js';
import type { ContractCase } from './types.js';

const op = 'document-processed-webhook';
const SECRET = 'contract-webhook-secret';

export const sign = (secret: string, raw: string): string =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

/**
 * A delivery is the document JSON: each documented result example, checked against the webhook's request
 * schema, signed as public clients report (`x-signature`, itself checked against the spec), must be accepted
 * and parsed by `parseWebhook`; a tampered body or a missing signature must not be. (The proxy flow adds a
 * delivery made by the local upstream.)
 */
const delivery = (action: 'transcribe' | 'tables' | 'extractor'): ContractCase => ({
  operationId: op,
  status: '200',
  http: false,
  title: `parseWebhook verifies and parses a signed ${action} delivery built from the spec's example`,
  async run() {
    const validator = specValidator();
    const body = documentedExample(validator.spec, {
      operationId: 'download-result',
      status: '200',
      example: action,
    });
    expect(validator.validateRequestBody(op, 'application/json', body)).toEqual([]);
    const raw = JSON.stringify(body);
    const signature = sign(SECRET, raw);
    expect(validator.validateParameter(op, 'header', 'x-signature', signature)).toEqual([]);

    const doc = await parseWebhook(raw, { signature, secret: SECRET });
    expectTypeOf(doc).toEqualTypeOf<DocumentResult>();
    expect(doc).toEqual(body);
    expect(doc.action).toBe(action);

    const tampered = raw.replace('"processed"', '"failed"');
    await expect(parseWebhook(tampered, { signature, secret: SECRET })).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
    await expect(parseWebhook(raw, { signature: null, secret: SECRET })).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
  },
});

export const webhookCases: ContractCase[] = [
  delivery('transcribe'),
  delivery('tables'),
  delivery('extractor'),
];
