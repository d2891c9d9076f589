// Rate-adaptive concurrency: the limiter alone (fake clock), then a batch against a simulator that answers
// 429 past a rate: every 429 is waited out for its Retry-After, nothing is uploaded twice, the limit halves
// and never passes --max-concurrency.
import { getEventListeners } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AimdLimiter } from '../../src/batch/index.js';
import { HandwritingOCR } from '../../src/index.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { tempDir } from '../cli/helpers.js';
import { makeInputs, runIn, uploadsByName } from './helpers.js';

describe('AimdLimiter', () => {
  afterEach(() => vi.useRealTimers());

  it('hands out at most `limit` slots and grows by about one per window of successes, up to max', async () => {
    const limiter = new AimdLimiter({ initial: 2, max: 3 });
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    let third = false;
    const c = limiter.acquire().then((slot) => {
      third = true;
      return slot;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    expect(limiter.inFlight).toBe(2);
    a.release({ kind: 'ok' }); // 2 + 1/2 = 2.5: still 2 at a time
    (await c).release({ kind: 'ok' }); // 2.9
    b.release({ kind: 'ok' }); // 3.2, capped at 3
    expect(limiter.limit).toBe(3);
    for (let i = 0; i < 20; i++) (await limiter.acquire()).release({ kind: 'ok' });
    expect(limiter.limit).toBe(3); // never above max
    expect(limiter.peakInFlight).toBeLessThanOrEqual(3);
  });

  it('leaves no abort listener behind once a slot is handed out (one signal serves a whole batch)', async () => {
    const limiter = new AimdLimiter({ initial: 1, max: 1 });
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) (await limiter.acquire(controller.signal)).release({ kind: 'ok' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // A waiter still listens, and an abort still takes it out of the queue.
    const held = await limiter.acquire(controller.signal);
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    held.release({ kind: 'ok' });
    expect(limiter.inFlight).toBe(0);
  });

  it('halves once per burst of 429s and holds every new slot until Retry-After has passed', async () => {
    vi.useFakeTimers();
    const limiter = new AimdLimiter({ initial: 8, max: 8 });
    const burst = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    // All eight were sent before the first 429 was seen: one halving, not eight.
    for (const slot of burst) slot.release({ kind: 'rate-limited', retryAfterMs: 1000 });
    expect(limiter.limit).toBe(4);
    expect(limiter.decreases).toBe(1);

    let granted = 0;
    const next = Array.from({ length: 5 }, () =>
      limiter.acquire().then((slot) => {
        granted++;
        return slot;
      }),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toBe(0); // Retry-After is honoured
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toBe(4); // the halved limit
    const slots = await Promise.all(next.slice(0, 4));
    // A 429 from a request sent after the halving halves again.
    slots[0]?.release({ kind: 'rate-limited' }); // no Retry-After: a second's pause
    expect(limiter.limit).toBe(2);
    expect(limiter.decreases).toBe(2);
    for (const slot of slots.slice(1)) slot.release({ kind: 'ok' });
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toBe(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toBe(5);
    limiter.dispose();
  });

  it('never goes below one, and rejects a waiter whose signal aborts', async () => {
    vi.useFakeTimers();
    const limiter = new AimdLimiter({ initial: 1, max: 4 });
    (await limiter.acquire()).release({ kind: 'rate-limited', retryAfterMs: 10 });
    expect(limiter.limit).toBe(1);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await vi.advanceTimersByTimeAsync(10);
    expect(limiter.inFlight).toBe(0);
    limiter.dispose();
  });
});

describe('a batch under bursts of 429 (simulator: 5 uploads a second)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ processingMs: 20, uploadsPerSecond: 5 });
  });
  afterAll(() => sim.close());

  it('waits out each Retry-After, halves, stays under max, and uploads each file once', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const names = Array.from({ length: 12 }, (_, i) => `f${i}`);
      const files = makeInputs(dir, names);
      // What the client sent and saw, on its own clock.
      const sent: number[] = [];
      const refused: number[] = [];
      const client = new HandwritingOCR({
        apiToken: sim.token,
        baseUrl: sim.url,
        maxRetries: 0,
        fetch: async (request: Request) => {
          const upload = request.method === 'POST';
          if (upload) sent.push(performance.now());
          const response = await fetch(request);
          if (upload && response.status === 429) refused.push(performance.now());
          return response;
        },
      });
      const report = await runIn(dir, sim, files, { client, concurrency: 6, maxConcurrency: 6 });
      expect(report.summary).toMatchObject({ total: 12, done: 12, failed: 0, unknown: 0, uploads: 12 });
      expect(report.summary.rateLimited).toBeGreaterThan(0);
      expect(refused).toHaveLength(report.summary.rateLimited);
      expect(report.summary.concurrency).toBeLessThan(6); // halved at least once
      expect([...uploadsByName(sim).values()].every((n) => n === 1)).toBe(true);
      // Within the second a 429 asks to wait (Retry-After: 1), only uploads already under way when it came
      // (their file being opened and checked by the client) may still leave: never more than max at a time.
      // (That the limiter itself grants nothing before Retry-After has passed is shown with a fake clock above.)
      for (const t of refused)
        expect(sent.filter((s) => s > t && s < t + 1000).length).toBeLessThanOrEqual(6);
      // And the batch as a whole kept to the rate: 12 uploads at 5 a second (a bucket of 5) take > 1.2 s.
      expect((sent.at(-1) ?? 0) - (sent[0] ?? 0)).toBeGreaterThan(1200);
    } finally {
      cleanup();
    }
  });
});
