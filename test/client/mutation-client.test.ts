// The client's methods at their edges: mutation survivors of issue #18 that are real behaviour (what each
// method logs and says, which rule retries it, what uploadAndWait hands its upload, pending answers).
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  APIConnectionTimeoutError,
  APIUserAbortError,
  HandwritingOCR,
  InternalServerError,
  RateLimitError,
  UnexpectedResponseError,
} from '../../src/index.js';
import { fakeClient, hang, jsonResponse, LOOPBACK, PDF, PROCESSED, scripted } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

const ID = 'abcde12345';
const USER = { id: 'u1', email: 'a@b.c', balance: 10 };
const LIST = {
  documents: [],
  current_page: 1,
  last_page: 1,
  per_page: 20,
  total: 0,
  next_page_url: null,
  prev_page_url: null,
};

describe('the client object', () => {
  it('util.inspect shows the safe summary', () => {
    const client = new HandwritingOCR({ apiToken: 'tok', baseUrl: 'https://api.example.test/v3' });
    expect(inspect(client)).toBe("HandwritingOCR { baseUrl: 'https://api.example.test/v3' }");
  });

  it('the token is trimmed, from the option and from the environment', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(200, USER), { apiToken: '  tok-1 \n' });
    await client.users.me();
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer tok-1');
    vi.stubEnv('HANDWRITING_OCR_API_TOKEN', ' tok-2\t');
    const fromEnv = fakeClient(() => jsonResponse(200, USER), { apiToken: undefined });
    await fromEnv.client.users.me();
    expect(fromEnv.requests[0]?.headers.get('authorization')).toBe('Bearer tok-2');
  });
});

describe('the environment', () => {
  it('HANDWRITING_OCR_BASE_URL is used when set; empty, it counts as unset', () => {
    vi.stubEnv('HANDWRITING_OCR_BASE_URL', 'https://proxy.example.test/v3');
    expect(new HandwritingOCR({ apiToken: 'tok' }).baseUrl).toBe('https://proxy.example.test/v3');
    vi.stubEnv('HANDWRITING_OCR_BASE_URL', '');
    expect(new HandwritingOCR({ apiToken: 'tok' }).baseUrl).toBe('https://api.handwritingocr.com/v3');
  });
});

describe('each method, in the debug log and in its errors', () => {
  const calls: [string, RegExp, (c: HandwritingOCR) => Promise<unknown>, () => Response][] = [
    [
      'upload',
      /^\[handwriting-ocr\] POST \/documents 201 /,
      (c) => c.documents.upload({ file: PDF, action: 'transcribe' }),
      () => jsonResponse(201, { id: ID, status: 'queued' }),
    ],
    [
      'list',
      /^\[handwriting-ocr\] GET \/documents 200 /,
      (c) => c.documents.list(),
      () => jsonResponse(200, LIST),
    ],
    [
      'retrieve',
      /^\[handwriting-ocr\] GET \/documents\/abcde12345 200 /,
      (c) => c.documents.retrieve(ID),
      () => jsonResponse(200, PROCESSED),
    ],
    [
      'delete',
      /^\[handwriting-ocr\] DELETE \/documents\/abcde12345 200 /,
      (c) => c.documents.delete(ID),
      () => jsonResponse(200, { message: 'deleted' }),
    ],
    ['me', /^\[handwriting-ocr\] GET \/users\/me 200 /, (c) => c.users.me(), () => jsonResponse(200, USER)],
    [
      'topup',
      /^\[handwriting-ocr\] POST \/credits\/topup 200 /,
      (c) => c.credits.topup({ amount: 100 }),
      () => jsonResponse(200, { success: true, credits_purchased: 100, new_balance: 110 }),
    ],
  ];

  it.each(calls)('%s logs its method and path', async (_name, line, call, answer) => {
    const debug = vi.fn();
    const logger = { debug, info() {}, warn() {}, error() {} };
    const { client } = fakeClient(answer, { logger, logLevel: 'debug' });
    await call(client);
    expect(debug).toHaveBeenCalledTimes(1);
    expect(debug.mock.calls[0]?.[0]).toMatch(line);
  });

  it.each([
    [
      'upload',
      (c: HandwritingOCR) => c.documents.upload({ file: PDF, action: 'transcribe' }),
      /^POST \/documents answered 201 with .*; the upload may have been accepted and its pages charged: check documents\.list\(\) before uploading again\.$/,
    ],
    ['list', (c: HandwritingOCR) => c.documents.list(), /^GET \/documents answered 201 with /],
    [
      'retrieve',
      (c: HandwritingOCR) => c.documents.retrieve(ID),
      /^GET \/documents\/abcde12345 answered 201 with /,
    ],
    ['me', (c: HandwritingOCR) => c.users.me(), /^GET \/users\/me answered 201 with /],
    [
      'topup',
      (c: HandwritingOCR) => c.credits.topup({ amount: 100 }),
      /^POST \/credits\/topup answered 201 with .*; the purchase may have gone through: check users\.me\(\) before buying again\.$/,
    ],
  ])('%s names its call in an UnexpectedResponseError', async (_name, call, message) => {
    const { client } = fakeClient(() => jsonResponse(201, { unexpected: true }));
    const err = await call(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('which calls are retried', () => {
  it('an upload is not retried on a 500 (a second upload would be charged), but is on a 429', async () => {
    const failed = fakeClient(() => jsonResponse(500, { message: 'Oops' }));
    const err = await failed.client.documents
      .upload({ file: PDF, action: 'transcribe' }, { maxRetries: 2 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(failed.requests).toHaveLength(1);

    vi.useFakeTimers();
    const limited = fakeClient((_r, n) =>
      n === 1
        ? jsonResponse(429, { message: 'Slow down' }, { 'retry-after': '1' })
        : jsonResponse(201, { id: ID, status: 'queued' }),
    );
    const result = limited.client.documents.upload({ file: PDF, action: 'transcribe' }, { maxRetries: 1 });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(result).resolves.toMatchObject({ id: ID });
    expect(limited.requests).toHaveLength(2);
  });

  it('a top-up is never retried, not even on a 429 or a 503', async () => {
    for (const status of [429, 503]) {
      const { client, requests } = fakeClient(() => jsonResponse(status, { message: 'No' }));
      await expect(client.credits.topup({ amount: 100 }, { maxRetries: 3 })).rejects.toHaveProperty(
        'status',
        status,
      );
      expect(requests).toHaveLength(1);
    }
  });

  it('list, retrieve, delete and me are retried on a 503', async () => {
    vi.useFakeTimers();
    const calls: ((c: HandwritingOCR) => Promise<unknown>)[] = [
      (c) => c.documents.list(),
      (c) => c.documents.retrieve(ID),
      (c) => c.documents.delete(ID),
      (c) => c.users.me(),
    ];
    const answers = [LIST, PROCESSED, { message: 'deleted' }, USER];
    for (const [i, call] of calls.entries()) {
      const { client, requests } = fakeClient((_r, n) =>
        n === 1 ? jsonResponse(503, { message: 'Busy' }) : jsonResponse(200, answers[i]),
      );
      const result = call(client);
      await vi.advanceTimersByTimeAsync(5_000);
      await result;
      expect(requests).toHaveLength(2);
    }
  });
});

describe('uploadAndWait hands its options to the upload', () => {
  it('headers and maxRetries', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(429, { message: 'Slow down' }));
    const err = await client.documents
      .uploadAndWait({ file: PDF, action: 'transcribe' }, { headers: { 'x-trace': 't1' }, maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.get('x-trace')).toBe('t1');
  });

  it('requestTimeoutMs bounds the upload', async () => {
    vi.useFakeTimers();
    const { client } = fakeClient(hang);
    const result = client.documents
      .uploadAndWait({ file: PDF, action: 'transcribe' }, { requestTimeoutMs: 700 })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(700);
    const err = await result;
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect((err as Error).message).toBe('Request timed out after 700 ms.');
  });

  it('the signal aborts the upload', async () => {
    const controller = new AbortController();
    const { client } = fakeClient((request) => {
      setTimeout(() => controller.abort(), 10);
      return hang(request);
    });
    await expect(
      client.documents.uploadAndWait({ file: PDF, action: 'transcribe' }, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
  });
});

describe('delete', () => {
  it('lets go of the answer’s body (the connection is free again)', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"message":'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { client } = fakeClient(
      () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }),
    );
    await client.documents.delete(ID);
    expect(cancelled).toBe(true);
  });
});

describe('pending answers', () => {
  it.each(['new', 'queued', 'processing'])(
    'a 200 with status %s and no action is pending',
    async (status) => {
      const { client } = fakeClient(() => jsonResponse(200, { id: ID, status, page_count: 1 }));
      await expect(client.documents.retrieve(ID)).resolves.toEqual({ id: ID, status, page_count: 1 });
    },
  );

  it('a 200 with a pending status and an action is a document; null or a bare string is not a document', async () => {
    const withAction = { ...PROCESSED, status: 'processing', results: undefined };
    const { client } = fakeClient((_r, n) =>
      n === 1
        ? jsonResponse(200, withAction)
        : n === 2
          ? jsonResponse(200, null)
          : jsonResponse(200, 'processing'),
    );
    await expect(client.documents.retrieve(ID)).resolves.toMatchObject({
      status: 'processing',
      action: 'transcribe',
    });
    for (let i = 0; i < 2; i++) {
      await expect(client.documents.retrieve(ID, { maxRetries: 0 })).rejects.toBeInstanceOf(
        UnexpectedResponseError,
      );
    }
  });

  it('a 202’s Retry-After spaces the polls; a pending 200’s is not a hint', async () => {
    vi.useFakeTimers();
    const pending = (status: number) => () =>
      jsonResponse(status, { id: ID, status: 'processing' }, { 'retry-after': '5' });
    for (const [status, second] of [
      [202, 5_000],
      [200, 100],
    ] as const) {
      const { client, times } = scripted([pending(status), () => jsonResponse(200, PROCESSED)], LOOPBACK);
      const result = client.documents.waitForProcessing(ID, { pollIntervalMs: 100 });
      await vi.advanceTimersByTimeAsync(7_000);
      await expect(result).resolves.toEqual(PROCESSED);
      expect(times).toHaveLength(2);
      // The second poll comes after the hint (plus at most its jitter), or after the interval.
      expect(times[1]).toBeGreaterThanOrEqual(second);
      expect(times[1]).toBeLessThan(second + 1_000);
    }
  });
});
