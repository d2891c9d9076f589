import { afterEach, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { DocumentFailedError, HandwritingOCR } from '../../src/index.js';
import { type Simulator, samplePdf, samplePng, startSimulator } from '../../src/testing/index.js';
import { conforming } from './helpers/conformance.js';
import { auth, demoPng, get, makePdf, upload, uploadId, waitDone } from './helpers/fixtures.js';

type Schemas = components['schemas'];

let sim: Simulator;
afterEach(async () => {
  await sim?.close();
});

describe('document lifecycle', () => {
  it('starts on a free loopback port with the /v3 prefix and a Sanctum-like token', async () => {
    sim = await startSimulator();
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v3$/);
    expect(sim.port).toBeGreaterThan(0);
    expect(sim.token).toMatch(/^1\|[A-Za-z0-9]{40}$/);
    const custom = await startSimulator({ token: 'secret-token', basePath: '/api/v3/' });
    try {
      expect(custom.token).toBe('secret-token');
      expect(custom.url.endsWith('/api/v3')).toBe(true);
      const res = await fetch(`${custom.url}/users/me`, {
        headers: { authorization: 'Bearer secret-token' },
      });
      expect(res.status).toBe(200);
    } finally {
      await custom.close();
    }
  });

  it('moves queued → processing → processed, answering 202 with Retry-After until done', async () => {
    let now = Date.parse('2026-03-05T14:49:19.000Z');
    sim = await startSimulator({ processingMs: 3000, now: () => now });
    const created = await conforming<Schemas['UploadedDocument']>(
      'POST /documents',
      await upload(sim, makePdf(2)),
    );
    expect(created.status).toBe(201);
    expect(created.json.status).toBe('queued');
    expect(created.json.id).toMatch(/^[A-Za-z0-9]{10}$/);
    const id = created.json.id;
    const status = async () =>
      conforming<Schemas['PendingDocument']>('GET /documents/{id}', await get(sim, `/documents/${id}`));

    const first = await status();
    expect(first.status).toBe(202);
    // The document's fields, as far as they are known: everything but results and thumbnails.
    expect(first.json).toEqual({
      id,
      file_name: 'note.pdf',
      action: 'transcribe',
      page_count: 2,
      status: 'queued',
      automatically_deleted_at: '2026-03-12 14:49:19',
      created_at: '2026-03-05T14:49:19.000000Z',
      updated_at: '2026-03-05T14:49:19.000000Z',
    });
    expect(first.headers.get('retry-after')).toBe('3');

    now += 1700;
    const second = await status();
    expect(second.status).toBe(202);
    expect(second.json.status).toBe('processing');
    expect(second.headers.get('retry-after')).toBe('2');

    now += 1299;
    expect((await status()).status).toBe(202);
    now += 1;
    const done = await conforming<Schemas['TranscribeDocument']>(
      'GET /documents/{id}',
      await waitDone(sim, id),
    );
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({
      id,
      file_name: 'note.pdf',
      action: 'transcribe',
      page_count: 2,
      status: 'processed',
      results: [
        { page_number: 1, transcript: 'Handwritten text on page 1 of note.pdf.' },
        { page_number: 2, transcript: 'Handwritten text on page 2 of note.pdf.' },
      ],
    });
    expect(done.json.automatically_deleted_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(done.json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(done.json.thumbnails).toEqual([
      { page_number: 1, url: `${sim.url}/document/${id}/image-1.jpg` },
      { page_number: 2, url: `${sim.url}/document/${id}/image-2.jpg` },
    ]);
    expect(done.json.updated_at).toBe('2026-03-05T14:49:22.000000Z');
    expect(sim.documents[0]?.status).toBe('processed');
  });

  it('processes on real time by default (a short processingMs)', async () => {
    sim = await startSimulator({ processingMs: 50 });
    const started = Date.now();
    const id = await uploadId(sim, makePdf(1));
    expect((await get(sim, `/documents/${id}`)).status).toBe(202);
    expect((await waitDone(sim, id)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('processes instantly with processingMs: 0 and answers a configured Retry-After', async () => {
    sim = await startSimulator({ processingMs: 0 });
    const id = await uploadId(sim, makePdf(1));
    await new Promise((r) => setTimeout(r, 5));
    expect((await get(sim, `/documents/${id}`)).status).toBe(200);

    const slow = await startSimulator({ processingMs: 60_000, pendingRetryAfter: 0 });
    try {
      const slowId = await uploadId(slow, makePdf(1));
      const res = await conforming('GET /documents/{id}', await get(slow, `/documents/${slowId}`));
      expect(res.status).toBe(202);
      expect(res.headers.get('retry-after')).toBe('0');
      await slow.completeAll();
      expect((await get(slow, `/documents/${slowId}`)).status).toBe(200);
    } finally {
      await slow.close();
    }
  });

  it('reads the transcript of the demo PNG from its Transcript text chunk', async () => {
    sim = await startSimulator({ processingMs: 0 });
    const id = await uploadId(sim, demoPng(), { action: 'transcribe' }, 'sample-note.png');
    const done = await conforming<Schemas['TranscribeDocument']>(
      'GET /documents/{id}',
      await waitDone(sim, id),
    );
    expect(done.json.results).toEqual([
      { page_number: 1, transcript: 'Meet Ada at the library at 10.\nBring the OCR notes.' },
    ]);
    expect(done.json.page_count).toBe(1);
  });

  it('ships upload fixtures: samplePdf(n) pages and samplePng(transcript), Unicode included', async () => {
    sim = await startSimulator({ processingMs: 0 });
    const pdf = await uploadId(sim, samplePdf(3), { action: 'transcribe' }, 'three.pdf');
    const png = await uploadId(sim, samplePng('Grüße ✓\nline two'), { action: 'transcribe' }, 'note.png');
    const pdfDone = await conforming<Schemas['TranscribeDocument']>(
      'GET /documents/{id}',
      await waitDone(sim, pdf),
    );
    expect(pdfDone.json.page_count).toBe(3);
    const pngDone = await conforming<Schemas['TranscribeDocument']>(
      'GET /documents/{id}',
      await waitDone(sim, png),
    );
    expect(pngDone.json.results).toEqual([{ page_number: 1, transcript: 'Grüße ✓\nline two' }]);
    expect(() => samplePdf(0)).toThrow(RangeError);
  });

  it('shapes results by action: tables and extractor', async () => {
    sim = await startSimulator({
      processingMs: 0,
      transcribe: ({ action }) =>
        action === 'tables'
          ? ['Item | Qty\nPens | 2\nVAT Number: 1234567']
          : ['Date of birth: 12/12/1994\nPlace: Paris'],
    });
    const tablesId = await uploadId(sim, makePdf(1), { action: 'tables' });
    const tables = await conforming<Schemas['TablesDocument']>(
      'GET /documents/{id}',
      await waitDone(sim, tablesId),
    );
    expect(tables.json.results?.[0]).toEqual({
      page_number: 1,
      tables: [
        {
          rows: [['Item', 'Qty'], ['Pens', '2'], ['VAT Number: 1234567']],
          rowCount: 3,
          columnCount: 2,
          tableNumber: 1,
          hasHeaderRow: false,
          headerContent: null,
        },
      ],
      key_value_pairs: [{ key: 'VAT Number', value: '1234567' }],
    });

    const exId = await uploadId(sim, makePdf(1), { action: 'extractor', extractor_id: 'Ks08XVPyMd' });
    const ex = await conforming<Schemas['ExtractorDocument']>(
      'GET /documents/{id}',
      await waitDone(sim, exId),
    );
    expect(ex.json.results?.[0]?.extractions).toEqual([
      [
        { key: 'date_of_birth', name: 'Date of birth', type: 'string', array: false, value: '12/12/1994' },
        { key: 'place', name: 'Place', type: 'string', array: false, value: 'Paris' },
      ],
    ]);
    expect(sim.documents.find((d) => d.id === exId)?.extractorId).toBe('Ks08XVPyMd');
  });

  it("ends 'failed' when the hook says so or throws, charging nothing, with an error text", async () => {
    let calls = 0;
    sim = await startSimulator({
      processingMs: 0,
      credits: 10,
      transcribe: () => {
        calls++;
        if (calls === 1) return 'failed';
        if (calls === 2) return { failed: 'The scan is blank.' };
        if (calls === 3) return [null, null];
        throw new Error('OCR engine down');
      },
    });
    const errors = [
      'The document could not be processed.',
      'The scan is blank.',
      'No text could be read from any page.',
      // The hook's own message stays out of the wire.
      'The document could not be processed.',
    ];
    for (const error of errors) {
      const id = await uploadId(sim, makePdf(2));
      const res = await conforming<Schemas['TranscribeDocument']>(
        'GET /documents/{id}',
        await waitDone(sim, id),
      );
      expect(res.json).toMatchObject({ id, status: 'failed', action: 'transcribe', error });
      expect(res.json.results).toBeUndefined();
      expect(sim.documents.find((d) => d.id === id)?.error).toBe(error);
    }
    expect(sim.credits).toBe(10);
  });

  it('a processed document carries no error', async () => {
    sim = await startSimulator({ processingMs: 0 });
    const id = await uploadId(sim, makePdf(1));
    const res = await conforming<Schemas['TranscribeDocument']>(
      'GET /documents/{id}',
      await waitDone(sim, id),
    );
    expect(res.json.status).toBe('processed');
    expect(res.json).not.toHaveProperty('error');
    expect(sim.documents[0]?.error).toBeUndefined();
  });

  it('with pendingStatusCode: 200, answers a pending document 200 with its status and no results', async () => {
    let now = Date.parse('2026-03-05T14:49:19.000Z');
    sim = await startSimulator({ processingMs: 3000, now: () => now, pendingStatusCode: 200 });
    const id = await uploadId(sim, makePdf(1));
    const status = async () =>
      conforming<Schemas['TranscribeDocument']>('GET /documents/{id}', await get(sim, `/documents/${id}`));
    const queued = await status();
    expect(queued.status).toBe(200);
    expect(queued.headers.get('retry-after')).toBeNull();
    expect(queued.json).toEqual({
      id,
      file_name: 'note.pdf',
      action: 'transcribe',
      page_count: 1,
      status: 'queued',
      automatically_deleted_at: '2026-03-12 14:49:19',
      created_at: '2026-03-05T14:49:19.000000Z',
      updated_at: '2026-03-05T14:49:19.000000Z',
    });
    // Downloads still answer 202 while pending: only the status route has two ways.
    expect((await get(sim, `/documents/${id}.txt`)).status).toBe(202);
    now += 1500;
    const processing = await status();
    expect([processing.status, processing.json.status, processing.json.results]).toEqual([
      200,
      'processing',
      undefined,
    ]);
    now += 1500;
    const done = await status();
    expect([done.status, done.json.status]).toEqual([200, 'processed']);
    expect(done.json.results).toHaveLength(1);
    await expect(startSimulator({ pendingStatusCode: 204 as never })).rejects.toThrow(RangeError);
  });

  it('the client waits through either way of answering a pending document', async () => {
    for (const pendingStatusCode of [200, 202] as const) {
      const local = await startSimulator({ processingMs: 300, pendingStatusCode });
      try {
        const client = new HandwritingOCR({ apiToken: local.token, baseUrl: local.url });
        const seen: string[] = [];
        const doc = await client.documents.uploadAndWait(
          { file: makePdf(1), action: 'transcribe' },
          { pollIntervalMs: 100, maxPollIntervalMs: 100, onStatus: (s) => seen.push(s) },
        );
        expect(doc.status, String(pendingStatusCode)).toBe('processed');
        expect(seen.at(-1)).toBe('processed');
        expect(seen.length).toBeGreaterThan(1);
        const gets = local.requests.filter((r) => r.method === 'GET');
        expect(gets.length).toBeGreaterThan(1);
        expect(gets[0]?.status).toBe(pendingStatusCode);
      } finally {
        await local.close();
      }
    }
  });

  it('a failed document reaches the client as DocumentFailedError with its error text', async () => {
    sim = await startSimulator({ processingMs: 0, transcribe: () => ({ failed: 'The scan is blank.' }) });
    const client = new HandwritingOCR({ apiToken: sim.token, baseUrl: sim.url });
    const err = await client.documents
      .uploadAndWait({ file: makePdf(1), action: 'transcribe' }, { pollIntervalMs: 10 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(DocumentFailedError);
    expect(err.reason).toBe('The scan is blank.');
    expect(err.message).toMatch(/failed to process: The scan is blank\.$/);
  });

  it('serves page thumbnails as JPEG, with the token only', async () => {
    sim = await startSimulator({ processingMs: 0 });
    const id = await uploadId(sim, makePdf(2));
    const done = await conforming<Schemas['TranscribeDocument']>(
      'GET /documents/{id}',
      await waitDone(sim, id),
    );
    const url = done.json.thumbnails?.[1]?.url ?? '';
    const img = await fetch(url, { headers: auth(sim) });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    const bytes = new Uint8Array(await img.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url.replace('image-2', 'image-3'), { headers: auth(sim) })).status).toBe(404);
  });

  it('links to publicUrl when clients come through a proxy', async () => {
    sim = await startSimulator({ processingMs: 0, publicUrl: 'http://127.0.0.1:4010/v3/' });
    const id = await uploadId(sim, makePdf(1));
    const done = await conforming<Schemas['TranscribeDocument']>(
      'GET /documents/{id}',
      await waitDone(sim, id),
    );
    expect(done.json.thumbnails?.[0]?.url).toBe(`http://127.0.0.1:4010/v3/document/${id}/image-1.jpg`);
  });

  it('logs requests without the token, and can reset', async () => {
    sim = await startSimulator({ processingMs: 0, credits: 5 });
    await uploadId(sim, makePdf(1));
    await fetch(`${sim.url}/users/me`);
    const log = sim.requests;
    expect(log.map((r) => [r.method, r.route, r.status, r.authorized])).toEqual([
      ['POST', 'POST /documents', 201, true],
      ['GET', 'GET /users/me', 401, false],
    ]);
    expect(JSON.stringify(log)).not.toContain(sim.token);
    await sim.completeAll();
    expect(sim.credits).toBe(4);
    sim.reset();
    expect(sim.requests).toEqual([]);
    expect(sim.documents).toEqual([]);
    expect(sim.credits).toBe(5);
  });

  it('answers unknown paths 404 and wrong methods 405, and closes cleanly with connections open', async () => {
    sim = await startSimulator();
    expect((await fetch(`${sim.url}/nope`, { headers: auth(sim) })).status).toBe(404);
    expect((await fetch(`${sim.url}/users/me`, { method: 'DELETE', headers: auth(sim) })).status).toBe(405);
    expect((await fetch(sim.url.replace('/v3', '/v2/users/me'), { headers: auth(sim) })).status).toBe(404);
    await sim.close();
    await sim.close(); // idempotent
    await expect(fetch(`${sim.url}/users/me`)).rejects.toThrow();
  });

  it('leaves no server, socket or timer handles behind after close()', async () => {
    const count = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const before = { server: count('TCPServerWrap'), socket: count('TCPSocketWrap') };
    sim = await startSimulator({ processingMs: 60_000 });
    await uploadId(sim, makePdf(1)); // a pending processing timer
    sim.faults.inject({ route: 'GET /users/me', kind: 'hang' });
    const hung = fetch(`${sim.url}/users/me`).catch(() => undefined); // an open connection
    await new Promise((r) => setTimeout(r, 20));
    expect(count('TCPServerWrap')).toBe(before.server + 1);
    await sim.close();
    await hung;
    await new Promise((r) => setTimeout(r, 20));
    expect(count('TCPServerWrap')).toBe(before.server);
    expect(count('TCPSocketWrap')).toBeLessThanOrEqual(before.socket);
  });
});
