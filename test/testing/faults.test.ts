import { afterEach, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { conforming } from './helpers/conformance.js';
import { get, makePdf, upload } from './helpers/fixtures.js';

type Schemas = components['schemas'];

let sim: Simulator;
afterEach(async () => {
  await sim?.close();
});

describe('fault injection', () => {
  it('answers 429 with Retry-After, once by default, then behaves', async () => {
    sim = await startSimulator();
    const handle = sim.faults.inject({ route: 'GET /users/me', kind: 'status', status: 429 });
    expect(sim.faults.active).toHaveLength(1);
    const limited = await get(sim, '/users/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({ message: 'Too Many Attempts.' });
    expect((await get(sim, '/users/me')).status).toBe(200);
    expect([handle.hits, handle.remaining]).toEqual([1, 0]);
    expect(sim.faults.active).toEqual([]);
  });

  it('answers conforming bodies for statuses the spec documents', async () => {
    sim = await startSimulator();
    sim.faults.inject({ route: 'GET /documents', kind: 'status', status: 429, retryAfter: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await conforming<Schemas['RateLimitBody']>('GET /documents', await get(sim, '/documents'));
      expect([res.status, res.headers.get('retry-after')]).toEqual([429, '7']);
    }
    expect((await get(sim, '/documents')).status).toBe(200);

    const date = new Date('2026-03-09T10:21:25Z');
    sim.faults.inject({ route: 'GET /documents/{id}', kind: 'status', status: 429, retryAfter: date });
    const dated = await conforming('GET /documents/{id}', await get(sim, '/documents/abcde12345'));
    expect(dated.headers.get('retry-after')).toBe('Mon, 09 Mar 2026 10:21:25 GMT');

    sim.faults.inject({ route: 'POST /documents', kind: 'status', status: 500 });
    const failed = await conforming<Schemas['ErrorBody']>('POST /documents', await upload(sim, makePdf(1)));
    expect([failed.status, failed.json.message]).toEqual([500, 'Server Error']);
    expect(sim.documents).toEqual([]); // not carried out

    sim.faults.inject({ route: 'POST /credits/topup', kind: 'status', status: 402 });
    const form = new FormData();
    form.set('amount', '100');
    const topup = await fetch(`${sim.url}/credits/topup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.token}` },
      body: form,
    });
    expect((await conforming<Schemas['PaymentRequiredBody']>('POST /credits/topup', topup)).status).toBe(402);
    expect(sim.faults.documentedStatuses('GET /users/me')).toEqual([200, 401]);
  });

  it('answers statuses beyond the spec (503) for retry tests', async () => {
    sim = await startSimulator();
    sim.faults.inject({ route: '*', kind: 'status', status: 503, retryAfter: 2 });
    const res = await get(sim, '/documents');
    expect([res.status, res.headers.get('retry-after')]).toEqual([503, '2']);
    expect(await res.json()).toEqual({ message: 'Server Error' });
    expect(sim.requests.at(-1)).toMatchObject({ route: 'GET /documents', status: 503, fault: 'status' });
  });

  it("'after' carries the request out, then replaces the answer (an upload whose answer was lost)", async () => {
    sim = await startSimulator({ processingMs: 0 });
    sim.faults.inject({ route: 'POST /documents', kind: 'drop', when: 'after' });
    await expect(upload(sim, makePdf(1))).rejects.toThrow();
    expect(sim.documents).toHaveLength(1);

    sim.faults.inject({ route: 'POST /documents', kind: 'status', status: 500, when: 'after' });
    expect((await upload(sim, makePdf(1))).status).toBe(500);
    expect(sim.documents).toHaveLength(2);
  });

  it('drops the connection without an answer', async () => {
    sim = await startSimulator();
    sim.faults.inject({ route: 'GET /documents', kind: 'drop' });
    const err = await get(sim, '/documents').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError); // fetch failed: other side closed
    expect(sim.requests[0]).toMatchObject({ route: 'GET /documents', status: undefined, fault: 'drop' });
    expect((await get(sim, '/documents')).status).toBe(200);
  });

  it('hangs until the client gives up, and close() does not wait for it', async () => {
    sim = await startSimulator();
    sim.faults.inject({ route: 'GET /users/me', kind: 'hang', times: Number.POSITIVE_INFINITY });
    const started = Date.now();
    const err = await fetch(`${sim.url}/users/me`, { signal: AbortSignal.timeout(150) }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    // A second hung request stays open until close().
    const pending = fetch(`${sim.url}/users/me`).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    const closing = Date.now();
    await sim.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(TypeError);
  });

  it('delays answers', async () => {
    sim = await startSimulator();
    sim.faults.inject({ route: 'GET /users/me', kind: 'delay', ms: 120 });
    const started = Date.now();
    expect((await get(sim, '/users/me')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('can be withdrawn one by one or all at once, and rejects nonsense', async () => {
    sim = await startSimulator();
    const a = sim.faults.inject({ route: 'GET /users/me', kind: 'status', status: 500, times: 5 });
    sim.faults.inject({ route: 'GET /documents', kind: 'drop', times: 5 });
    a.remove();
    expect(sim.faults.active.map((f) => f.route)).toEqual(['GET /documents']);
    sim.faults.clear();
    expect(sim.faults.active).toEqual([]);
    expect((await get(sim, '/users/me')).status).toBe(200);
    expect(() => sim.faults.inject({ route: '*', kind: 'status', status: 200 })).toThrow(RangeError);
    expect(() => sim.faults.inject({ route: '*', kind: 'drop', times: 0 })).toThrow(RangeError);
    expect(() => sim.faults.inject({ route: '*', kind: 'delay', ms: -1 })).toThrow(RangeError);
  });
});
