// The control API under /_simulator (faults, complete, reset, requests, documents, credits, same token) and
// the HTTP answers an API fuzzer checks: 405 with Allow, and form integers beyond 2^53 refused, not rounded.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { auth, get, makePdf, upload, uploadId } from './helpers/fixtures.js';

let sim: Simulator;
afterEach(async () => {
  await sim?.close();
});

const ctl = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
  fetch(`${sim.controlUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${init.token ?? sim.token}`,
      ...(init.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });

describe('control API', () => {
  it('lives beside the API root and takes the same token', async () => {
    sim = await startSimulator({ token: 'control-test-token' });
    expect(sim.controlUrl).toBe(sim.url.replace(/\/v3$/, '/_simulator'));
    expect((await ctl('/requests', { token: 'wrong' })).status).toBe(401);
    const index = await ctl('');
    expect(index.status).toBe(200);
    expect((await index.json()).endpoints).toContain('POST /_simulator/faults');
    expect((await ctl('/nope')).status).toBe(404);
  });

  it('injects a fault from JSON, lists it, and clears faults', async () => {
    sim = await startSimulator();
    const created = await ctl('/faults', {
      method: 'POST',
      body: { route: 'GET /users/me', kind: 'status', status: 429, retryAfter: 3, times: 'Infinity' },
    });
    expect(created.status).toBe(201);
    expect((await created.json()).fault).toMatchObject({
      route: 'GET /users/me',
      status: 429,
      times: 'Infinity',
    });
    for (let i = 0; i < 2; i++) {
      const res = await get(sim, '/users/me');
      expect([res.status, res.headers.get('retry-after')]).toEqual([429, '3']);
    }
    expect((await (await ctl('/faults')).json()).faults).toHaveLength(1);
    expect((await ctl('/faults', { method: 'DELETE' })).status).toBe(204);
    expect((await get(sim, '/users/me')).status).toBe(200);
  });

  it('refuses a malformed fault with 400 and a message', async () => {
    sim = await startSimulator();
    const cases: unknown[] = [
      { route: 'GET /nowhere', kind: 'status', status: 500 },
      { route: 'GET /users/me', kind: 'explode' },
      { route: 'GET /users/me', kind: 'status', status: 200 },
      { route: 'GET /users/me', kind: 'delay' },
      [1, 2],
    ];
    for (const body of cases) {
      const res = await ctl('/faults', { method: 'POST', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).message).toEqual(expect.any(String));
    }
    const notJson = await fetch(`${sim.controlUrl}/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.token}` },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(sim.faults.active).toEqual([]);
  });

  it('completes pending documents, reads the request log (without control calls), resets', async () => {
    sim = await startSimulator({ processingMs: 60_000, credits: 50 });
    const id = await uploadId(sim, makePdf(2));
    expect(await (await get(sim, `/documents/${id}`)).status).toBe(202);
    const done = await ctl('/complete', { method: 'POST' });
    expect(done.status).toBe(200);
    expect((await done.json()).documents).toMatchObject([{ id, status: 'processed', creditsCharged: 2 }]);
    expect((await get(sim, `/documents/${id}`)).status).toBe(200);

    const log = (await (await ctl('/requests')).json()).requests as { method: string; path: string }[];
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v3/documents',
      `GET /v3/documents/${id}`,
      `GET /v3/documents/${id}`,
    ]);
    expect(JSON.stringify(log)).not.toContain(sim.token);
    expect((await ctl('/requests', { method: 'DELETE' })).status).toBe(204);
    expect(sim.requests).toEqual([]);

    expect((await (await ctl('/credits', { method: 'PUT', body: { credits: 7 } })).json()).credits).toBe(7);
    expect((await ctl('/credits', { method: 'PUT', body: { credits: -1 } })).status).toBe(400);
    expect((await ctl('/reset', { method: 'POST' })).status).toBe(204);
    expect(sim.documents).toEqual([]);
    expect(sim.credits).toBe(50);
    expect((await (await ctl('/documents')).json()).documents).toEqual([]);
  });

  it('answers a wrong method with 405 and Allow', async () => {
    sim = await startSimulator();
    const res = await ctl('/reset');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

type Operation = { responses: Record<string, { headers?: Record<string, unknown> }> };
const spec = JSON.parse(
  readFileSync(new URL('../../openapi/handwriting-ocr.v3.json', import.meta.url), 'utf8'),
) as { paths: Record<string, Record<string, Operation>> };
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** An operation the document gives only to say its method is refused. */
const refusedOnly = (op: Operation) => Object.keys(op.responses).every((status) => status === '405');

describe('405 with Allow (RFC 9110)', () => {
  it('an unsupported method on each documented path is a 405 whose Allow lists the documented methods', async () => {
    sim = await startSimulator();
    for (const [template, item] of Object.entries(spec.paths)) {
      const path = template.replace('{id}', 'abcde12345').replace('{format}', 'txt');
      const documented = HTTP_METHODS.filter((m) => item[m] && !refusedOnly(item[m])).map((m) =>
        m.toUpperCase(),
      );
      for (const method of HTTP_METHODS.map((m) => m.toUpperCase()).filter((m) => !documented.includes(m))) {
        const res = await fetch(`${sim.url}${path}`, { method, headers: auth(sim) });
        expect(res.status, `${method} ${template}`).toBe(405);
        expect(res.headers.get('allow')?.split(', ').sort(), `${method} ${template}`).toEqual(
          [...documented].sort(),
        );
      }
    }
  });

  it('DELETE on a format download is a 405 with Allow: GET, as the merged document lists it', async () => {
    const documented = spec.paths['/documents/{id}.{format}']?.delete;
    expect(documented && refusedOnly(documented)).toBe(true);
    expect(Object.keys(documented?.responses['405']?.headers ?? {})).toEqual(['Allow']);
    sim = await startSimulator();
    const res = await fetch(`${sim.url}/documents/abcde12345.txt`, { method: 'DELETE', headers: auth(sim) });
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'GET']);
  });
});

describe('form integers beyond 2^53', () => {
  const topup = (amount: string) => {
    const form = new FormData();
    form.set('amount', amount);
    return fetch(`${sim.url}/credits/topup`, { method: 'POST', headers: auth(sim), body: form });
  };

  it('a top-up amount beyond 2^53 is a 422 on the amount, and nothing is sold', async () => {
    sim = await startSimulator({ credits: 10 });
    for (const amount of ['45342258988683300', '10000000000000000000000']) {
      const res = await topup(amount);
      expect(res.status, amount).toBe(422);
      const body = (await res.json()) as { errors?: { amount?: string[] }; code?: string };
      expect(body.errors?.amount?.[0]).toMatch(/must not be greater than 9007199254740991/);
      expect(body.code).toBeUndefined(); // not "amount_not_multiple_of_100": the value was never rounded
    }
    expect(sim.credits).toBe(10);
  });

  it('delete_after, page and per_page beyond 2^53 are 422s too', async () => {
    sim = await startSimulator();
    const up = await upload(sim, makePdf(1), { action: 'transcribe', delete_after: '90071992547409930000' });
    expect(up.status).toBe(422);
    expect(sim.documents).toEqual([]);
    for (const query of ['page=90071992547409930000', 'per_page=90071992547409930000']) {
      expect((await get(sim, `/documents?${query}`)).status, query).toBe(422);
    }
  });
});
