// Errors as users read them: names, messages built from bodies, status texts (mutation survivors of issue #18).
import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  cut,
  DocumentFailedError,
  errorFromResponse,
  HandwritingOCRError,
  InternalServerError,
  InvalidParamsError,
  LocalFileError,
  NotFoundError,
  NotReadyError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  UnexpectedResponseError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  uploadedButFailed,
  WaitTimeoutError,
  WebhookVerificationError,
} from '../../src/errors.js';
import type { DocumentResult } from '../../src/types.js';

const response = (status: number, init: ResponseInit = {}) => new Response(null, { status, ...init });
const errorOf = (status: number, body?: unknown, init?: ResponseInit) =>
  errorFromResponse(response(status, init), body);

describe('err.name of every class', () => {
  const api = (C: new (s: number, h: Headers, b: unknown, m: string) => APIError) => () =>
    new C(400, new Headers(), undefined, 'm');
  it.each([
    [() => new HandwritingOCRError('m'), 'HandwritingOCRError'],
    [() => new InvalidParamsError('m'), 'InvalidParamsError'],
    [api(APIError), 'APIError'],
    [api(BadRequestError), 'BadRequestError'],
    [api(AuthenticationError), 'AuthenticationError'],
    [api(PaymentRequiredError), 'PaymentRequiredError'],
    [api(PermissionDeniedError), 'PermissionDeniedError'],
    [api(NotFoundError), 'NotFoundError'],
    [api(UnsupportedMediaTypeError), 'UnsupportedMediaTypeError'],
    [api(UnprocessableEntityError), 'UnprocessableEntityError'],
    [api(RateLimitError), 'RateLimitError'],
    [api(InternalServerError), 'InternalServerError'],
    [() => new APIConnectionError(), 'APIConnectionError'],
    [() => new APIConnectionTimeoutError(), 'APIConnectionTimeoutError'],
    [() => new APIUserAbortError(), 'APIUserAbortError'],
    [() => new NotReadyError('abc', undefined, undefined), 'NotReadyError'],
    [() => new DocumentFailedError({ id: 'abc', status: 'failed' } as DocumentResult), 'DocumentFailedError'],
    [() => new WaitTimeoutError('abc', 1, undefined), 'WaitTimeoutError'],
    [() => new UnexpectedResponseError('m', { status: 200, contentType: null }), 'UnexpectedResponseError'],
    [() => new LocalFileError('m'), 'LocalFileError'],
    [() => new WebhookVerificationError('m'), 'WebhookVerificationError'],
  ])('%#: %s', (make, name) => {
    const err = make();
    expect(err.name).toBe(name);
    expect(String(err).startsWith(`${name}: `)).toBe(true);
    expect(err).toBeInstanceOf(HandwritingOCRError);
  });
});

describe('default messages and fields', () => {
  it('connection, timeout and abort errors have a default message', () => {
    expect(new APIConnectionError().message).toBe('Connection error.');
    expect(new APIConnectionTimeoutError().message).toBe('Request timed out.');
    expect(new APIUserAbortError().message).toBe('Request was aborted.');
  });

  it('a cause is kept only when given', () => {
    expect('cause' in new HandwritingOCRError('m', { id: 'x' })).toBe(false);
    expect('cause' in new HandwritingOCRError('m')).toBe(false);
    const withCause = new APIConnectionError('m', { cause: undefined });
    expect('cause' in withCause).toBe(true);
    expect(new APIUserAbortError(undefined, { cause: 'why' }).cause).toBe('why');
    expect(new HandwritingOCRError('m', { id: 'x' }).id).toBe('x');
  });

  it('NotReadyError says when to retry, when it knows', () => {
    expect(new NotReadyError('abc', undefined, undefined).message).toBe('Document abc is still processing.');
    expect(new NotReadyError('abc', 2000, undefined).message).toBe(
      'Document abc is still processing; retry in 2000 ms.',
    );
  });

  it('WaitTimeoutError names the last status, when a poll answered', () => {
    expect(new WaitTimeoutError('abc', 5, undefined).message).toBe(
      'Document abc was not processed within 5 ms.',
    );
    expect(new WaitTimeoutError('abc', 5, { id: 'abc', status: 'queued' } as never).message).toBe(
      'Document abc was not processed within 5 ms (last status: queued).',
    );
  });

  it('DocumentFailedError: a blank or non-string error text is no reason', () => {
    for (const error of ['  ', 42, undefined]) {
      const err = new DocumentFailedError({ id: 'abc', status: 'failed', error } as never);
      expect(err.reason).toBeUndefined();
      expect(err.message).toBe('Document abc failed to process.');
      expect(err.id).toBe('abc');
    }
    const err = new DocumentFailedError({ id: 'abc', status: 'failed', error: ' Blurry. ' } as never);
    expect(err.reason).toBe('Blurry.');
    expect(err.message).toBe('Document abc failed to process: Blurry.');
  });

  it('UnexpectedResponseError: no Content-Type is undefined', () => {
    const err = new UnexpectedResponseError('m', { status: 204, contentType: null, body: 'x' });
    expect(err.contentType).toBeUndefined();
    expect(err.status).toBe(204);
    expect(err.body).toBe('x');
  });
});

describe('uploadedButFailed', () => {
  const NOTE = 'Document abc was uploaded (its pages are charged), but waiting for it failed: ';
  it('wraps anything that is not an SDK error, keeping it as the cause', () => {
    const plain = new TypeError('boom');
    const a = uploadedButFailed(plain, 'abc');
    expect(a).toBeInstanceOf(HandwritingOCRError);
    expect(a.message).toBe(`${NOTE}boom`);
    expect(a.cause).toBe(plain);
    expect(a.id).toBe('abc');
    expect(uploadedButFailed('text', 'abc').message).toBe(`${NOTE}text`);
  });

  it('marks an SDK error once, and keeps an id it already has', () => {
    const err = new APIConnectionError('lost');
    expect(uploadedButFailed(err, 'abc')).toBe(err);
    expect(err.message).toBe(`${NOTE}lost`);
    expect(uploadedButFailed(err, 'abc').message).toBe(`${NOTE}lost`);
    const other = new HandwritingOCRError('x', { id: 'zzz' });
    expect(uploadedButFailed(other, 'abc').id).toBe('zzz');
  });

  it("leaves a failed document's own message alone (its pages are refunded, not charged)", () => {
    const failed = new DocumentFailedError({
      id: 'abc',
      status: 'failed',
      error: 'Unreadable scan',
    } as DocumentResult);
    expect(uploadedButFailed(failed, 'abc')).toBe(failed);
    expect(failed.message).toBe('Document abc failed to process: Unreadable scan');
    expect(failed.id).toBe('abc');
  });
});

describe('errorFromResponse: the message', () => {
  it.each([
    [405, 'Method Not Allowed'],
    [408, 'Request Timeout'],
    [409, 'Conflict'],
    [413, 'Content Too Large'],
    [415, 'Unsupported Media Type'],
    [502, 'Bad Gateway'],
    [503, 'Service Unavailable'],
    [504, 'Gateway Timeout'],
    [400, 'Bad Request'],
    [401, 'Unauthorized'],
    [402, 'Payment Required'],
    [403, 'Forbidden'],
    [422, 'Unprocessable Entity'],
    [429, 'Too Many Requests'],
    [500, 'Internal Server Error'],
  ])('%i reads "%s"', (status, text) => {
    expect(errorOf(status).message).toBe(`${status} ${text}`);
  });

  it('a Location header names the target of a redirect only', () => {
    const headers = { location: 'https://elsewhere.example/v3/x' };
    expect(errorOf(302, undefined, { headers }).message).toBe(
      '302 Found: redirected to https://elsewhere.example/v3/x',
    );
    expect(errorOf(404, { message: 'Document not found.' }, { headers }).message).toBe(
      '404 Not Found: Document not found.',
    );
    expect(errorOf(300, undefined, { headers }).message).toBe(
      '300: redirected to https://elsewhere.example/v3/x',
    );
    expect(errorOf(400, 'bad', { headers }).message).toBe('400 Bad Request: bad');
  });

  it("an unknown status uses the response's own text, or none", () => {
    expect(errorOf(418, undefined, { statusText: 'Teapot' }).message).toBe('418 Teapot');
    expect(errorOf(418).message).toBe('418');
    expect(errorOf(418, 'short and stout').message).toBe('418: short and stout');
  });

  it('maps statuses to classes; other 4xx are plain APIErrors, 5xx InternalServerErrors', () => {
    expect(errorOf(415)).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(errorOf(409).constructor).toBe(APIError);
    expect(errorOf(499).constructor).toBe(APIError);
    expect(errorOf(500)).toBeInstanceOf(InternalServerError);
    expect(errorOf(599)).toBeInstanceOf(InternalServerError);
  });

  it('a long HTML error page is cut to 500 characters, marked with an ellipsis', () => {
    const page = `  <html>${'x'.repeat(600)}</html>  `;
    const err = errorOf(502, page);
    expect(err.message).toBe(`502 Bad Gateway: ${page.trim().slice(0, 500)}…`);
    expect(err.body).toBe(page);
    const exact = 'y'.repeat(500);
    expect(errorOf(502, exact).message).toBe(`502 Bad Gateway: ${exact}`);
  });

  it('cut() leaves text of the maximum length alone', () => {
    expect(cut('abc', 3)).toBe('abc');
    expect(cut('abcd', 3)).toBe('abc…');
  });

  it('{error: {...}} bodies are shown as JSON; a string error as itself', () => {
    const body = { error: { code: 'E1', message: 'nested' } };
    expect(errorOf(400, body).message).toBe(`400 Bad Request: ${JSON.stringify(body.error)}`);
    expect(errorOf(400, { error: 'flat' }).message).toBe('400 Bad Request: flat');
    expect(errorOf(400, { message: 'first', error: 'second' }).message).toBe('400 Bad Request: first');
    expect(errorOf(400, { message: '', error: 'second' }).message).toBe('400 Bad Request: second');
    expect(errorOf(400, { message: null, error: 'second' }).message).toBe('400 Bad Request: second');
  });

  it('message and field errors together; field errors of every shape', () => {
    expect(errorOf(422, { message: 'Invalid.', errors: { a: ['x', 'y'], b: 'z' } }).message).toBe(
      '422 Unprocessable Entity: Invalid. (a: x y; b: z)',
    );
    expect(errorOf(422, { errors: { a: [1, 2] } }).message).toBe('422 Unprocessable Entity: a: 1 2');
    expect(errorOf(422, { errors: 'all wrong' }).message).toBe('422 Unprocessable Entity: all wrong');
    expect(errorOf(422, { errors: { a: '', b: null } }).message).toBe(
      `422 Unprocessable Entity: ${JSON.stringify({ errors: { a: '', b: null } })}`,
    );
    expect(errorOf(422, { errors: {} }).message).toBe('422 Unprocessable Entity: {"errors":{}}');
  });

  it('other JSON bodies: an array, a number, an object without message', () => {
    expect(errorOf(400, [1, 2]).message).toBe('400 Bad Request: [1,2]');
    expect(errorOf(400, 7).message).toBe('400 Bad Request: 7');
    expect(errorOf(400, { detail: 'x' }).message).toBe('400 Bad Request: {"detail":"x"}');
    expect(errorOf(400, null).message).toBe('400 Bad Request');
    expect(errorOf(400, '').message).toBe('400 Bad Request');
    expect(errorOf(400, '').body).toBeUndefined();
    expect(errorOf(400, '   ').message).toBe('400 Bad Request');
  });

  it('a long JSON body of any kind is cut at 500 characters', () => {
    const list = Array.from({ length: 200 }, (_, i) => i);
    expect(errorOf(400, list).message).toBe(`400 Bad Request: ${JSON.stringify(list).slice(0, 500)}…`);
  });

  it('a cut JSON description is cut at 500 characters', () => {
    const long = { detail: 'd'.repeat(600) };
    expect(errorOf(400, long).message).toBe(`400 Bad Request: ${JSON.stringify(long).slice(0, 500)}…`);
    const message = 'm'.repeat(600);
    expect(errorOf(400, { message }).message).toBe(`400 Bad Request: ${message.slice(0, 500)}…`);
  });

  it('a redirect names its target (scrubbed), not its body; a 3xx without Location shows the body', () => {
    const scrub = (t: string) => t.replaceAll('SECRET', '[redacted]');
    const err = errorFromResponse(
      response(302, { headers: { location: 'https://elsewhere.test/?t=SECRET' } }),
      'ignored',
      scrub,
    );
    expect(err.message).toBe('302 Found: redirected to https://elsewhere.test/?t=[redacted]');
    expect(err.headers.get('location')).toBe('https://elsewhere.test/?t=[redacted]');
    expect(errorOf(301, 'moved').message).toBe('301 Moved Permanently: moved');
    expect(errorOf(303).message).toBe('303 See Other');
    expect(errorOf(307).message).toBe('307 Temporary Redirect');
    expect(errorOf(308).message).toBe('308 Permanent Redirect');
    // A Location on a non-3xx is not a redirect.
    expect(errorOf(404, 'gone', { headers: { location: '/x' } }).message).toBe('404 Not Found: gone');
    expect(errorOf(400, 'bad', { headers: { location: '/x' } }).message).toBe('400 Bad Request: bad');
    // Any 3xx names its target, 300 and 399 included.
    expect(errorOf(300, 'choices', { headers: { location: '/x' } }).message).toBe('300: redirected to /x');
    expect(errorOf(399, 'odd', { headers: { location: '/y' } }).message).toBe('399: redirected to /y');
  });
});

describe('errorFromResponse: fields of the subclasses', () => {
  it('402 authenticationUrl only when a string', () => {
    expect(
      (errorOf(402, { authentication_url: 'https://pay' }) as PaymentRequiredError).authenticationUrl,
    ).toBe('https://pay');
    expect(
      (errorOf(402, { authentication_url: 5 }) as PaymentRequiredError).authenticationUrl,
    ).toBeUndefined();
    expect((errorOf(402, 'text') as PaymentRequiredError).authenticationUrl).toBeUndefined();
  });

  it('422 errors only when an object', () => {
    expect((errorOf(422, { errors: ['a'] }) as UnprocessableEntityError).errors).toBeUndefined();
    expect((errorOf(422, { errors: 'a' }) as UnprocessableEntityError).errors).toBeUndefined();
    expect((errorOf(422, [{ errors: {} }]) as UnprocessableEntityError).errors).toBeUndefined();
    expect((errorOf(422, null) as UnprocessableEntityError).code).toBeUndefined();
  });

  it('429 retryAfterMs from the body only when it is an object', () => {
    expect((errorOf(429, ['2']) as RateLimitError).retryAfterMs).toBeUndefined();
    expect((errorOf(429, { retry_after: 3 }) as RateLimitError).retryAfterMs).toBe(3000);
  });
});
