import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APIUserAbortError,
  DocumentFailedError,
  type DocumentStatus,
  NotFoundError,
  WaitTimeoutError,
} from '../../src/index.js';
import { fakeClient, jsonResponse, PDF, PROCESSED } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const pending = (status = 'processing') => jsonResponse(202, { id: 'abcde12345', status });
const done = () => jsonResponse(200, PROCESSED);
const at200 = (status: string) => jsonResponse(200, { ...PROCESSED, status, results: undefined });

/** A fake API answering `script[n]` to the n-th GET (the last one repeats), recording when each came. */
function scripted(script: (() => Response)[]) {
  const times: number[] = [];
  const start = Date.now();
  const { client, requests } = fakeClient((request) => {
    if (request.method === 'POST') return jsonResponse(201, { id: 'abcde12345', status: 'queued' });
    times.push(Date.now() - start);
    const next = script[Math.min(times.length, script.length) - 1] as () => Response;
    return next();
  });
  return { client, requests, times };
}

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

  it('uses the defaults: 2 s growing to 15 s', async () => {
    const { client, times } = scripted([pending, pending, pending, pending, pending, pending, pending, done]);
    const result = client.documents.waitForProcessing('abcde12345');
    await vi.advanceTimersByTimeAsync(120_000);
    await result;
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(gaps).toEqual([2000, 3000, 4500, 6750, 10125, 15000, 15000]);
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
});
