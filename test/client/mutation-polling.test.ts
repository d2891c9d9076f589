// The pace and the end of a wait at their edges (mutation survivors of issue #18).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotFoundError, WaitTimeoutError } from '../../src/index.js';
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
