import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidParamsError, WebhookVerificationError } from '../../src/index.js';
import { parseWebhook } from '../../src/webhooks.js';
import { PROCESSED } from './helpers.js';

const SECRET = 'whsec_test_secret';
const body = JSON.stringify(PROCESSED);
const sign = (raw: string | Buffer, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

describe('parseWebhook', () => {
  it('lives in handwriting-ocr/webhooks only: the main entry (what a browser app bundles) does not carry it', async () => {
    const main: Record<string, unknown> = await import('../../src/index.js');
    expect(Object.keys(main).filter((name) => /webhook/i.test(name))).toEqual(['WebhookVerificationError']);
  });

  it('parses without verifying only when told to (verify: false)', async () => {
    const doc = await parseWebhook(body, { verify: false });
    expect(doc).toEqual(PROCESSED);
    if (doc.action === 'transcribe') expect(doc.results?.[0]?.transcript).toBe('Hello');
  });

  it('verifies a good signature (string, bytes, ArrayBuffer bodies; upper-case hex)', async () => {
    const signature = sign(body);
    await expect(parseWebhook(body, { signature, secret: SECRET })).resolves.toEqual(PROCESSED);
    const bytes = new TextEncoder().encode(body);
    await expect(parseWebhook(bytes, { signature, secret: SECRET })).resolves.toEqual(PROCESSED);
    await expect(
      parseWebhook(bytes.buffer, {
        signature: signature.toUpperCase().replace('SHA256', 'sha256'),
        secret: SECRET,
      }),
    ).resolves.toEqual(PROCESSED);
  });

  it('rejects a wrong signature, a wrong secret, a tampered body, a missing or malformed header', async () => {
    const signature = sign(body);
    const cases: [string, Parameters<typeof parseWebhook>[1]][] = [
      [body, { signature: sign(body, 'other'), secret: SECRET }],
      [body.replace('Hello', 'Hellp'), { signature, secret: SECRET }],
      [body, { secret: SECRET }],
      [body, { signature: null, secret: SECRET }],
      [body, { signature: signature.slice(7), secret: SECRET }],
      [body, { signature: 'sha1=abc', secret: SECRET }],
      [body, { signature: `${signature}00`, secret: SECRET }],
    ];
    for (const [raw, options] of cases) {
      await expect(parseWebhook(raw, options)).rejects.toBeInstanceOf(WebhookVerificationError);
    }
  });

  it('checks the signature over the raw bytes, not re-serialised JSON', async () => {
    const spaced = JSON.stringify(PROCESSED, null, 2);
    await expect(parseWebhook(spaced, { signature: sign(spaced), secret: SECRET })).resolves.toEqual(
      PROCESSED,
    );
    await expect(parseWebhook(spaced, { signature: sign(body), secret: SECRET })).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
  });

  it('rejects a body that is not a JSON document', async () => {
    await expect(parseWebhook('not json')).rejects.toBeInstanceOf(InvalidParamsError);
    await expect(parseWebhook('[1,2]')).rejects.toBeInstanceOf(InvalidParamsError);
  });
});
