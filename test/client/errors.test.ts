import { describe, expect, it } from 'vitest';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  HandwritingOCRError,
  InternalServerError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  WaitTimeoutError,
} from '../../src/index.js';
import { fakeClient, jsonResponse } from './helpers.js';

async function failWith(response: () => Response) {
  const { client, requests } = fakeClient(response, { maxRetries: 0 });
  const error = await client.users.me().catch((e: unknown) => e);
  return { error: error as APIError, requests };
}

describe('status → error class', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [402, PaymentRequiredError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [415, UnsupportedMediaTypeError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [502, InternalServerError],
    [503, InternalServerError],
  ] as const)('%i → %o', async (status, Class) => {
    const { error } = await failWith(() => jsonResponse(status, { message: 'Nope.' }));
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(HandwritingOCRError);
    expect(error.status).toBe(status);
    expect(error.name).toBe(Class.name);
  });

  it('other statuses (413) are a plain APIError', async () => {
    const { error } = await failWith(() =>
      jsonResponse(413, { message: 'The file may not be greater than 20 MB.' }),
    );
    expect(error.constructor).toBe(APIError);
    expect(error.message).toBe('413 Content Too Large: The file may not be greater than 20 MB.');
  });
});

describe('APIError fields', () => {
  it('reads like "404 Not Found: Document not found." with status, headers and parsed body', async () => {
    const { error } = await failWith(() =>
      jsonResponse(404, { message: 'Document not found.' }, { 'x-request-id': 'r1' }),
    );
    expect(error.message).toBe('404 Not Found: Document not found.');
    expect(error.body).toEqual({ message: 'Document not found.' });
    expect(error.headers.get('x-request-id')).toBe('r1');
  });

  it('uses `error` when there is no `message`', async () => {
    const { error } = await failWith(() => jsonResponse(403, { error: 'Insufficient page credits.' }));
    expect(error.message).toBe('403 Forbidden: Insufficient page credits.');
  });

  it('falls back to the raw text when the body is not JSON', async () => {
    const { error } = await failWith(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(error.message).toBe('502 Bad Gateway: <html>Bad gateway</html>');
    expect(error.body).toBe('<html>Bad gateway</html>');
  });

  it('has just the status line when the body is empty', async () => {
    const { error } = await failWith(() => new Response(null, { status: 401 }));
    expect(error.message).toBe('401 Unauthorized');
    expect(error.body).toBeUndefined();
  });

  it('422: code, decline code and field errors', async () => {
    const { error } = await failWith(() =>
      jsonResponse(422, {
        message: 'The given data was invalid.',
        errors: { action: ['The selected action is invalid.'] },
        code: 'payment_failed',
        decline_code: 'insufficient_funds',
      }),
    );
    const e = error as UnprocessableEntityError;
    expect(e.code).toBe('payment_failed');
    expect(e.declineCode).toBe('insufficient_funds');
    expect(e.errors).toEqual({ action: ['The selected action is invalid.'] });
    expect(e.message).toBe(
      '422 Unprocessable Entity: The given data was invalid. (action: The selected action is invalid.)',
    );
  });

  it('422 with only field errors', async () => {
    const { error } = await failWith(() =>
      jsonResponse(422, { errors: { file: ['The file is required.'] } }),
    );
    expect(error.message).toBe('422 Unprocessable Entity: file: The file is required.');
  });

  it('402: authenticationUrl', async () => {
    const url = 'https://app.handwritingocr.com/payments/authenticate/pi_3Q9';
    const { error } = await failWith(() =>
      jsonResponse(402, {
        message: 'This payment requires additional authentication.',
        authentication_url: url,
      }),
    );
    expect((error as PaymentRequiredError).authenticationUrl).toBe(url);
  });

  it('429: retryAfterMs from Retry-After seconds', async () => {
    const { error } = await failWith(() =>
      jsonResponse(429, { message: 'Too Many Attempts.' }, { 'retry-after': '7' }),
    );
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
  });

  it('429: retryAfterMs from a Retry-After HTTP date', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const { error } = await failWith(() => jsonResponse(429, {}, { 'retry-after': at }));
    const ms = (error as RateLimitError).retryAfterMs ?? -1;
    expect(ms).toBeGreaterThan(28_000);
    expect(ms).toBeLessThanOrEqual(30_000);
  });

  it("429: retryAfterMs from the body's ISO retry_after (topup)", async () => {
    const at = new Date(Date.now() + 300_000).toISOString();
    const { error } = await failWith(() =>
      jsonResponse(429, { message: 'A purchase was already made in the last 5 minutes.', retry_after: at }),
    );
    const ms = (error as RateLimitError).retryAfterMs ?? -1;
    expect(ms).toBeGreaterThan(298_000);
    expect(ms).toBeLessThanOrEqual(300_000);
  });

  it('429: a numeric body retry_after counts as seconds; a nonsense one is ignored', async () => {
    const seconds = await failWith(() => jsonResponse(429, { retry_after: 12 }));
    expect((seconds.error as RateLimitError).retryAfterMs).toBe(12_000);
    const text = await failWith(() => jsonResponse(429, { retry_after: '12' }));
    expect((text.error as RateLimitError).retryAfterMs).toBe(12_000);
    const negative = await failWith(() => jsonResponse(429, { retry_after: -5 }));
    expect((negative.error as RateLimitError).retryAfterMs).toBeUndefined();
  });
});

describe('WaitTimeoutError', () => {
  it('keeps the id of the document waited for', () => {
    const err = new WaitTimeoutError('abcde12345', 1_000, undefined);
    expect(err.id).toBe('abcde12345');
    expect(err.message).toContain('abcde12345');
  });
});
