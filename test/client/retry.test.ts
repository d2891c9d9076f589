import { afterEach, describe, expect, it, vi } from 'vitest';
import { InternalServerError as ISE, RateLimitError as RLE } from '../../src/errors.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InternalServerError,
  InvalidParamsError,
  NotFoundError,
  RateLimitError,
} from '../../src/index.js';
import { retryDelayMs, shouldRetry } from '../../src/retry.js';
import {
  client,
  fakeClient,
  hang,
  json,
  jsonResponse,
  PDF,
  PROCESSED,
  startServer,
  type TestServer,
} from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

const USER = { id: 'u1', email: 'a@b.c', balance: 10 };

// A retry waits out the backoff (at least 0.5 s, even after `Retry-After: 0`): these tests run on fake timers
// with a fetch double, so the waits cost no wall-clock time. Real sockets are used where nothing is retried.

/** A fetch failure as undici reports a dropped connection. */
const dropped = () =>
  new TypeError('fetch failed', {
    cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
  });

/** Runs the client's waits (backoff, timeouts) to completion on the fake clock, then settles `call`. */
async function settled<T>(call: Promise<T>): Promise<T> {
  const result = call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  const outcome = await result;
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

describe('GET and DELETE are retried', () => {
  it('GET on 503, then succeeds', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient((_r, n) =>
      n === 1 ? jsonResponse(503, { message: 'down' }, { 'retry-after': '0' }) : jsonResponse(200, USER),
    );
    await expect(settled(client.users.me())).resolves.toEqual(USER);
    expect(requests).toHaveLength(2);
  });

  it.each([408, 429, 500, 502, 504])('GET on %i', async (status) => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient((_r, n) =>
      n === 1 ? jsonResponse(status, {}, { 'retry-after': '0' }) : jsonResponse(200, PROCESSED),
    );
    await expect(settled(client.documents.retrieve('abcde12345'))).resolves.toMatchObject({
      status: 'processed',
    });
    expect(requests).toHaveLength(2);
  });

  it('GET on a dropped connection', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient((_r, n) => {
      if (n === 1) throw dropped();
      return jsonResponse(200, USER);
    });
    await expect(settled(client.users.me())).resolves.toEqual(USER);
    expect(requests).toHaveLength(2);
  });

  it('DELETE on 502', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient((_r, n) =>
      n === 1 ? jsonResponse(502, {}, { 'retry-after': '0' }) : new Response(null, { status: 204 }),
    );
    await expect(settled(client.documents.delete('abcde12345'))).resolves.toBeUndefined();
    expect(requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
  });

  it('stops after maxRetries and throws the last error', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient(
      () => jsonResponse(503, { message: 'down' }, { 'retry-after': '0' }),
      { maxRetries: 3 },
    );
    const err = await settled(client.users.me()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(requests).toHaveLength(4);
  });

  it('per-call maxRetries overrides the client', async () => {
    server = await startServer((_req, res) => json(res, 503, {}, { 'retry-after': '0' }));
    await expect(client(server.url).users.me({ maxRetries: 0 })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry 404', async () => {
    server = await startServer((_req, res) => json(res, 404, { message: 'Document not found.' }));
    await expect(client(server.url).documents.retrieve('abcde12345')).rejects.toBeInstanceOf(NotFoundError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('upload is retried only on 429', () => {
  it('is not retried on 500', async () => {
    server = await startServer((_req, res) =>
      json(res, 500, { message: 'Server Error' }, { 'retry-after': '0' }),
    );
    const err = await client(server.url)
      .documents.upload({ file: PDF, action: 'transcribe' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  it('is not retried on a dropped connection', async () => {
    server = await startServer((_req, _res, raw) => {
      raw.socket.destroy();
    });
    const err = await client(server.url)
      .documents.upload({ file: PDF, action: 'transcribe' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it('is not retried on a timeout', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient(hang, { timeoutMs: 100 });
    const err = await settled(client.documents.upload({ file: PDF, action: 'transcribe' })).catch((e) => e);
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(requests).toHaveLength(1);
  });

  it('is retried on 429, sending the same file again', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient((_r, n) =>
      n === 1
        ? jsonResponse(429, {}, { 'retry-after': '0' })
        : jsonResponse(201, { id: 'abcde12345', status: 'queued' }),
    );
    await expect(settled(client.documents.upload({ file: PDF, action: 'transcribe' }))).resolves.toEqual({
      id: 'abcde12345',
      status: 'queued',
    });
    expect(requests).toHaveLength(2);
    const sent = await Promise.all(requests.map(async (r) => Buffer.from(await r.arrayBuffer())));
    expect(sent.map((body) => body.includes(PDF))).toEqual([true, true]);
  });

  it('a stream body is not retried even on 429 (it cannot be replayed)', async () => {
    server = await startServer((_req, res) => json(res, 429, {}, { 'retry-after': '0' }));
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(PDF));
        c.close();
      },
    });
    await expect(
      client(server.url).documents.upload({ file: stream, action: 'transcribe' }),
    ).rejects.toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('topup is never retried', () => {
  it.each([429, 500, 503])('on %i', async (status) => {
    server = await startServer((_req, res) => json(res, status, {}, { 'retry-after': '0' }));
    await expect(client(server.url, { maxRetries: 5 }).credits.topup({ amount: 500 })).rejects.toMatchObject({
      status,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('on a dropped connection', async () => {
    server = await startServer((_req, _res, raw) => {
      raw.socket.destroy();
    });
    await expect(client(server.url).credits.topup({ amount: 500 })).rejects.toBeInstanceOf(
      APIConnectionError,
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe('timeouts', () => {
  it('an attempt past timeoutMs is an APIConnectionTimeoutError, at exactly timeoutMs', async () => {
    vi.useFakeTimers();
    const { client } = fakeClient(hang, { timeoutMs: 80, maxRetries: 0 });
    const result = client.users.me().catch((e: unknown) => e);
    let settledYet = false;
    void result.then(() => {
      settledYet = true;
    });
    await vi.advanceTimersByTimeAsync(79);
    expect(settledYet).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('GET retries a timed-out attempt', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient(
      (request, n) => (n === 1 ? hang(request) : jsonResponse(200, USER)),
      {
        timeoutMs: 80,
        maxRetries: 1,
      },
    );
    await expect(settled(client.users.me())).resolves.toEqual(USER);
    expect(requests).toHaveLength(2);
  });

  it('per-call timeoutMs overrides the client', async () => {
    server = await startServer(() => {});
    const started = Date.now();
    await expect(
      client(server.url, { timeoutMs: 60_000 }).users.me({ timeoutMs: 50, maxRetries: 0 }),
    ).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('waiting between attempts', () => {
  it('honours Retry-After in seconds', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter
    const { client, requests } = fakeClient((_r, n) =>
      n === 1 ? jsonResponse(429, {}, { 'retry-after': '3' }) : jsonResponse(200, USER),
    );
    const result = client.users.me();
    await vi.advanceTimersByTimeAsync(2_999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual(USER);
    expect(requests).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-09T10:00:00Z') });
    vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter
    const { client, requests } = fakeClient((_r, n) =>
      n === 1
        ? jsonResponse(503, {}, { 'retry-after': 'Mon, 09 Mar 2026 10:00:10 GMT' })
        : jsonResponse(200, USER),
    );
    const result = client.users.me();
    await vi.advanceTimersByTimeAsync(9_990);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    await expect(result).resolves.toEqual(USER);
  });

  it('waits up to 60 s; a longer Retry-After goes to the caller at once, with its retryAfterMs', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter
    const { client, requests } = fakeClient((_r, n) =>
      n === 1 ? jsonResponse(429, {}, { 'retry-after': '60' }) : jsonResponse(200, USER),
    );
    const result = client.users.me();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual(USER);

    const long = fakeClient(() => jsonResponse(429, {}, { 'retry-after': '3600' }));
    const err = await long.client.users.me().catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(long.requests).toHaveLength(1);
  });

  it('backs off exponentially without Retry-After', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter
    const times: number[] = [];
    const { client } = fakeClient(() => {
      times.push(Date.now());
      return jsonResponse(503, {});
    });
    const result = client.users.me({ maxRetries: 3 }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await result).toBeInstanceOf(InternalServerError);
    expect(times.slice(1).map((t, i) => t - (times[i] as number))).toEqual([500, 1000, 2000]);
    vi.restoreAllMocks();
  });

  it('an abort during the backoff rejects at once', async () => {
    vi.useFakeTimers();
    const { client, requests } = fakeClient(() => jsonResponse(503, {}, { 'retry-after': '30' }));
    const controller = new AbortController();
    const result = client.users.me({ signal: controller.signal }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(requests).toHaveLength(1);
    controller.abort();
    const err = await result; // no timer advanced: the sleep must end on the abort itself
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(200, USER));
    await expect(client.users.me({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(requests).toHaveLength(0);
  });

  it('an abort mid-request rejects with APIUserAbortError and is not retried', async () => {
    server = await startServer(() => {}); // hangs
    const controller = new AbortController();
    const result = client(server.url).users.me({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user gave up')), 30);
    const err = await result.catch((e) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect((err as Error).cause).toEqual(new Error('user gave up'));
    expect(server.requests).toHaveLength(1);
  });
});

describe('retry.ts rules', () => {
  const headers = new Headers();
  it('decides by rule', () => {
    const e503 = new ISE(503, headers, undefined, '503');
    const e429 = new RLE(429, headers, undefined, '429');
    const conn = new APIConnectionError();
    expect(shouldRetry('idempotent', e503, true)).toBe(true);
    expect(shouldRetry('idempotent', conn, true)).toBe(true);
    expect(shouldRetry('idempotent', new APIConnectionTimeoutError(), true)).toBe(true);
    expect(shouldRetry('rejected-only', e503, true)).toBe(false);
    expect(shouldRetry('rejected-only', conn, true)).toBe(false);
    expect(shouldRetry('rejected-only', e429, true)).toBe(true);
    expect(shouldRetry('rejected-only', e429, false)).toBe(false);
    expect(shouldRetry('never', e429, true)).toBe(false);
    expect(shouldRetry('idempotent', new ISE(501, headers, undefined, '501'), true)).toBe(false);
  });

  it('backoff: 0.5 s doubling, capped at 8 s, up to 25 % jitter', () => {
    const conn = new APIConnectionError();
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, conn, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(retryDelayMs(1, conn, () => 1)).toBe(375);
  });
});

describe('per-call maxRetries and timeoutMs are checked before the first attempt', () => {
  it.each([
    { maxRetries: Number.NaN },
    { maxRetries: -1 },
    { maxRetries: 1.5 },
    { timeoutMs: 0 },
    { timeoutMs: -1 },
    { timeoutMs: Number.NaN },
  ])('%o → InvalidParamsError, nothing sent', async (options) => {
    const { client, requests } = fakeClient(() => jsonResponse(200, USER));
    await expect(client.users.me(options)).rejects.toBeInstanceOf(InvalidParamsError);
    expect(requests).toHaveLength(0);
  });

  it('the checks name the option', async () => {
    const { client } = fakeClient(() => jsonResponse(200, USER));
    await expect(client.users.me({ maxRetries: Number.NaN })).rejects.toMatchObject({ param: 'maxRetries' });
    await expect(client.documents.delete('abcde12345', { timeoutMs: 0 })).rejects.toMatchObject({
      param: 'timeoutMs',
    });
  });
});

describe('Retry-After is a lower bound between attempts', () => {
  it.each(['0', 'Mon, 09 Mar 2026 09:00:00 GMT'])(
    'Retry-After: %s still waits the backoff',
    async (value) => {
      vi.useFakeTimers({ now: new Date('2026-03-09T10:00:00Z') });
      vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter
      try {
        const times: number[] = [];
        const { client } = fakeClient((_r, n) => {
          times.push(Date.now());
          return n < 3 ? jsonResponse(503, {}, { 'retry-after': value }) : jsonResponse(200, USER);
        });
        const result = client.users.me();
        await vi.advanceTimersByTimeAsync(5_000);
        await expect(result).resolves.toEqual(USER);
        expect(times.slice(1).map((t, i) => t - (times[i] as number))).toEqual([500, 1000]);
      } finally {
        vi.restoreAllMocks();
      }
    },
  );

  it('retryDelayMs: the larger of the hint and the backoff; no retry past 60 s', () => {
    const withHint = (value: string) => new ISE(503, new Headers({ 'retry-after': value }), undefined, '503');
    expect(retryDelayMs(1, withHint('0'), () => 0)).toBe(500);
    expect(retryDelayMs(3, withHint('1'), () => 0)).toBe(2000);
    expect(retryDelayMs(1, withHint('3'), () => 0)).toBe(3000);
    expect(retryDelayMs(1, withHint('60'), () => 0)).toBe(60_000);
    expect(retryDelayMs(1, withHint('61'), () => 0)).toBeUndefined();
    expect(retryDelayMs(1, withHint('3600'), () => 0)).toBeUndefined();
  });

  it('adds a small random delay on top of Retry-After, so clients told the same spread out', () => {
    const withHint = (value: string) => new RLE(429, new Headers({ 'retry-after': value }), undefined, '429');
    expect(retryDelayMs(1, withHint('3'), () => 1)).toBe(3_400); // 3 s + up to 100 ms + 10 %
    expect(retryDelayMs(1, withHint('30'), () => 1)).toBe(31_000); // the spread is at most 1 s
    const spread = new Set(Array.from({ length: 200 }, () => retryDelayMs(1, withHint('3'))));
    expect(spread.size).toBeGreaterThan(50);
    for (const delay of spread) expect(delay).toBeGreaterThanOrEqual(3_000);
  });
});
