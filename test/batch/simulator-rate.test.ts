// The simulator's `uploadsPerSecond` option, which the batch tests and bench:batch rely on: past the rate,
// POST /documents is answered 429 with Retry-After and creates nothing; a second later uploads go through.
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, samplePng, startSimulator } from '../../src/testing/index.js';

let sim: Simulator | undefined;
afterEach(() => sim?.close());

async function upload(s: Simulator): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([samplePng('x') as Uint8Array<ArrayBuffer>], { type: 'image/png' }), 'x.png');
  form.append('action', 'transcribe');
  return fetch(`${s.url}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}` },
    body: form,
  });
}

describe('startSimulator({ uploadsPerSecond })', () => {
  it('answers 429 with Retry-After past the rate, creating nothing, and accepts again once tokens are back', async () => {
    let now = 1_000_000;
    sim = await startSimulator({ uploadsPerSecond: 2, now: () => now, processingMs: 0 });
    expect((await upload(sim)).status).toBe(201);
    expect((await upload(sim)).status).toBe(201);
    const refused = await upload(sim);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ message: expect.any(String) });
    expect(sim.documents).toHaveLength(2);
    now += 500; // one token back (2 a second)
    expect((await upload(sim)).status).toBe(201);
    expect((await upload(sim)).status).toBe(429);
    expect(sim.documents).toHaveLength(3);
  });

  it('has no limit by default', async () => {
    sim = await startSimulator({ processingMs: 0 });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, () => upload(sim as Simulator).then((r) => r.status)),
    );
    expect(new Set(statuses)).toEqual(new Set([201]));
  });
});
