import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APIUserAbortError,
  AuthenticationError,
  DocumentFailedError,
  type DocumentStatus,
  InvalidParamsError,
  NotFoundError,
  PermissionDeniedError,
  WaitTimeoutError,
} from '../../src/index.js';
import { fakeClient, jsonResponse, PDF, PROCESSED, scripted } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const pending = (status = 'processing') => jsonResponse(202, { id: 'abcde12345', status });
const done = () => jsonResponse(200, PROCESSED);
const at200 = (status: string) => jsonResponse(200, { ...PROCESSED, status, results: undefined });

// The pace depends on where the API is: loopback (a simulator) polls fast, a remote API at the vendor's pace
// and never more than once a second.
const REMOTE = 'https://api.example.test/v3';

const gapsOf = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));

describe('waitForProcessing', () => {
  it('polls with growing waits (×1.5 up to the max) and resolves on processed', async () => {
    const { client, times } = scripted([pending, pending, pending, pending, pending, done]);
    const result = client.documents.waitForProcessing('abcde12345', {
      pollIntervalMs: 100,
      maxPollIntervalMs: 300,
    });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(times).toEqual([0, 100, 250, 475, 775, 1075]);
  });

  it('against a loopback baseUrl, the defaults are 2 s growing to 15 s', async () => {
    const { client, times } = scripted([pending, pending, pending, pending, pending, pending, pending, done]);
    const result = client.documents.waitForProcessing('abcde12345');
    await vi.advanceTimersByTimeAsync(120_000);
    await result;
    expect(gapsOf(times)).toEqual([2000, 3000, 4500, 6750, 10125, 15000, 15000]);
  });

  it('against the API, the defaults follow the vendor: 15 s growing to 30 s', async () => {
    const { client, times } = scripted([pending, pending, pending, pending, pending, done], REMOTE);
    const result = client.documents.waitForProcessing('abcde12345');
    await vi.advanceTimersByTimeAsync(300_000);
    await result;
    expect(times[0]).toBe(0);
    expect(gapsOf(times)).toEqual([15_000, 22_500, 30_000, 30_000, 30_000]);
  });

  it('against the API, a maxPollIntervalMs under 15 s lowers the first interval too', async () => {
    const { client, times } = scripted([pending, pending, done], REMOTE);
    const result = client.documents.waitForProcessing('abcde12345', { maxPollIntervalMs: 5_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    await result;
    expect(gapsOf(times)).toEqual([5_000, 5_000]);
  });

  it('against the API, polls are at least 1 s apart whatever the options say', async () => {
    const { client, times } = scripted([pending, pending, pending, done], REMOTE);
    const result = client.documents.waitForProcessing('abcde12345', {
      pollIntervalMs: 1,
      maxPollIntervalMs: 10,
    });
    await vi.advanceTimersByTimeAsync(10_000);
    await result;
    expect(gapsOf(times)).toEqual([1_000, 1_000, 1_000]);
  });

  it('against the API, Retry-After: 0 does not beat the 1 s floor', async () => {
    const { client, times } = scripted(
      [() => jsonResponse(202, { status: 'processing' }, { 'retry-after': '0' }), done],
      REMOTE,
    );
    const result = client.documents.waitForProcessing('abcde12345', { pollIntervalMs: 10 });
    await vi.advanceTimersByTimeAsync(10_000);
    await result;
    expect(times).toEqual([0, 1_000]);
  });

  it('against the API, a deadline less than 1 s after a poll ends the wait without another poll', async () => {
    const { client, times } = scripted([pending], REMOTE);
    let settledAt: number | undefined;
    const start = Date.now();
    const result = client.documents
      .waitForProcessing('abcde12345', { timeoutMs: 2_500, pollIntervalMs: 1_000, maxPollIntervalMs: 1_000 })
      .catch((e) => e)
      .finally(() => {
        settledAt = Date.now() - start;
      });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await result).toBeInstanceOf(WaitTimeoutError);
    expect(times).toEqual([0, 1_000, 2_000]);
    expect(settledAt).toBe(2_500);
  });

  it('honours Retry-After on a 202', async () => {
    const { client, times } = scripted([
      () => jsonResponse(202, { status: 'processing' }, { 'retry-after': '7' }),
      done,
    ]);
    const result = client.documents.waitForProcessing('abcde12345', { pollIntervalMs: 100 });
    await vi.advanceTimersByTimeAsync(10_000);
    await result;
    expect(times).toEqual([0, 7000]);
  });

  it('treats new, queued, processing, unknown statuses and 202 as pending; calls onStatus on each change', async () => {
    const { client } = scripted([
      () => at200('new'),
      () => at200('queued'),
      () => at200('queued'),
      () => pending('processing'),
      () => at200('reticulating'),
      done,
    ]);
    const seen: DocumentStatus[] = [];
    const result = client.documents.waitForProcessing('abcde12345', {
      pollIntervalMs: 10,
      onStatus: (status) => seen.push(status),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toMatchObject({ status: 'processed' });
    expect(seen).toEqual(['new', 'queued', 'processing', 'reticulating', 'processed']);
  });

  it('failed → DocumentFailedError with the document', async () => {
    const { client } = scripted([pending, () => at200('failed')]);
    const result = client.documents.waitForProcessing('abcde12345', { pollIntervalMs: 10 }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(100);
    const err = await result;
    expect(err).toBeInstanceOf(DocumentFailedError);
    expect(err.document).toMatchObject({ id: 'abcde12345', status: 'failed' });
    expect(err.reason).toBeUndefined();
    expect(err.message).toBe('Document abcde12345 failed to process.');
  });

  it("failed with the API's error text → in the message and in reason", async () => {
    const { client } = scripted([
      () =>
        jsonResponse(200, {
          ...PROCESSED,
          status: 'failed',
          results: undefined,
          error: ' Page 1 unreadable ',
        }),
    ]);
    const err = await client.documents.waitForProcessing('abcde12345').catch((e) => e);
    expect(err).toBeInstanceOf(DocumentFailedError);
    expect(err.reason).toBe('Page 1 unreadable');
    expect(err.message).toBe('Document abcde12345 failed to process: Page 1 unreadable');
    expect(err.document.error).toBe(' Page 1 unreadable ');
  });

  it('past the deadline → WaitTimeoutError (with a last poll at the deadline)', async () => {
    const { client, times } = scripted([pending]);
    const result = client.documents
      .waitForProcessing('abcde12345', { timeoutMs: 1_000, pollIntervalMs: 300, maxPollIntervalMs: 300 })
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    const err = await result;
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.document).toMatchObject({ status: 'processing' });
    expect(times).toEqual([0, 300, 600, 900, 1000]);
  });

  it('an abort mid-sleep rejects at once', async () => {
    const { client, times } = scripted([pending]);
    const controller = new AbortController();
    const result = client.documents
      .waitForProcessing('abcde12345', { pollIntervalMs: 60_000, signal: controller.signal })
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(times).toEqual([0]);
    controller.abort();
    expect(await result).toBeInstanceOf(APIUserAbortError); // no timer advanced
    expect(times).toEqual([0]);
  });

  it('a 404 is not pending for waitForProcessing', async () => {
    const { client } = scripted([() => jsonResponse(404, { message: 'Document not found.' })]);
    await expect(client.documents.waitForProcessing('abcde12345')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('uploadAndWait', () => {
  it('uploads, waits a poll interval, rides out a transient 404, resolves with the document', async () => {
    const { client, requests, times } = scripted([
      () => jsonResponse(404, { message: 'Document not found.' }),
      pending,
      done,
    ]);
    const result = client.documents.uploadAndWait(
      { file: PDF, action: 'transcribe' },
      { pollIntervalMs: 100, maxPollIntervalMs: 100 },
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(requests.map((r) => r.method)).toEqual(['POST', 'GET', 'GET', 'GET']);
    expect(times).toEqual([100, 200, 300]);
  });

  it('against the API, the first poll comes 10 s after the upload, then every 15 s growing', async () => {
    const { client, times } = scripted([pending, pending, done], REMOTE);
    const result = client.documents.uploadAndWait({ file: PDF, action: 'transcribe' });
    await vi.advanceTimersByTimeAsync(120_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(times).toEqual([10_000, 25_000, 47_500]);
  });

  it('against a loopback baseUrl, the first poll comes 2 s after the upload', async () => {
    const { client, times } = scripted([done]);
    const result = client.documents.uploadAndWait({ file: PDF, action: 'transcribe' });
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(times).toEqual([2_000]);
  });

  it('calls onUploaded once with the accepted upload, before the first poll', async () => {
    const seen: string[] = [];
    const { client } = scripted([
      () => {
        seen.push('poll');
        return done();
      },
    ]);
    const result = client.documents.uploadAndWait(
      { file: PDF, action: 'transcribe' },
      { pollIntervalMs: 100, onUploaded: (doc) => seen.push(`uploaded ${doc.id} ${doc.status}`) },
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(seen).toEqual(['uploaded abcde12345 queued', 'poll']);
  });
});

describe('wait options are checked before anything is sent', () => {
  it.each([
    { timeoutMs: -5 },
    { timeoutMs: Number.NaN },
    { pollIntervalMs: -1 },
    { pollIntervalMs: 0 },
    { pollIntervalMs: Number.POSITIVE_INFINITY },
    { pollIntervalMs: '100' as unknown as number },
    { maxPollIntervalMs: 0 },
    { maxPollIntervalMs: Number.POSITIVE_INFINITY },
    { requestTimeoutMs: 0 },
    { maxRetries: Number.NaN },
    { maxRetries: -1 },
    { onUploaded: 'yes' as unknown as () => void },
  ])('uploadAndWait with %o uploads nothing', async (options) => {
    const { client, requests } = scripted([done]);
    await expect(
      client.documents.uploadAndWait({ file: PDF, action: 'transcribe' }, options),
    ).rejects.toBeInstanceOf(InvalidParamsError);
    expect(requests).toHaveLength(0);
  });

  it.each([{ pollIntervalMs: 0 }, { maxPollIntervalMs: 0 }, { pollIntervalMs: Number.NaN }])(
    'waitForProcessing with %o sends nothing',
    async (options) => {
      const { client, requests } = scripted([done]);
      const err = await client.documents.waitForProcessing('abcde12345', options).catch((e) => e);
      expect(err).toBeInstanceOf(InvalidParamsError);
      expect(err.param).toBe(Object.keys(options)[0]);
      expect(requests).toHaveLength(0);
    },
  );
});

describe('Retry-After is a lower bound while polling', () => {
  it('Retry-After: 0 on a 202 still waits the poll interval', async () => {
    const { client, times } = scripted([
      () => jsonResponse(202, { status: 'processing' }, { 'retry-after': '0' }),
      () => jsonResponse(202, { status: 'processing' }, { 'retry-after': '0' }),
      done,
    ]);
    const result = client.documents.waitForProcessing('abcde12345', { pollIntervalMs: 100 });
    await vi.advanceTimersByTimeAsync(1_000);
    await result;
    expect(times).toEqual([0, 100, 250]);
  });

  it('a Retry-After date in the past still waits the poll interval', async () => {
    const past = new Date(Date.now() - 60_000).toUTCString();
    const { client, times } = scripted([
      () => jsonResponse(202, { status: 'processing' }, { 'retry-after': past }),
      done,
    ]);
    const result = client.documents.waitForProcessing('abcde12345', { pollIntervalMs: 100 });
    await vi.advanceTimersByTimeAsync(1_000);
    await result;
    expect(times).toEqual([0, 100]);
  });
});

describe('the wait deadline bounds a hanging poll and its retries', () => {
  it('a hung poll ends at the deadline (plus the last poll’s 1 s) with WaitTimeoutError, not retried after', async () => {
    const { client, requests } = fakeClient(
      (request) =>
        new Promise<Response>((_resolve, reject) => {
          request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
        }),
    );
    let settledAt: number | undefined;
    const start = Date.now();
    const result = client.documents
      .waitForProcessing('abcde12345', { timeoutMs: 300 })
      .catch((e) => e)
      .finally(() => {
        settledAt = Date.now() - start;
      });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(settledAt).toBe(1_000);
    expect(await result).toBeInstanceOf(WaitTimeoutError);
    expect(requests).toHaveLength(1);
  });

  it('a retry backoff (Retry-After) is cut to the time left', async () => {
    const { client, times } = scripted([() => jsonResponse(503, {}, { 'retry-after': '30' })]);
    let settledAt: number | undefined;
    const start = Date.now();
    const result = client.documents
      .waitForProcessing('abcde12345', { timeoutMs: 5_000 })
      .catch((e) => e)
      .finally(() => {
        settledAt = Date.now() - start;
      });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await result).toBeInstanceOf(WaitTimeoutError);
    expect(settledAt).toBe(5_000);
    expect(times).toEqual([0]);
  });
});

describe('429 and 5xx while polling count as pending', () => {
  it('waits per Retry-After or the interval, and keeps polling', async () => {
    const { client, times } = scripted([
      () => jsonResponse(429, { message: 'slow down' }, { 'retry-after': '1' }),
      () => jsonResponse(503, {}),
      done,
    ]);
    const result = client.documents.waitForProcessing('abcde12345', { pollIntervalMs: 100, maxRetries: 0 });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(times).toEqual([0, 1_000, 1_150]);
  });

  it('a 429 that lasts ends with WaitTimeoutError at the deadline', async () => {
    const { client } = scripted([() => jsonResponse(429, {}, { 'retry-after': '1' })]);
    const result = client.documents
      .waitForProcessing('abcde12345', { timeoutMs: 10_000, maxRetries: 0 })
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await result).toBeInstanceOf(WaitTimeoutError);
  });

  it('401 and 403 still reject at once', async () => {
    for (const [status, Class] of [
      [401, AuthenticationError],
      [403, PermissionDeniedError],
    ] as const) {
      const { client, times } = scripted([() => jsonResponse(status, {})]);
      await expect(client.documents.waitForProcessing('abcde12345')).rejects.toBeInstanceOf(Class);
      expect(times).toEqual([0]);
    }
  });
});

describe('the errors of uploadAndWait name the uploaded document', () => {
  it('WaitTimeoutError has the id', async () => {
    const { client } = scripted([pending]);
    const result = client.documents
      .uploadAndWait({ file: PDF, action: 'transcribe' }, { timeoutMs: 1_000, pollIntervalMs: 100 })
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    const err = await result;
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.id).toBe('abcde12345');
  });

  it('an abort while waiting gives APIUserAbortError with the id', async () => {
    const { client, times } = scripted([pending]);
    const controller = new AbortController();
    const result = client.documents
      .uploadAndWait({ file: PDF, action: 'transcribe' }, { pollIntervalMs: 100, signal: controller.signal })
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(150);
    expect(times).toEqual([100]);
    controller.abort();
    const err = await result;
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(err.id).toBe('abcde12345');
  });
});

describe('retrieve while pending, either way the API answers', () => {
  const fields = {
    file_name: 'letter.pdf',
    page_count: 1,
    created_at: '2026-03-05T14:49:19.000000Z',
    updated_at: '2026-03-05T14:49:19.000000Z',
  };

  it("a 202 with the document's fields keeps them and the body's status, but not action (a ProcessingDocument has none)", async () => {
    const { client } = scripted([
      () => jsonResponse(202, { id: 'abcde12345', status: 'queued', action: 'transcribe', ...fields }),
    ]);
    const doc = await client.documents.retrieve('abcde12345');
    expect(doc).toEqual({ id: 'abcde12345', status: 'queued', ...fields });
  });

  it('a 200 with a pending status and no action is a pending document, not an UnexpectedResponseError', async () => {
    const { client } = scripted([() => jsonResponse(200, { id: 'abcde12345', status: 'new' })]);
    expect(await client.documents.retrieve('abcde12345')).toEqual({ id: 'abcde12345', status: 'new' });
  });

  it('a 202 whose status is missing or not a pending one says processing', async () => {
    for (const status of [undefined, 'processed', 'failed', 42]) {
      const { client } = scripted([() => jsonResponse(202, { id: 'abcde12345', status })]);
      expect((await client.documents.retrieve('abcde12345')).status).toBe('processing');
    }
  });

  it('a 200 with a pending status resolves as it came (and waiting takes it as pending)', async () => {
    const { client } = scripted([() => at200('queued'), done]);
    await expect(client.documents.retrieve('abcde12345')).resolves.toMatchObject({
      status: 'queued',
      action: 'transcribe',
    });
    const result = client.documents.waitForProcessing('abcde12345', { pollIntervalMs: 10 });
    await vi.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toEqual(PROCESSED);
  });
});
