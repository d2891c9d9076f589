import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { conforming } from './helpers/conformance.js';
import { auth, MAGIC, makePdf, upload } from './helpers/fixtures.js';

type ErrorBody = components['schemas']['ValidationErrorBody'];

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ processingMs: 0, credits: 100 });
});
afterAll(async () => {
  await sim.close();
});

describe('authentication', () => {
  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['another scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
  ])('answers 401 with %s', async (_, headers: Record<string, string>) => {
    for (const [op, path] of [
      ['GET /users/me', '/users/me'],
      ['GET /documents', '/documents'],
      ['GET /documents/{id}', '/documents/abcde12345'],
      ['GET /documents/{id}.{format}', '/documents/abcde12345.txt'],
    ] as const) {
      const res = await conforming<ErrorBody>(op, await fetch(`${sim.url}${path}`, { headers }));
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ message: 'Unauthenticated.' });
    }
    const del = await fetch(`${sim.url}/documents/abcde12345`, { method: 'DELETE', headers });
    expect((await conforming('DELETE /documents/{id}', del)).status).toBe(401);
    const post = await fetch(`${sim.url}/documents`, { method: 'POST', headers, body: new FormData() });
    expect((await conforming('POST /documents', post)).status).toBe(401);
  });

  it('accepts the scheme in any case', async () => {
    const res = await fetch(`${sim.url}/users/me`, { headers: { authorization: `bearer ${sim.token}` } });
    expect(res.status).toBe(200);
  });
});

describe('upload validation', () => {
  it('answers 400 for missing required fields', async () => {
    const noFile = await conforming<ErrorBody>('POST /documents', await upload(sim, undefined));
    expect(noFile.status).toBe(400);
    expect(noFile.json).toEqual({
      message: 'The file field is required.',
      errors: { file: ['The file field is required.'] },
    });
    const noAction = await conforming<ErrorBody>('POST /documents', await upload(sim, makePdf(1), {}));
    expect(noAction.status).toBe(400);
    expect(noAction.json.errors).toEqual({ action: ['The action field is required.'] });
    const notMultipart = await fetch(`${sim.url}/documents`, {
      method: 'POST',
      headers: auth(sim, { 'content-type': 'application/json' }),
      body: '{}',
    });
    expect((await conforming('POST /documents', notMultipart)).status).toBe(400);
  });

  it.each([
    [{ action: 'summarize' }, 'action', 'The selected action is invalid.'],
    [{ action: 'extractor' }, 'extractor_id', 'The extractor id field is required when action is extractor.'],
    [
      { action: 'extractor', extractor_id: 'a'.repeat(65) },
      'extractor_id',
      'The extractor id field must be 1 to 64 letters or digits.',
    ],
    [
      { action: 'extractor', extractor_id: 'Ks08XVPy-d' },
      'extractor_id',
      'The extractor id field must be 1 to 64 letters or digits.',
    ],
    [
      { action: 'transcribe', prompt_id: 'p'.repeat(256) },
      'prompt_id',
      'The prompt id field must be 1 to 255 characters.',
    ],
    [
      { action: 'transcribe', delete_after: '299' },
      'delete_after',
      'The delete after field must be between 300 and 1209600.',
    ],
    [
      { action: 'transcribe', delete_after: '1209601' },
      'delete_after',
      'The delete after field must be between 300 and 1209600.',
    ],
    [
      { action: 'transcribe', delete_after: '3.5' },
      'delete_after',
      'The delete after field must be an integer.',
    ],
    [
      { action: 'transcribe', webhook_url: 'not a url' },
      'webhook_url',
      'The webhook url field must be a valid URL.',
    ],
  ])('answers 422 for %j', async (fields, field, message) => {
    const res = await conforming<ErrorBody>('POST /documents', await upload(sim, makePdf(1), fields));
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ message, errors: { [field]: [message] } });
  });

  it('accepts extractor ids of 1 to 64 letters and digits (12 is seen in production), and a prompt_id', async () => {
    for (const extractor_id of ['K', 'Ks08XVPyMd12', 'a'.repeat(64)]) {
      const res = await conforming(
        'POST /documents',
        await upload(sim, makePdf(1), { action: 'extractor', extractor_id }),
      );
      expect(res.status, extractor_id).toBe(201);
    }
    const res = await conforming(
      'POST /documents',
      await upload(sim, makePdf(1), { action: 'transcribe', prompt_id: 'Pr0mpt42' }),
    );
    expect(res.status).toBe(201);
    expect(sim.documents.slice(0, 4).map((d) => [d.extractorId, d.promptId])).toEqual([
      [undefined, 'Pr0mpt42'],
      ['a'.repeat(64), undefined],
      ['Ks08XVPyMd12', undefined],
      ['K', undefined],
    ]);
  });

  it('accepts delete_after at both bounds', async () => {
    for (const delete_after of ['300', '1209600']) {
      const res = await conforming(
        'POST /documents',
        await upload(sim, makePdf(1), { action: 'transcribe', delete_after }),
      );
      expect(res.status).toBe(201);
    }
  });

  it('judges the type by magic bytes, not by name: 415 otherwise', async () => {
    for (const [name, bytes] of Object.entries(MAGIC)) {
      const res = await conforming(
        'POST /documents',
        await upload(sim, bytes, { action: 'transcribe' }, 'x.bin'),
      );
      expect(res.status, name).toBe(201);
    }
    const text = new TextEncoder().encode('just text, named like a PDF');
    const res = await conforming<ErrorBody>(
      'POST /documents',
      await upload(sim, text, { action: 'transcribe' }, 'fake.pdf'),
    );
    expect(res.status).toBe(415);
    expect(res.json.message).toMatch(/PDF, JPG, PNG, TIFF, HEIC, GIF, BMP, WEBP, AVIF/);
    const types = sim.documents.map((d) => d.mediaType);
    expect(new Set(types)).toEqual(
      new Set([
        'application/pdf',
        'image/jpeg',
        'image/tiff',
        'image/gif',
        'image/heic',
        'image/bmp',
        'image/webp',
        'image/avif',
      ]),
    );
  });

  it('answers 413 for a file over 20 MiB', async () => {
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    big.set(new TextEncoder().encode('%PDF-1.4\n'));
    const res = await conforming<ErrorBody>('POST /documents', await upload(sim, big));
    expect(res.status).toBe(413);
    expect(res.json.message).toBe('File too large (max 20MB)');
  });

  it('answers 413 without buffering bodies far over the limit', async () => {
    const small = await startSimulator({ maxFileBytes: 1024 });
    try {
      const res = await conforming('POST /documents', await upload(small, new Uint8Array(3 * 1024 * 1024)));
      expect(res.status).toBe(413);
      const limitOnly = await conforming('POST /documents', await upload(small, new Uint8Array(1025)));
      expect(limitOnly.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});

describe('list query validation', () => {
  it.each([
    ['per_page=0', 'per_page', 'The per page field must be at least 1.'],
    ['per_page=201', 'per_page', 'The per page field must not be greater than 200.'],
    ['per_page=ten', 'per_page', 'The per page field must be an integer.'],
    ['page=0', 'page', 'The page field must be at least 1.'],
    ['page=-2', 'page', 'The page field must be at least 1.'],
  ])('answers 422 for %s', async (query, field, message) => {
    const res = await conforming<ErrorBody>(
      'GET /documents',
      await fetch(`${sim.url}/documents?${query}`, { headers: auth(sim) }),
    );
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ message, errors: { [field]: [message] } });
  });
});

describe('document ids', () => {
  it('answers 404 for unknown and malformed ids', async () => {
    for (const path of ['/documents/abcde12345', '/documents/abc%2Ddef', '/documents/abcde12345.txt']) {
      const op = path.endsWith('.txt') ? 'GET /documents/{id}.{format}' : 'GET /documents/{id}';
      const res = await conforming<ErrorBody>(op, await fetch(`${sim.url}${path}`, { headers: auth(sim) }));
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ message: 'Document not found.' });
    }
  });
});
