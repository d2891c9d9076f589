// parseWebhook's refusals say what is wrong (mutation testing, issue #18).
import { describe, expect, it } from 'vitest';
import { InvalidParamsError, WebhookVerificationError } from '../../src/index.js';
import { parseWebhook } from '../../src/webhooks.js';

const BODY = JSON.stringify({ id: 'abcde12345', status: 'processed', action: 'transcribe' });

async function refusal(body: unknown, options: unknown): Promise<Error> {
  const err = await parseWebhook(body as never, options as never).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('parseWebhook refusals', () => {
  it.each([
    [{ verify: 'no' }, 'verify', 'verify must be true or false.'],
    [{ verify: false, maxBytes: 0 }, 'maxBytes', 'maxBytes must be a number of bytes > 0.'],
    [
      { secret: '' },
      'secret',
      'The webhook secret is missing or empty: pass `secret` (or `verify: false` to skip verification knowingly).',
    ],
    [
      { verfiy: false },
      'options',
      'options: unknown key "verfiy"; expected signature, secret, verify, maxBytes.',
    ],
  ])('%o', async (options, param, message) => {
    const err = await refusal(BODY, options);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).param).toBe(param);
    expect(err.message).toBe(message);
  });

  it('a body that is not JSON, or not a document, is refused unverified too', async () => {
    const notJson = await refusal('{"id": ', { verify: false });
    expect(notJson).toBeInstanceOf(InvalidParamsError);
    expect((notJson as InvalidParamsError).param).toBe('rawBody');
    expect(notJson.message).toBe('The webhook body is not valid JSON.');
    const notDocument = await refusal('{"a": 1}', { verify: false });
    expect(notDocument).toBeInstanceOf(InvalidParamsError);
    expect((notDocument as InvalidParamsError).param).toBe('rawBody');
    expect(notDocument.message).toMatch(/^The webhook body is not a document: .+\.$/);
  });

  it('no signature at all (not a string, not an array) is a missing header', async () => {
    for (const signature of [undefined, null, 5]) {
      const err = await refusal(BODY, { secret: 's', signature });
      expect(err).toBeInstanceOf(WebhookVerificationError);
      expect(err.message).toBe('The x-signature header is missing.');
    }
  });
});
