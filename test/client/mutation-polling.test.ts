// The pace and the end of a wait at their edges (mutation survivors of issue #18).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidParamsError, NotFoundError, WaitTimeoutError } from '../../src/index.js';
import { checkWaitOptions } from '../../src/polling.js';
import { fakeClient, jsonResponse, LOOPBACK, PDF, PROCESSED, scripted } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const pending = () => jsonResponse(202, { id: 'abcde12345', status: 'processing' });
const notFound = () => jsonResponse(404, { message: 'Document not found.' });
const done = () => jsonResponse(200, PROCESSED);

describe('the pace of polling', () => {
  it('a pollIntervalMs above maxPollIntervalMs is kept, not lowered', async () => {
    const { client, times } = scripted([pending, pending, done]);
    const result = client.documents.waitForProcessing('abcde12345', {
      pollIntervalMs: 400,
      maxPollIntervalMs: 100,
    });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(times).toEqual([0, 400, 800]);
  });

  it('on loopback, a maxPollIntervalMs under 2 s lowers the first interval too', async () => {
    const { client, times } = scripted([pending, pending, done]);
    const result = client.documents.waitForProcessing('abcde12345', { maxPollIntervalMs: 500 });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(times).toEqual([0, 500, 1_000]);
  });

  it('uploadAndWait: a timeoutMs shorter than the first delay makes the first poll at the deadline', async () => {
    const { client, times } = scripted([pending]);
    const result = client.documents
      .uploadAndWait({ file: PDF, action: 'transcribe' }, { timeoutMs: 700 })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await result).toBeInstanceOf(WaitTimeoutError);
    expect(times[0]).toBe(700);
  });

  it('onStatus hears each change once, with the document', async () => {
    const heard: [string, string][] = [];
    const { client } = scripted([pending, pending, done]);
    const result = client.documents.waitForProcessing('abcde12345', {
      pollIntervalMs: 100,
      onStatus: (status, doc) => heard.push([status, doc.id]),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    await result;
    expect(heard).toEqual([
      ['processing', 'abcde12345'],
      ['processed', 'abcde12345'],
    ]);
  });
});

describe('404 right after an upload', () => {
  it('is pending for the first 30 s only; a 404 after that ends the wait', async () => {
    const { client, times } = scripted([notFound]);
    const result = client.documents
      .uploadAndWait(
        { file: PDF, action: 'transcribe' },
        { pollIntervalMs: 10_000, maxPollIntervalMs: 10_000, timeoutMs: 120_000 },
      )
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    const err = await result;
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).id).toBe('abcde12345');
    // Polls at 10 s and 20 s after the start of the wait are inside the 30 s; the one at 30 s is not.
    expect(times).toEqual([10_000, 20_000, 30_000]);
  });

  it('a pending 404 keeps the last status seen', async () => {
    const heard: string[] = [];
    const { client } = scripted([pending, notFound, done]);
    const result = client.documents.uploadAndWait(
      { file: PDF, action: 'transcribe' },
      { pollIntervalMs: 100, maxPollIntervalMs: 100, onStatus: (s) => heard.push(s) },
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(heard).toEqual(['processing', 'processed']);
  });

  it("a pending 404's Retry-After is a lower bound on the next wait", async () => {
    const lagging = () => jsonResponse(404, { message: 'Document not found.' }, { 'Retry-After': '3' });
    const { client, times } = scripted([lagging, done]);
    const result = client.documents.uploadAndWait(
      { file: PDF, action: 'transcribe' },
      { pollIntervalMs: 1_000, maxPollIntervalMs: 1_000 },
    );
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(times).toEqual([1_000, 4_000]);
  });
});

describe('polls that get no answer', () => {
  it('past the deadline, a failed poll ends the wait with the last document seen', async () => {
    const { client } = fakeClient(
      (_request, n) => (n === 1 ? pending() : Promise.reject(new TypeError('fetch failed'))),
      { baseUrl: LOOPBACK },
    );
    const result = client.documents
      .waitForProcessing('abcde12345', { timeoutMs: 1_000, pollIntervalMs: 1_000, maxRetries: 0 })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3_000);
    const err = await result;
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).document).toMatchObject({ status: 'processing' });
  });

  it('a 503 that outlasts the retries counts as pending, keeping the last status', async () => {
    const heard: string[] = [];
    const { client } = scripted([pending, () => jsonResponse(503, {}), done]);
    const result = client.documents.waitForProcessing('abcde12345', {
      pollIntervalMs: 100,
      maxRetries: 0,
      onStatus: (s) => heard.push(s),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(heard).toEqual(['processing', 'processed']);
  });
});

describe('a first poll that fails says the document is processing', () => {
  const fetchFailed = () => Promise.reject(new TypeError('fetch failed'));
  it.each([
    ['a 404 right after the upload', () => notFound(), true],
    ['a 503 that outlasts the retries', () => jsonResponse(503, {}), false],
    ['a 429', () => jsonResponse(429, {}), false],
    ['no answer', fetchFailed, false],
  ])('%s', async (_name, first, afterUpload) => {
    const heard: unknown[] = [];
    let polls = 0;
    const { client } = fakeClient(
      (request) => {
        if (request.method === 'POST') return jsonResponse(201, { id: 'abcde12345', status: 'queued' });
        polls++;
        return polls === 1 ? (first() as Response) : done();
      },
      { baseUrl: LOOPBACK },
    );
    const options = {
      pollIntervalMs: 100,
      maxRetries: 0,
      onStatus: (status: string, doc: unknown) => heard.push([status, doc]),
    };
    const result = afterUpload
      ? client.documents.uploadAndWait({ file: PDF, action: 'transcribe' }, options)
      : client.documents.waitForProcessing('abcde12345', options);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(heard).toEqual([
      ['processing', { id: 'abcde12345', status: 'processing' }],
      ['processed', PROCESSED],
    ]);
  });

  it('a poll that times out at the deadline ends the wait with no document seen', async () => {
    const heard: string[] = [];
    const { client } = fakeClient(() => new Promise<Response>(() => {}), { baseUrl: LOOPBACK });
    const result = client.documents
      .waitForProcessing('abcde12345', {
        timeoutMs: 5_000,
        requestTimeoutMs: 5_000,
        maxRetries: 0,
        onStatus: (s) => heard.push(s),
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    const err = await result;
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).document).toBeUndefined();
    expect((err as WaitTimeoutError).message).toBe('Document abcde12345 was not processed within 5000 ms.');
    expect(heard).toEqual([]);
  });
});

describe('checkWaitOptions checks the options of each poll request too', () => {
  it.each([
    [{ requestTimeoutMs: -1 }, 'timeoutMs'],
    [{ maxRetries: -1 }, 'maxRetries'],
    [{ signal: 'stop' }, 'signal'],
  ])('%o', (options, param) => {
    let err: unknown;
    try {
      checkWaitOptions(options);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).param).toBe(param);
  });
});
