import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InvalidParamsError, type UploadParams } from '../../src/index.js';
import { fakeClient, jsonResponse, PDF } from './helpers.js';

function setup() {
  return fakeClient(() => jsonResponse(200, {}));
}

async function rejectsLocally(
  call: (c: ReturnType<typeof setup>['client']) => Promise<unknown>,
  param?: string,
): Promise<InvalidParamsError> {
  const { client, requests } = setup();
  const err = await call(client).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidParamsError);
  if (param) expect((err as InvalidParamsError).param).toBe(param);
  expect(requests).toHaveLength(0);
  return err as InvalidParamsError;
}

/** The same, for `it()` bodies (which must resolve to void). */
async function refused(
  call: (c: ReturnType<typeof setup>['client']) => Promise<unknown>,
  param?: string,
): Promise<void> {
  await rejectsLocally(call, param);
}

const upload = (params: Partial<UploadParams>) => (c: ReturnType<typeof setup>['client']) =>
  c.documents.upload({ file: PDF, action: 'transcribe', ...params } as UploadParams);

describe('upload checks (nothing sent)', () => {
  it('action not one of the three', () => refused(upload({ action: 'ocr' as never }), 'action'));
  it('extractor without extractor_id', () => refused(upload({ action: 'extractor' }), 'extractor_id'));
  // Letters and digits of a sane length: the spec says 10, but a production integration sends 12.
  it.each(['Ks08XVPy-d', 'Ks08 XVPyMd', 'Ks08XVPyMé', 'a'.repeat(65), '', 42 as unknown as string])(
    'extractor_id %j',
    (id) => refused(upload({ action: 'extractor', extractor_id: id }), 'extractor_id'),
  );
  it.each(['', 'a'.repeat(256), 'line\nbreak', 7 as unknown as string])('prompt_id %j', (id) =>
    refused(upload({ prompt_id: id }), 'prompt_id'),
  );
  it.each([299, 1_209_601, 300.5, Number.NaN])('delete_after %d', (n) =>
    refused(upload({ delete_after: n }), 'delete_after'),
  );
  it('webhook_url not an http(s) URL', () => refused(upload({ webhook_url: 'ftp://x' }), 'webhook_url'));
  it('a file over 20 MB (bytes)', () =>
    refused(upload({ file: new Uint8Array(20 * 1024 * 1024 + 1).fill(0x25) }), 'file'));
  it('a Blob over 20 MB', () => {
    const big = new Blob([PDF, new Uint8Array(20 * 1024 * 1024)]);
    return refused(upload({ file: big }), 'file');
  });
  it('a file of another type, judged by its first bytes', async () => {
    const err = await rejectsLocally(
      upload({ file: new TextEncoder().encode('PK\x03\x04 zip'), fileName: 'a.pdf' }),
    );
    expect(err.message).toMatch(/PDF and images \(JPEG, PNG, TIFF, HEIC, GIF, BMP, WEBP, AVIF\)/);
  });
  it('an empty file', () => refused(upload({ file: new Uint8Array(0) }), 'file'));
  it('a file input of an unknown kind', () => refused(upload({ file: 42 as never }), 'file'));
  it('a path that does not exist', () => refused(upload({ file: '/nonexistent/x.pdf' }), 'file'));

  it('accepts the valid edges', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(201, { id: 'abcde12345', status: 'queued' }));
    await client.documents.upload({
      file: PDF,
      action: 'extractor',
      extractor_id: 'Ks08XVPyMd',
      delete_after: 300,
    });
    await client.documents.upload({ file: PDF, action: 'tables', delete_after: 1_209_600 });
    // 12 characters (seen in production), 1, and 64; a prompt_id of 255 characters.
    for (const id of ['Ks08XVPyMd12', 'K', 'a'.repeat(64)]) {
      await client.documents.upload({ file: PDF, action: 'extractor', extractor_id: id });
    }
    await client.documents.upload({ file: PDF, action: 'transcribe', prompt_id: 'p'.repeat(255) });
    expect(requests).toHaveLength(6);
  });

  it('a failed field check leaves a Node stream unread', async () => {
    const stream = Readable.from([Buffer.from(PDF)]);
    await rejectsLocally(upload({ file: stream, action: 'extractor' }));
    expect(stream.readableEnded).toBe(false);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(PDF)).toBe(true);
  });

  it('a failed field check leaves a web stream unlocked and unread', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(PDF));
        c.close();
      },
    });
    await rejectsLocally(upload({ file: stream, delete_after: 1 }));
    expect(stream.locked).toBe(false);
    const { value } = await stream.getReader().read();
    expect(Buffer.from(value ?? []).equals(PDF)).toBe(true);
  });
});

describe('id checks (nothing sent)', () => {
  it.each(['', 'a/b', '..', 'a?b', 'a#b', 'abc.txt', 'a b', '%2e%2e', 'ab\\c'])('%j', async (id) => {
    await rejectsLocally((c) => c.documents.retrieve(id), 'id');
    await rejectsLocally((c) => c.documents.delete(id), 'id');
    await rejectsLocally((c) => c.documents.download(id, 'txt'), 'id');
    await rejectsLocally((c) => c.documents.waitForProcessing(id), 'id');
  });
});

describe('list checks (nothing sent)', () => {
  it.each([{ per_page: 0 }, { per_page: 201 }, { per_page: 1.5 }, { page: 0 }, { page: -1 }])(
    '%j',
    (params) => refused((c) => c.documents.list(params)),
  );
  it('iterating a bad list rejects too', () =>
    refused(async (c) => {
      for await (const _ of c.documents.list({ page: 0 })) {
        // never reached
      }
    }));
});

describe('topup checks (nothing sent)', () => {
  it.each([0, -100, 150, 99, 100.5, '500'])('amount %j', (amount) =>
    refused((c) => c.credits.topup({ amount: amount as number }), 'amount'),
  );
});

describe('format checks (nothing sent)', () => {
  it('a format that is not one of the five', () =>
    refused((c) => c.documents.download('abcde12345', 'pdf' as never), 'format'));
  it.each([
    ['transcribe', 'xlsx'],
    ['transcribe', 'csv'],
    ['tables', 'txt'],
    ['tables', 'docx'],
    ['tables', 'csv'],
    ['extractor', 'txt'],
    ['extractor', 'docx'],
  ] as const)('a %s document does not offer %s', (action, format) =>
    refused((c) => c.documents.download({ id: 'abcde12345', action } as never, format as never), 'format'),
  );
  it('downloadStream and downloadToFile check too', async () => {
    await rejectsLocally((c) => c.documents.downloadStream('abcde12345', 'md' as never), 'format');
    await rejectsLocally(
      (c) => c.documents.downloadToFile({ id: 'abcde12345', action: 'tables' }, 'txt' as never, '/tmp/x'),
      'format',
    );
  });
});

describe('thumbnails', () => {
  it('refuses a URL on another origin (the token stays home)', () =>
    refused((c) => c.documents.thumbnail('https://evil.example.com/v3/document/x/image-1.jpg'), 'url'));
  it('refuses another scheme on the same host', () =>
    refused((c) => c.documents.thumbnail('http://api.example.test/v3/document/x/image-1.jpg'), 'url'));
  // `String(undefined)` would resolve to `<baseUrl>/undefined` on the API's own origin and be sent.
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  it.each([null, undefined, '', {}, { url: 42 }, { url: 1n }, { url: circular }, 'http://[bad'])(
    'refuses a missing, non-string or unparsable URL: %s',
    (thumbnail) => refused((c) => c.documents.thumbnail(thumbnail as never), 'url'),
  );
});
