import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { conforming } from './helpers/conformance.js';
import { get, makePdf, uploadId } from './helpers/fixtures.js';

type DocumentList = components['schemas']['DocumentList'];

let sim: Simulator;
const ids: string[] = [];
let now = Date.parse('2026-03-05T14:49:19.000Z');

beforeAll(async () => {
  sim = await startSimulator({ processingMs: 1000, now: () => now });
  for (let i = 0; i < 5; i++) {
    if (i > 0) now += 1000;
    ids.push(await uploadId(sim, makePdf(1), { action: 'transcribe' }, `doc-${i}.pdf`));
  }
});
afterAll(async () => {
  await sim.close();
});

const page = async (query: string) =>
  (await conforming<DocumentList>('GET /documents', await get(sim, `/documents${query}`))).json;

describe('GET /documents', () => {
  it('pages newest first with Laravel fields', async () => {
    const base = `${sim.url}/documents`;
    expect(await page('?per_page=2')).toEqual({
      documents: [
        expect.objectContaining({ id: ids[4], file_name: 'doc-4.pdf' }),
        expect.objectContaining({ id: ids[3], file_name: 'doc-3.pdf' }),
      ],
      current_page: 1,
      from: 1,
      to: 2,
      total: 5,
      per_page: 2,
      last_page: 3,
      next_page_url: `${base}?page=2`,
      prev_page_url: null,
    });
    expect(await page('?per_page=2&page=2')).toMatchObject({
      documents: [expect.objectContaining({ id: ids[2] }), expect.objectContaining({ id: ids[1] })],
      current_page: 2,
      from: 3,
      to: 4,
      next_page_url: `${base}?page=3`,
      prev_page_url: `${base}?page=1`,
    });
    expect(await page('?per_page=2&page=3')).toMatchObject({
      documents: [expect.objectContaining({ id: ids[0] })],
      current_page: 3,
      from: 5,
      to: 5,
      last_page: 3,
      next_page_url: null,
      prev_page_url: `${base}?page=2`,
    });
  });

  it('answers an empty page past the end', async () => {
    expect(await page('?per_page=2&page=9')).toEqual({
      documents: [],
      current_page: 9,
      from: null,
      to: null,
      total: 5,
      per_page: 2,
      last_page: 3,
      next_page_url: null,
      prev_page_url: `${sim.url}/documents?page=8`,
    });
  });

  it('defaults to page 1 of 50', async () => {
    const all = await page('');
    expect(all).toMatchObject({ current_page: 1, per_page: 50, last_page: 1, from: 1, to: 5, total: 5 });
    expect(all.documents.map((d) => d.id)).toEqual([...ids].reverse());
  });

  it('lists items with ISO 8601 timestamps and their current status', async () => {
    const [item] = (await page('?per_page=1')).documents;
    expect(item).toEqual({
      id: ids[4],
      file_name: 'doc-4.pdf',
      action: 'transcribe',
      page_count: 1,
      status: 'queued',
      automatically_deleted_at: '2026-03-12T14:49:23.000000Z',
      created_at: '2026-03-05T14:49:23.000000Z',
      updated_at: '2026-03-05T14:49:23.000000Z',
    });
    now += 600;
    expect((await page('?per_page=1')).documents[0]?.status).toBe('processing');
    now += 1000;
    expect((await page('?per_page=1')).documents[0]?.status).toBe('processed');
  });

  it('answers an empty first page for an empty account', async () => {
    const empty = await startSimulator();
    try {
      const res = await conforming<DocumentList>('GET /documents', await get(empty, '/documents'));
      expect(res.json).toEqual({
        documents: [],
        current_page: 1,
        from: null,
        to: null,
        total: 0,
        per_page: 50,
        last_page: 1,
        next_page_url: null,
        prev_page_url: null,
      });
    } finally {
      await empty.close();
    }
  });
});
