import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, signWebhook, startSimulator } from '../../src/testing/index.js';
import { conforming, conformingWebhook } from './helpers/conformance.js';
import { get, makePdf, uploadId, waitDone } from './helpers/fixtures.js';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

/** A loopback webhook receiver that answers `status`; `first` resolves with the first delivery. */
async function receiver(status = 200) {
  const received: Received[] = [];
  let arrived: (r: Received) => void = () => {};
  const first = new Promise<Received>((resolve) => {
    arrived = resolve;
  });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      arrived(r);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, first, server };
}

let sim: Simulator;
let hook: Awaited<ReturnType<typeof receiver>> | undefined;
afterEach(async () => {
  await sim?.close();
  if (hook) await new Promise((r) => hook?.server.close(r));
  hook = undefined;
});

describe('webhooks', () => {
  it('POSTs the processed document, signed, to the global URL once processing ends', async () => {
    hook = await receiver();
    sim = await startSimulator({
      processingMs: 50,
      webhookUrl: `${hook.url}/hooks/ocr`,
      webhookSecret: 'whsec_test',
    });
    const id = await uploadId(sim, makePdf(2));
    const got = await hook.first; // nobody polls: the simulator's own timer ends processing
    expect(got.path).toBe('/hooks/ocr');
    expect(got.headers['content-type']).toBe('application/json');
    const expected = `sha256=${createHmac('sha256', 'whsec_test').update(got.raw).digest('hex')}`;
    expect(got.headers['x-signature']).toBe(expected);
    expect(signWebhook('whsec_test', got.raw)).toBe(expected);
    const body = JSON.parse(got.raw) as Record<string, unknown>;
    conformingWebhook(body);
    const status = await conforming('GET /documents/{id}', await get(sim, `/documents/${id}`));
    expect(body).toEqual(status.json);
    expect(body).toMatchObject({ id, status: 'processed', action: 'transcribe', page_count: 2 });
    await sim.completeAll();
    expect(sim.webhookDeliveries).toEqual([
      {
        documentId: id,
        url: `${hook.url}/hooks/ocr`,
        body: got.raw,
        signature: expected,
        status: 200,
        error: undefined,
      },
    ]);
  });

  it('delivers without polling even when timers fire before the clock says the document is due', async () => {
    hook = await receiver();
    const start = Date.now();
    // A clock at half speed: every timer fires "early", so the simulator must re-arm until it is due.
    sim = await startSimulator({
      processingMs: 40,
      webhookUrl: hook.url,
      now: () => start + (Date.now() - start) / 2,
    });
    const id = await uploadId(sim, makePdf(1));
    expect(JSON.parse((await hook.first).raw)).toMatchObject({ id, status: 'processed' });
    expect(Date.now() - start).toBeGreaterThanOrEqual(75);
  });

  it('delivers once a held clock is moved past the due time, without any request', async () => {
    hook = await receiver();
    let now = Date.parse('2026-03-05T14:49:19.000Z');
    sim = await startSimulator({ processingMs: 60_000, webhookUrl: hook.url, now: () => now });
    const id = await uploadId(sim, makePdf(1));
    await new Promise((r) => setTimeout(r, 120));
    expect(hook.received).toEqual([]);
    now += 60_000;
    expect(JSON.parse((await hook.first).raw)).toMatchObject({ id, status: 'processed' });
  });

  it("prefers the upload's webhook_url, and sends no signature without a secret", async () => {
    hook = await receiver();
    sim = await startSimulator({ processingMs: 10_000, webhookUrl: 'http://127.0.0.1:9/never' });
    const id = await uploadId(sim, makePdf(1), {
      action: 'transcribe',
      webhook_url: `${hook.url}/per-upload`,
    });
    await sim.completeAll();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.path).toBe('/per-upload');
    expect(hook.received[0]?.headers['x-signature']).toBeUndefined();
    expect(JSON.parse(hook.received[0]?.raw ?? '{}')).toMatchObject({ id, status: 'processed' });
  });

  it('delivers failed documents too', async () => {
    hook = await receiver();
    sim = await startSimulator({ processingMs: 0, webhookUrl: hook.url, transcribe: () => 'failed' });
    const id = await uploadId(sim, makePdf(1));
    await waitDone(sim, id);
    await sim.completeAll();
    const body = JSON.parse(hook.received[0]?.raw ?? '{}') as unknown;
    conformingWebhook(body);
    expect(body).toMatchObject({ id, status: 'failed', error: 'The document could not be processed.' });
  });

  it('survives receivers that refuse, fail or are unreachable', async () => {
    hook = await receiver(500);
    sim = await startSimulator({ processingMs: 0, webhookUrl: hook.url, webhookTimeoutMs: 200 });
    await uploadId(sim, makePdf(1));
    await uploadId(sim, makePdf(1), { action: 'transcribe', webhook_url: 'http://127.0.0.1:9/closed' });
    await sim.completeAll();
    const outcomes = sim.webhookDeliveries.map((d) => [d.status, d.error === undefined]);
    expect(outcomes).toContainEqual([500, true]);
    expect(outcomes).toContainEqual([undefined, false]);
    expect((await get(sim, '/users/me')).status).toBe(200);
  });
});
