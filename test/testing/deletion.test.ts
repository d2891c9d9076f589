import { afterEach, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { conforming } from './helpers/conformance.js';
import { auth, get, makePdf, uploadId } from './helpers/fixtures.js';

type Schemas = components['schemas'];

let sim: Simulator;
afterEach(async () => {
  await sim?.close();
});

const del = (s: Simulator, id: string) =>
  fetch(`${s.url}/documents/${id}`, { method: 'DELETE', headers: auth(s) });

describe('deletion', () => {
  it('deletes with 204, then answers 404 everywhere', async () => {
    sim = await startSimulator({ processingMs: 0 });
    const id = await uploadId(sim, makePdf(1));
    const gone = await conforming('DELETE /documents/{id}', await del(sim, id));
    expect(gone.status).toBe(204);
    expect(gone.text).toBe('');
    expect((await conforming('DELETE /documents/{id}', await del(sim, id))).status).toBe(404);
    expect((await conforming('GET /documents/{id}', await get(sim, `/documents/${id}`))).status).toBe(404);
    expect(
      (await conforming('GET /documents/{id}.{format}', await get(sim, `/documents/${id}.txt`))).status,
    ).toBe(404);
    const list = await conforming<Schemas['DocumentList']>('GET /documents', await get(sim, '/documents'));
    expect(list.json.total).toBe(0);
  });

  it('deletes a document still processing (no credits charged)', async () => {
    sim = await startSimulator({ processingMs: 60_000, credits: 5 });
    const id = await uploadId(sim, makePdf(2));
    expect((await del(sim, id)).status).toBe(204);
    await sim.completeAll();
    expect(sim.credits).toBe(5);
  });

  it('removes documents when delete_after has passed (or the default period)', async () => {
    let now = Date.parse('2026-03-05T14:49:19.000Z');
    sim = await startSimulator({ processingMs: 0, now: () => now, defaultDeleteAfter: 3600 });
    const short = await uploadId(sim, makePdf(1), { action: 'transcribe', delete_after: '300' });
    const standard = await uploadId(sim, makePdf(1));
    await sim.completeAll();
    const detail = await conforming<Schemas['TranscribeDocument']>(
      'GET /documents/{id}',
      await get(sim, `/documents/${short}`),
    );
    expect(detail.json.automatically_deleted_at).toBe('2026-03-05 14:54:19');

    now += 299_999;
    expect((await get(sim, `/documents/${short}`)).status).toBe(200);
    now += 1;
    expect((await conforming('GET /documents/{id}', await get(sim, `/documents/${short}`))).status).toBe(404);
    expect(sim.documents.map((d) => d.id)).toEqual([standard]);

    now += 3_300_000;
    expect((await get(sim, `/documents/${standard}`)).status).toBe(404);
    expect(sim.documents).toEqual([]);
  });
});
