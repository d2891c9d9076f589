// The HTTP layer, waits and webhooks at their edges: mutation survivors of issue #18 that are real behaviour.
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InvalidParamsError,
  UnexpectedResponseError,
  WebhookVerificationError,
} from '../../src/index.js';
import { parseWebhook } from '../../src/webhooks.js';
import { fakeClient, hang, jsonResponse, PDF, PROCESSED } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

const USER = { id: 'u1', email: 'a@b.c', balance: 10 };
const LOOPBACK = 'http://127.0.0.1:9/v3';

describe('aborts and timeouts of an attempt', () => {
  it('an abort in the middle of an upload is the caller’s abort, not a timeout, and is not retried', async () => {
    const controller = new AbortController();
    const reason = new Error('changed my mind');
    const { client, requests } = fakeClient((request) => {
      setTimeout(() => controller.abort(reason), 10);
      return hang(request);
    });
    const err = await client.documents
      .upload({ file: PDF, action: 'transcribe' }, { signal: controller.signal, maxRetries: 2 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(err).not.toBeInstanceOf(APIConnectionError);
    expect((err as APIUserAbortError).cause).toBe(reason);
    expect(requests).toHaveLength(1);
  });

  it('a fetch that ignores the signal still ends at the caller’s abort', async () => {
    const controller = new AbortController();
    const { client } = fakeClient(() => {
      setTimeout(() => controller.abort(), 10);
      return new Promise<Response>(() => {});
    });
    await expect(client.users.me({ signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('an already aborted signal sends nothing', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(200, USER));
    await expect(client.users.me({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(requests).toHaveLength(0);
  });

  it('a timed-out attempt says after how long, and keeps the cause', async () => {
    vi.useFakeTimers();
    const { client } = fakeClient(hang);
    const result = client.users.me({ timeoutMs: 250, maxRetries: 0 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(250);
    const err = await result;
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect((err as Error).message).toBe('Request timed out after 250 ms.');
    expect(((err as Error).cause as DOMException).name).toBe('TimeoutError');
  });

  it('timeoutMs: Infinity sets no timer: a slow answer still arrives', async () => {
    vi.useFakeTimers();
    const { client } = fakeClient(
      () =>
        new Promise<Response>((resolve) => setTimeout(() => resolve(jsonResponse(200, USER)), 3_000_000_000)),
    );
    const result = client.users.me({ timeoutMs: Number.POSITIVE_INFINITY });
    await vi.advanceTimersByTimeAsync(3_000_000_000);
    await expect(result).resolves.toEqual(USER);
  });

  it('the timer of a finished attempt is cleared', async () => {
    vi.useFakeTimers();
    const { client } = fakeClient(() => jsonResponse(200, USER));
    await client.users.me({ timeoutMs: 5_000 });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('answers that are not retried', () => {
  it('a 2xx with invalid JSON is an UnexpectedResponseError at once, not retried', async () => {
    const { client, requests } = fakeClient(
      () => new Response('{"id": "u1", ', { status: 200, headers: { 'content-type': 'application/json' } }),
    );
    const err = await client.users.me({ maxRetries: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as UnexpectedResponseError).status).toBe(200);
    expect(requests).toHaveLength(1);
  });
});

describe('connection errors', () => {
  it('name the code of the cause, and keep the cause', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const thrown = new TypeError('fetch failed', { cause });
    const { client } = fakeClient(() => Promise.reject(thrown));
    const err = await client.users.me({ maxRetries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect((err as Error).message).toBe('Connection error: fetch failed (ECONNREFUSED).');
    expect((err as Error).cause).toBe(thrown);
  });

  it('name the message of a cause without a code; a bare error or a non-error as they are', async () => {
    const cases: [unknown, string][] = [
      [
        new TypeError('fetch failed', { cause: new Error('socket hang up') }),
        'fetch failed (socket hang up)',
      ],
      [new TypeError('fetch failed', { cause: { code: 42, message: 'm' } }), 'fetch failed (m)'],
      [new TypeError('fetch failed', { cause: { code: 42 } }), 'fetch failed'],
      [new Error('plain'), 'plain'],
      ['a string', 'a string'],
    ];
    for (const [thrown, detail] of cases) {
      const { client } = fakeClient(() => Promise.reject(thrown));
      const err = await client.users.me({ maxRetries: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(APIConnectionError);
      expect((err as Error).message).toBe(`Connection error: ${detail}.`);
    }
  });

  it('a GET that lost its connection is retried, with a warning saying when', async () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    const logger = { debug() {}, info() {}, warn, error() {} };
    const { client, requests } = fakeClient(
      (_request, n) => (n === 1 ? Promise.reject(new TypeError('fetch failed')) : jsonResponse(200, USER)),
      { logger, logLevel: 'warn' },
    );
    const result = client.users.me({ maxRetries: 1 });
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(result).resolves.toEqual(USER);
    expect(requests).toHaveLength(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /^\[handwriting-ocr\] GET \/users\/me failed \(Connection error: fetch failed\.\); retry 1 in \d+ ms\.$/,
    );
  });
});

describe('a streamed download', () => {
  it('cancel() cancels the body, clears its timer and lets go of the caller’s signal', async () => {
    vi.useFakeTimers();
    let cancelled: unknown = 'not cancelled';
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('Hello'));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const { client } = fakeClient(
      () => new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } }),
    );
    const controller = new AbortController();
    const stream = await client.documents.downloadStream('abcde12345', 'txt', {
      signal: controller.signal,
      timeoutMs: 1_000,
    });
    const reader = stream.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('Hello');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await reader.cancel('enough');
    expect(cancelled).toBe('enough');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a body that ends closes the stream and lets go of the signal', async () => {
    const { client } = fakeClient(
      () => new Response('All of it', { status: 200, headers: { 'content-type': 'text/plain' } }),
    );
    const controller = new AbortController();
    const stream = await client.documents.downloadStream('abcde12345', 'txt', { signal: controller.signal });
    expect(await new Response(stream).text()).toBe('All of it');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a stall says how long it waited', async () => {
    vi.useFakeTimers();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('Hello'));
      },
    });
    const { client } = fakeClient(
      () => new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } }),
    );
    const stream = await client.documents.downloadStream('abcde12345', 'txt', { timeoutMs: 400 });
    const reader = stream.getReader();
    await reader.read();
    const next = reader.read().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(399);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const err = await next;
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect((err as Error).message).toBe('The body stalled for more than 400 ms.');
  });
});

describe('waits', () => {
  it('requestTimeoutMs bounds each poll: a hung poll is given up and the next one comes an interval later', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const times: number[] = [];
    const { client } = fakeClient(
      (request, n) => {
        times.push(Date.now() - start);
        return n === 1 ? hang(request) : jsonResponse(200, PROCESSED);
      },
      { baseUrl: LOOPBACK },
    );
    const result = client.documents.waitForProcessing('abcde12345', {
      requestTimeoutMs: 500,
      pollIntervalMs: 1_000,
      timeoutMs: 60_000,
      maxRetries: 0,
    });
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(result).resolves.toEqual(PROCESSED);
    // The hung poll timed out at 500 ms (before the deadline: ridden out), the next came 1 s later.
    expect(times).toEqual([0, 1_500]);
  });

  it('a poll that fails to connect before the deadline is ridden out', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient(
      (_request, n) =>
        n === 1 ? Promise.reject(new TypeError('fetch failed')) : jsonResponse(200, PROCESSED),
      { baseUrl: LOOPBACK },
    );
    const result = client.documents.waitForProcessing('abcde12345', { pollIntervalMs: 100, maxRetries: 0 });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(requests).toHaveLength(2);
  });

  it('a non-function onStatus is refused before the upload is paid for', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(201, { id: 'abcde12345', status: 'queued' }));
    const err = await client.documents
      .uploadAndWait({ file: PDF, action: 'transcribe' }, { onStatus: 'log' as never })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).param).toBe('onStatus');
    expect((err as Error).message).toBe('onStatus must be a function.');
    expect(requests).toHaveLength(0);
  });

  it('an unknown wait option is refused before the upload', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(201, { id: 'abcde12345', status: 'queued' }));
    const err = await client.documents
      .uploadAndWait({ file: PDF, action: 'transcribe' }, { interval: 5 } as never)
      .catch((e: unknown) => e);
    expect((err as InvalidParamsError).param).toBe('wait options');
    expect(requests).toHaveLength(0);
  });
});

describe('parseWebhook', () => {
  const BODY = JSON.stringify(PROCESSED);
  async function sign(body: string, secret: Uint8Array): Promise<string> {
    const key = await crypto.subtle.importKey(
      'raw',
      secret as Uint8Array<ArrayBuffer>,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)));
    return `sha256=${Buffer.from(mac).toString('hex')}`;
  }

  it('verifies with a Uint8Array secret, and with the same secret as a string', async () => {
    const secret = new TextEncoder().encode('whsec_123');
    const signature = await sign(BODY, secret);
    await expect(parseWebhook(BODY, { signature, secret })).resolves.toEqual(PROCESSED);
    await expect(parseWebhook(BODY, { signature, secret: 'whsec_123' })).resolves.toEqual(PROCESSED);
    const raw = new Uint8Array([0, 255, 7, 128]);
    await expect(parseWebhook(BODY, { signature: await sign(BODY, raw), secret: raw })).resolves.toEqual(
      PROCESSED,
    );
    await expect(
      parseWebhook(BODY, { signature: await sign(BODY, raw), secret: new Uint8Array([0, 255, 7, 129]) }),
    ).rejects.toBeInstanceOf(WebhookVerificationError);
  });

  it.each([
    ['an empty string', ''],
    ['empty bytes', new Uint8Array(0)],
    ['no secret', undefined],
    ['a number', 42],
  ])('refuses %s as the secret, before checking the signature', async (_what, secret) => {
    const err = await parseWebhook(BODY, { signature: 'sha256=00', secret: secret as never }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).param).toBe('secret');
  });

  it('refuses an already-parsed object, even unverified', async () => {
    for (const options of [{ verify: false }, { secret: 's', signature: 'sha256=00' }]) {
      const err = await parseWebhook(PROCESSED as never, options).catch((e) => e);
      expect(err).toBeInstanceOf(InvalidParamsError);
      expect((err as InvalidParamsError).param).toBe('rawBody');
      expect((err as Error).message).toMatch(/not a parsed object/);
    }
  });

  it('signatures: one matching value of an array suffices; spaces around it are ignored', async () => {
    const secret = new TextEncoder().encode('k');
    const good = await sign(BODY, secret);
    await expect(
      parseWebhook(BODY, { signature: ['sha256=bad', 5 as never, ` ${good} `], secret }),
    ).resolves.toEqual(PROCESSED);
    const missing = await parseWebhook(BODY, { signature: [], secret }).catch((e) => e);
    expect(missing).toBeInstanceOf(WebhookVerificationError);
    expect(missing.message).toBe('The x-signature header is missing.');
    const malformed = await parseWebhook(BODY, { signature: `${good}0`, secret }).catch((e) => e);
    expect(malformed.message).toBe('The x-signature header is not of the form sha256=<64 hex digits>.');
    const prefixed = await parseWebhook(BODY, { signature: `x${good}`, secret }).catch((e) => e);
    expect(prefixed.message).toBe('The x-signature header is not of the form sha256=<64 hex digits>.');
    const wrong = await parseWebhook(BODY, { signature: `sha256=${'0'.repeat(64)}`, secret }).catch((e) => e);
    expect(wrong.message).toBe('The webhook signature does not match its body.');
  });

  it('options: verify must be a boolean, maxBytes a number > 0; bodies over maxBytes are refused', async () => {
    const params = async (options: object, body = BODY) =>
      ((await parseWebhook(body, options as never).catch((e) => e)) as InvalidParamsError).param;
    expect(await params({ verify: 'no' })).toBe('verify');
    expect(await params({ verify: false, maxBytes: 0 })).toBe('maxBytes');
    expect(await params({ verify: false, maxBytes: '5' })).toBe('maxBytes');
    expect(await params({ verify: false, maxBytes: BODY.length - 1 })).toBe('rawBody');
    await expect(parseWebhook(BODY, { verify: false, maxBytes: BODY.length })).resolves.toEqual(PROCESSED);
    // Fewer characters than bytes: the limit is on bytes.
    const wide = JSON.stringify({ ...PROCESSED, file_name: 'é'.repeat(10) });
    const bytes = new TextEncoder().encode(wide).byteLength;
    expect(await params({ verify: false, maxBytes: bytes - 1 }, wide)).toBe('rawBody');
    await expect(parseWebhook(wide, { verify: false, maxBytes: bytes })).resolves.toMatchObject({
      id: PROCESSED.id,
    });
  });
});

describe('redirects of a GET, judged by the SDK', () => {
  const FROM = 'https://api.example.test/v3/users/me';
  function redirecting(location: string | null, status = 302) {
    return fakeClient((request) =>
      request.url === FROM
        ? new Response('moved', { status, headers: location === null ? {} : { location } })
        : jsonResponse(200, USER),
    );
  }

  it('follows exactly 5 hops; the 6th redirect is the caller’s error', async () => {
    const hops = (n: number) =>
      fakeClient((request) => {
        const at = Number(new URL(request.url).searchParams.get('hop') ?? 0);
        return at < n
          ? new Response(null, { status: 307, headers: { location: `/v3/users/me?hop=${at + 1}` } })
          : jsonResponse(200, USER);
      });
    const five = hops(5);
    await expect(five.client.users.me()).resolves.toEqual(USER);
    expect(five.requests).toHaveLength(6);
    const six = hops(6);
    const err = await six.client.users.me({ maxRetries: 0 }).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(307);
    expect(six.requests).toHaveLength(6);
  });

  it.each([301, 302, 303, 307, 308])('follows a %i', async (status) => {
    const { client, requests } = redirecting('/v3/users/me2', status);
    await expect(client.users.me()).resolves.toEqual(USER);
    expect(requests.map((r) => r.url)).toEqual([FROM, 'https://api.example.test/v3/users/me2']);
    expect(requests[1]?.method).toBe('GET');
  });

  it('does not follow a 3xx without Location, to another scheme, or that is not a redirect (300)', async () => {
    for (const [location, status] of [
      [null, 302],
      ['ftp://api.example.test/x', 302],
      ['/v3/users/me2', 300],
    ] as const) {
      const { client, requests } = redirecting(location, status);
      const err = await client.users.me({ maxRetries: 0 }).catch((e: unknown) => e);
      expect((err as { status?: number }).status).toBe(status);
      expect(requests).toHaveLength(1);
    }
  });

  it('follows an http redirect (a proxy may send one) and keeps the headers of the call on the same origin', async () => {
    const { client, requests } = fakeClient((request) =>
      new URL(request.url).pathname === '/v3/users/me'
        ? new Response(null, { status: 302, headers: { location: 'http://other.example.test/me' } })
        : jsonResponse(200, USER),
    );
    await expect(client.users.me({ headers: { 'x-trace': 't1', 'x-api-key': 'k' } })).resolves.toEqual(USER);
    expect(requests[0]?.headers.get('x-api-key')).toBe('k');
    expect(requests[1]?.url).toBe('http://other.example.test/me');
    expect(requests[1]?.headers.get('x-trace')).toBe('t1');
    expect(requests[1]?.headers.get('x-api-key')).toBeNull();
    expect(requests[1]?.headers.get('authorization')).toBeNull();
  });

  it('an upload (a POST) never follows, whatever fetch does', async () => {
    const { client, requests } = fakeClient(
      () => new Response(null, { status: 303, headers: { location: '/v3/documents/abcde12345' } }),
    );
    const err = await client.documents.upload({ file: PDF, action: 'transcribe' }).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(303);
    expect(requests).toHaveLength(1);
  });

  it('thumbnail: the per-call headers are sent with the token', async () => {
    const { client, requests } = fakeClient(
      () => new Response(new Uint8Array([1, 2]), { headers: { 'content-type': 'image/jpeg' } }),
    );
    await client.documents.thumbnail('https://api.example.test/v3/document/a/image-1.jpg', {
      headers: { 'x-trace': 't2' },
    });
    expect(requests[0]?.headers.get('x-trace')).toBe('t2');
    expect(requests[0]?.headers.get('authorization')).toMatch(/^Bearer /);
    await client.documents.thumbnail('https://api.example.test/v3/document/a/image-1.jpg');
    expect(requests[1]?.headers.get('x-trace')).toBeNull();
    expect(requests[1]?.headers.get('authorization')).toMatch(/^Bearer /);
  });
});

describe('a body that breaks off', () => {
  it('while streaming: an APIConnectionError that says so, with the cause', async () => {
    let fail: (e: unknown) => void = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('Hello'));
        fail = (e) => controller.error(e);
      },
    });
    const { client } = fakeClient(
      () => new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } }),
    );
    const stream = await client.documents.downloadStream('abcde12345', 'txt');
    const reader = stream.getReader();
    await reader.read();
    const cause = new Error('socket closed');
    fail(cause);
    const err = await reader.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect((err as Error).message).toBe('Connection lost while reading the body: socket closed.');
    expect((err as Error).cause).toBe(cause);
  });
});

describe('a 429 whose wait is only in the body', () => {
  it("the retry waits the body's retry_after", async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient((_request, n) =>
      n === 1 ? jsonResponse(429, { message: 'Slow down.', retry_after: 3 }) : jsonResponse(200, USER),
    );
    const result = client.users.me({ maxRetries: 1 });
    await vi.advanceTimersByTimeAsync(2_900);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(result).resolves.toEqual(USER);
    expect(requests).toHaveLength(2);
  });
});

describe('the longest timer', () => {
  const MAX = 2_147_483_647; // setTimeout's longest delay

  it('a timeout of exactly the longest delay fires; a longer one means none', async () => {
    vi.useFakeTimers();
    const { client } = fakeClient(hang);
    let settled = false;
    const result = client.users.me({ timeoutMs: MAX, maxRetries: 0 }).catch((e: unknown) => {
      settled = true;
      return e;
    });
    await vi.advanceTimersByTimeAsync(MAX - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBeInstanceOf(APIConnectionTimeoutError);

    // One ms more: no timer (setTimeout would fire it at once), so a slow answer still arrives.
    const slow = fakeClient(
      () => new Promise<Response>((resolve) => setTimeout(() => resolve(jsonResponse(200, USER)), 10)),
    );
    const answer = slow.client.users.me({ timeoutMs: MAX + 1, maxRetries: 0 });
    await vi.advanceTimersByTimeAsync(10);
    await expect(answer).resolves.toEqual(USER);
  });

  it('a streamed body stalls out after exactly the longest delay; a longer timeout means no stall timer', async () => {
    vi.useFakeTimers();
    const stalled = () =>
      fakeClient(
        () =>
          new Response(
            new ReadableStream<Uint8Array>({
              start(controller) {
                controller.enqueue(new TextEncoder().encode('Hello'));
              },
            }),
            { status: 200, headers: { 'content-type': 'text/plain' } },
          ),
      );
    const reader = (
      await stalled().client.documents.downloadStream('abcde12345', 'txt', { timeoutMs: MAX })
    ).getReader();
    await reader.read();
    let failure: unknown;
    const next = reader.read().catch((e: unknown) => {
      failure = e;
    });
    await vi.advanceTimersByTimeAsync(MAX - 1);
    expect(failure).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(failure).toBeInstanceOf(APIConnectionTimeoutError);

    for (const timeoutMs of [MAX + 1, Number.POSITIVE_INFINITY]) {
      const endless = (
        await stalled().client.documents.downloadStream('abcde12345', 'txt', { timeoutMs })
      ).getReader();
      await endless.read();
      let ended = false;
      endless.read().then(
        () => (ended = true),
        () => (ended = true),
      );
      await vi.advanceTimersByTimeAsync(1_000);
      expect(ended).toBe(false);
      expect(vi.getTimerCount()).toBe(0);
      await endless.cancel();
    }
  });
});

describe('a call bound by a deadline (a wait’s poll)', () => {
  it('a poll retried before the deadline comes back after the backoff, not a poll interval later', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const times: number[] = [];
    const { client } = fakeClient(
      (_request, n) => {
        times.push(Date.now() - start);
        return n === 1 ? jsonResponse(503, { message: 'Busy' }) : jsonResponse(200, PROCESSED);
      },
      { baseUrl: LOOPBACK },
    );
    const result = client.documents.waitForProcessing('abcde12345', {
      pollIntervalMs: 5_000,
      timeoutMs: 60_000,
      maxRetries: 1,
    });
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(times).toHaveLength(2);
    expect(times[1]).toBeLessThanOrEqual(500); // the first backoff: 375 to 500 ms
  });

  it('a backoff is cut to the time left, and no attempt is sent once the deadline has passed', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient(
      () => jsonResponse(503, { message: 'Busy' }, { 'retry-after': '5' }),
      { baseUrl: LOOPBACK },
    );
    await expectWaitTimeoutAt(
      client.documents.waitForProcessing('abcde12345', {
        timeoutMs: 1_000,
        pollIntervalMs: 5_000,
        maxRetries: 5,
      }),
      1_000,
    );
    expect(requests).toHaveLength(1);
  });

  it('an attempt is cut to the time left; when it ends at the deadline no retry is announced', async () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    const { client, requests } = fakeClient(hang, {
      baseUrl: LOOPBACK,
      logger: { debug() {}, info() {}, warn, error() {} },
      logLevel: 'warn',
    });
    await expectWaitTimeoutAt(
      client.documents.waitForProcessing('abcde12345', {
        timeoutMs: 1_000,
        requestTimeoutMs: 60_000,
        maxRetries: 3,
      }),
      1_000,
    );
    expect(requests).toHaveLength(1);
    expect(warn.mock.calls.filter(([line]) => /retry/.test(String(line)))).toEqual([]);
  });
});

describe('what a failed fetch becomes', () => {
  it('an SDK error that fetch wraps as its cause (a streamed upload over the limit) is thrown as it is', async () => {
    const cause = new InvalidParamsError('file is larger than 20 MiB.', 'file');
    const { client, requests } = fakeClient(() => Promise.reject(new TypeError('fetch failed', { cause })));
    const err = await client.users.me({ maxRetries: 2 }).catch((e: unknown) => e);
    expect(err).toBe(cause);
    expect(requests).toHaveLength(1);
  });

  it('a refused redirect says nothing was sent to its target, and keeps the cause', async () => {
    const thrown = new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
    const { client } = fakeClient(() => Promise.reject(thrown));
    const err = await client.documents.upload({ file: PDF, action: 'transcribe' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect((err as Error).message).toBe(
      'The API answered with a redirect, which a request that spends credits never follows; nothing was sent to its target.',
    );
    expect((err as Error).cause).toBe(thrown);
    const direct = new TypeError('Redirect was refused');
    const second = fakeClient(() => Promise.reject(direct));
    const err2 = await second.client.documents
      .upload({ file: PDF, action: 'transcribe' })
      .catch((e: unknown) => e);
    expect((err2 as Error).message).toMatch(/^The API answered with a redirect/);
  });

  it('a fetch that rejects with null or undefined is a connection error (a thumbnail’s fetch is called as it is)', async () => {
    for (const thrown of [null, undefined]) {
      const { client } = fakeClient(() => Promise.reject(thrown));
      const err = await client.documents
        .thumbnail('https://api.example.test/v3/document/a/image-1.jpg', { maxRetries: 0 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(APIConnectionError);
      expect((err as Error).message).toBe(`Connection error: ${thrown}.`);
    }
  });
});

describe('the caller’s signal and a handed-over body', () => {
  it('a finished call lets go of the signal; a streamed body keeps it until it ends, and an abort ends it', async () => {
    const controller = new AbortController();
    const plain = fakeClient(() => jsonResponse(200, USER));
    await plain.client.users.me({ signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);

    let cancelled: unknown = 'not cancelled';
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('Hello'));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const streamed = fakeClient(
      () => new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } }),
    );
    const stream = await streamed.client.documents.downloadStream('abcde12345', 'txt', {
      signal: controller.signal,
    });
    const reader = stream.getReader();
    await reader.read();
    const next = reader.read().catch((e: unknown) => e);
    controller.abort(new Error('stop'));
    const err = await next;
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(cancelled).toBeInstanceOf(APIUserAbortError);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('a chunk that arrives as the caller aborts', () => {
  // The abort lands a few microtasks after the chunk: whichever step of the read it meets, the read ends with the
  // chunk or the abort, and no stall timer is left behind.
  it.each([0, 1, 2, 3])(
    'is delivered or dropped, and leaves no timer (abort %i microtasks later)',
    async (ticks) => {
      vi.useFakeTimers();
      const controller = new AbortController();
      let source: ReadableStreamDefaultController<Uint8Array> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('first'));
          source = c;
        },
      });
      const { client } = fakeClient(
        () => new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } }),
      );
      const stream = await client.documents.downloadStream('abcde12345', 'txt', {
        signal: controller.signal,
        timeoutMs: 5_000,
      });
      const reader = stream.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toBe('first');
      const read = reader.read().catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(0);
      source?.enqueue(new TextEncoder().encode('late'));
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      controller.abort();
      const outcome = await read;
      if (!(outcome instanceof APIUserAbortError)) {
        expect(new TextDecoder().decode((outcome as ReadableStreamReadResult<Uint8Array>).value)).toBe(
          'late',
        );
      }
      await vi.advanceTimersByTimeAsync(0);
      expect(vi.getTimerCount()).toBe(0);
    },
  );
});

describe('logging of attempts', () => {
  it('the debug line gives the attempt’s own duration', async () => {
    vi.useFakeTimers();
    vi.advanceTimersByTime(10_000); // the clock is well past 0 when the call starts
    const debug = vi.fn();
    const { client } = fakeClient(
      () => new Promise<Response>((resolve) => setTimeout(() => resolve(jsonResponse(200, USER)), 250)),
      { logger: { debug, info() {}, warn() {}, error() {} }, logLevel: 'debug' },
    );
    const result = client.users.me();
    await vi.advanceTimersByTimeAsync(250);
    await result;
    expect(debug.mock.calls[0]?.[0]).toBe('[handwriting-ocr] GET /users/me 200 250 ms (attempt 1)');
  });

  it('below debug, no attempt line is written', async () => {
    const debug = vi.fn();
    const { client } = fakeClient(() => jsonResponse(200, USER), {
      logger: { debug, info() {}, warn() {}, error() {} },
      logLevel: 'info',
    });
    await client.users.me();
    expect(debug).not.toHaveBeenCalled();
  });

  it('a credential passed in one call’s headers is scrubbed from that call’s error', async () => {
    const { client } = fakeClient((request) =>
      jsonResponse(400, { message: `bad key ${request.headers.get('x-api-key')}` }),
    );
    const err = await client.users
      .me({ headers: { 'x-api-key': 'call-secret-9876' }, maxRetries: 0 })
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain('bad key');
    expect((err as Error).message).not.toContain('call-secret-9876');
  });
});

describe('a redirect that cannot be followed', () => {
  it('a Location that is not a URL hands the 3xx back, without another request', async () => {
    const { client, requests } = fakeClient(
      () => new Response('moved', { status: 302, headers: { location: 'http://[oops/v3/users/me' } }),
    );
    const err = await client.users.me({ maxRetries: 0 }).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(302);
    expect(requests).toHaveLength(1);
  });
});

/** `wait` (on fake timers) is still pending 1 ms before `ms`, and ends in a WaitTimeoutError at `ms`. */
async function expectWaitTimeoutAt(wait: Promise<unknown>, ms: number): Promise<void> {
  let settled = false;
  const result = wait.catch((e: unknown) => {
    settled = true;
    return e;
  });
  await vi.advanceTimersByTimeAsync(ms - 1);
  expect(settled).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(settled).toBe(true);
  expect(((await result) as Error).name).toBe('WaitTimeoutError');
}

describe('the cause of a timeout', () => {
  it('is the attempt’s own TimeoutError, which says the attempt timed out', async () => {
    vi.useFakeTimers();
    const { client } = fakeClient(hang, { timeoutMs: 100, maxRetries: 0 });
    const result = client.users.me().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    const err = (await result) as APIConnectionTimeoutError;
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(err.cause).toBeInstanceOf(DOMException);
    expect(err.cause).toMatchObject({ name: 'TimeoutError', message: 'The attempt timed out.' });
  });
});
