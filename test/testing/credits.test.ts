import { afterEach, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { conforming } from './helpers/conformance.js';
import { auth, get, makePdf, upload, uploadId, waitDone } from './helpers/fixtures.js';

type Schemas = components['schemas'];

let sim: Simulator;
afterEach(async () => {
  await sim?.close();
});

const me = async (s: Simulator) =>
  (await conforming<Schemas['User']>('GET /users/me', await get(s, '/users/me'))).json;

function topup(s: Simulator, amount: string | undefined): Promise<Response> {
  const form = new FormData();
  if (amount !== undefined) form.set('amount', amount);
  return fetch(`${s.url}/credits/topup`, { method: 'POST', headers: auth(s), body: form });
}

describe('credits', () => {
  it('describes the user, balance and token', async () => {
    sim = await startSimulator({ credits: 42, user: { email: 'ada@example.com', name: 'Ada' } });
    expect(await me(sim)).toMatchObject({
      id: 'SimUser001',
      name: 'Ada',
      email: 'ada@example.com',
      verified: true,
      type: 'medium-monthly',
      balance: 42,
      token: sim.token,
      blocked: false,
    });
  });

  it('reports a blocked account when told to', async () => {
    sim = await startSimulator({ user: { blocked: true } });
    expect((await me(sim)).blocked).toBe(true);
  });

  it('charges one credit per page when processing ends', async () => {
    sim = await startSimulator({ credits: 10, processingMs: 100 });
    const id = await uploadId(sim, makePdf(3));
    expect((await me(sim)).balance).toBe(10);
    await waitDone(sim, id);
    expect((await me(sim)).balance).toBe(7);
    expect(sim.documents[0]?.creditsCharged).toBe(3);
  });

  it('refunds failed pages', async () => {
    sim = await startSimulator({ credits: 10, processingMs: 0, transcribe: () => ['fine', null, 'fine'] });
    const id = await uploadId(sim, makePdf(3));
    const done = await conforming<Schemas['TranscribeDocument']>(
      'GET /documents/{id}',
      await waitDone(sim, id),
    );
    expect(done.json.results?.map((r) => r.transcript)).toEqual(['fine', null, 'fine']);
    expect(sim.credits).toBe(8);
  });

  it('answers 403 when the pages exceed the balance (counting documents still processing)', async () => {
    sim = await startSimulator({ credits: 3, processingMs: 60_000 });
    const tooMany = await conforming<Schemas['ErrorBody']>('POST /documents', await upload(sim, makePdf(4)));
    expect(tooMany.status).toBe(403);
    expect(tooMany.json).toEqual({ message: 'Insufficient page credits.' });
    expect((await upload(sim, makePdf(2))).status).toBe(201);
    // Two pages are spoken for until processing ends.
    expect((await upload(sim, makePdf(2))).status).toBe(403);
    expect((await upload(sim, makePdf(1))).status).toBe(201);
    await sim.completeAll();
    expect(sim.credits).toBe(0);
    expect((await upload(sim, makePdf(1))).status).toBe(403);
    sim.setCredits(1);
    expect((await upload(sim, makePdf(1))).status).toBe(201);
    expect(() => sim.setCredits(-1)).toThrow(RangeError);
  });
});

describe('concurrent uploads', () => {
  it('never promise the same credits twice', async () => {
    sim = await startSimulator({
      credits: 3,
      processingMs: 60_000,
      transcribe: () => new Promise((r) => setTimeout(() => r(undefined), 20)),
    });
    const statuses = await Promise.all([1, 2, 3].map(() => upload(sim, makePdf(2)).then((r) => r.status)));
    expect(statuses.sort()).toEqual([201, 403, 403]);
  });
});

describe('POST /credits/topup', () => {
  it('adds credits, then refuses a second purchase within 5 minutes with retry_after in the body', async () => {
    let now = Date.parse('2026-03-09T10:16:25.000Z');
    sim = await startSimulator({ credits: 750, now: () => now });
    const ok = await conforming<Schemas['TopupResult']>('POST /credits/topup', await topup(sim, '500'));
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({
      success: true,
      credits_purchased: 500,
      new_balance: 1250,
      amount_charged: '$4.99',
    });
    expect((await me(sim)).balance).toBe(1250);

    now += 60_000;
    const again = await conforming<Schemas['RateLimitBody']>('POST /credits/topup', await topup(sim, '100'));
    expect(again.status).toBe(429);
    expect(again.json).toEqual({
      message: 'A purchase was already made in the last 5 minutes.',
      retry_after: '2026-03-09T10:21:25Z',
    });
    expect(sim.credits).toBe(1250);

    now += 4 * 60_000;
    expect((await topup(sim, '100')).status).toBe(200);
    expect(sim.credits).toBe(1350);
  });

  it.each([
    ['250', 'amount_not_multiple_of_100'],
    ['50', 'amount_below_minimum'],
    ['0', 'amount_below_minimum'],
    ['-100', 'amount_below_minimum'],
  ])('answers 422 for amount %s with code %s', async (amount, code) => {
    sim = await startSimulator();
    const res = await conforming<Schemas['ValidationErrorBody']>(
      'POST /credits/topup',
      await topup(sim, amount),
    );
    expect(res.status).toBe(422);
    expect(res.json.code).toBe(code);
    expect(sim.credits).toBe(1000);
  });

  it('answers 422 with field errors for a missing or non-integer amount', async () => {
    sim = await startSimulator();
    for (const amount of [undefined, 'lots', '100.5']) {
      const res = await conforming<Schemas['ValidationErrorBody']>(
        'POST /credits/topup',
        await topup(sim, amount),
      );
      expect(res.status).toBe(422);
      expect(res.json.errors?.amount).toHaveLength(1);
    }
  });

  it('accepts urlencoded and JSON bodies too', async () => {
    sim = await startSimulator({ credits: 0 });
    const res = await fetch(`${sim.url}/credits/topup`, {
      method: 'POST',
      headers: auth(sim, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: 'amount=200',
    });
    expect(res.status).toBe(200);
    sim.reset();
    const json = await fetch(`${sim.url}/credits/topup`, {
      method: 'POST',
      headers: auth(sim, { 'content-type': 'application/json' }),
      body: JSON.stringify({ amount: 300 }),
    });
    expect(json.status).toBe(200);
    expect(sim.credits).toBe(300);
  });

  it('simulates the payment outcomes', async () => {
    sim = await startSimulator({ paymentOutcome: 'requires_action' });
    const sca = await conforming<Schemas['PaymentRequiredBody']>(
      'POST /credits/topup',
      await topup(sim, '100'),
    );
    expect(sca.status).toBe(402);
    expect(sca.json.authentication_url).toMatch(
      /^https:\/\/app\.handwritingocr\.com\/payments\/authenticate\/pi_/,
    );

    sim.setPaymentOutcome('declined', { declineCode: 'insufficient_funds' });
    const declined = await conforming<Schemas['ValidationErrorBody']>(
      'POST /credits/topup',
      await topup(sim, '100'),
    );
    expect(declined.status).toBe(422);
    expect(declined.json).toEqual({
      message: 'The payment failed.',
      code: 'payment_failed',
      decline_code: 'insufficient_funds',
    });

    sim.setPaymentOutcome('no_payment_method');
    const noMethod = await conforming<Schemas['ValidationErrorBody']>(
      'POST /credits/topup',
      await topup(sim, '100'),
    );
    expect([noMethod.status, noMethod.json.code]).toEqual([422, 'no_payment_method']);

    sim.setPaymentOutcome('no_subscription');
    const noSub = await conforming<Schemas['ErrorBody']>('POST /credits/topup', await topup(sim, '100'));
    expect(noSub.status).toBe(403);

    expect(sim.credits).toBe(1000);
    sim.setPaymentOutcome('ok');
    expect((await topup(sim, '100')).status).toBe(200);
    sim.reset();
    expect((await topup(sim, '100')).status).toBe(402);
  });
});
