import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidParamsError } from '../../src/index.js';
import {
  BMP,
  client,
  fakeClient,
  formOf,
  GIF,
  heic,
  JPEG,
  json,
  jsonResponse,
  PDF,
  PNG,
  startServer,
  type TestServer,
  TIFF_BE,
  WEBP,
} from './helpers.js';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hwocr-upload-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
});

async function accepting() {
  server = await startServer((_req, res) => json(res, 201, { id: 'abcde12345', status: 'queued' }));
  return client(server.url);
}

async function received() {
  const seen = server.requests[0];
  if (!seen) throw new Error('nothing received');
  const form = await formOf(seen);
  const file = form.get('file') as File;
  return { seen, form, file, bytes: Buffer.from(await file.arrayBuffer()) };
}

function webStream(bytes: Buffer, chunk = 7): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(new Uint8Array(bytes.subarray(at, at + chunk)));
      at += chunk;
    },
  });
}

describe('upload sends multipart/form-data', () => {
  it('from a path: streamed from disk, with the file name and PDF type', async () => {
    const c = await accepting();
    const path = join(dir, 'letter.pdf');
    await writeFile(path, PDF);
    const result = await c.documents.upload({
      file: path,
      action: 'extractor',
      extractor_id: 'Ks08XVPyMd',
      delete_after: 3600,
      webhook_url: 'https://hooks.example.com/ocr',
    });
    expect(result).toEqual({ id: 'abcde12345', status: 'queued' });
    const { seen, form, file, bytes } = await received();
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v3/documents');
    expect(seen.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(form.get('action')).toBe('extractor');
    expect(form.get('extractor_id')).toBe('Ks08XVPyMd');
    expect(form.get('delete_after')).toBe('3600');
    expect(form.get('webhook_url')).toBe('https://hooks.example.com/ocr');
    expect(file.name).toBe('letter.pdf');
    expect(file.type).toBe('application/pdf');
    expect(bytes.equals(PDF)).toBe(true);
  });

  it('from a Node Readable (fs.ReadStream): streamed, named after its path', async () => {
    const c = await accepting();
    const path = join(dir, 'photo.png');
    await writeFile(path, Buffer.concat([PNG, Buffer.alloc(200_000, 1)]));
    await c.documents.upload({ file: createReadStream(path, { highWaterMark: 1024 }), action: 'transcribe' });
    const { seen, file, bytes } = await received();
    expect(seen.headers['transfer-encoding']).toBe('chunked'); // streamed, not buffered to a length
    expect(file.name).toBe('photo.png');
    expect(file.type).toBe('image/png');
    expect(bytes.length).toBe(PNG.length + 200_000);
    expect(bytes.subarray(0, PNG.length).equals(PNG)).toBe(true);
  });

  it('from a Node Readable without a path, with fileName', async () => {
    const c = await accepting();
    const chunks = [JPEG.subarray(0, 2), JPEG.subarray(2), Buffer.from('rest of the jpeg')];
    await c.documents.upload({ file: Readable.from(chunks), fileName: 'scan "1".jpg', action: 'transcribe' });
    const { seen, file, bytes } = await received();
    expect(seen.body.toString('latin1')).toContain('filename="scan %221%22.jpg"'); // escaped as browsers do
    expect(file.name).toBe('scan "1".jpg');
    expect(file.type).toBe('image/jpeg');
    expect(bytes.equals(Buffer.concat(chunks))).toBe(true);
  });

  it('from a web ReadableStream in small chunks: peeked for the type, all bytes sent in order', async () => {
    const c = await accepting();
    const content = Buffer.concat([GIF, Buffer.from('x'.repeat(1000))]);
    await c.documents.upload({ file: webStream(content), action: 'transcribe' });
    const { file, bytes } = await received();
    expect(file.name).toBe('document.gif');
    expect(file.type).toBe('image/gif');
    expect(bytes.equals(content)).toBe(true);
  });

  it('from bytes (ArrayBuffer) and from a Blob with a wrong type', async () => {
    const c = await accepting();
    const buf = new Uint8Array(TIFF_BE).buffer;
    await c.documents.upload({ file: buf, action: 'tables' });
    await c.documents.upload({
      file: new File([new Uint8Array(heic())], 'IMG_0001.HEIC', { type: 'text/plain' }),
      action: 'tables',
    });
    const first = await formOf(server.requests[0] as never);
    expect((first.get('file') as File).type).toBe('image/tiff');
    expect((first.get('file') as File).name).toBe('document.tiff');
    const second = await formOf(server.requests[1] as never);
    expect((second.get('file') as File).type).toBe('image/heic');
    expect((second.get('file') as File).name).toBe('IMG_0001.HEIC');
  });

  // The spec lists PDF, JPG, PNG, TIFF, HEIC and GIF; the vendor's own clients send BMP and WEBP, and its
  // assistant lists AVIF: the client must not refuse them.
  it.each([
    ['BMP', BMP, 'image/bmp', 'document.bmp'],
    ['WEBP', WEBP, 'image/webp', 'document.webp'],
    ['AVIF', heic('avif', ['avif', 'mif1', 'miaf']), 'image/avif', 'document.avif'],
  ])('sends %s as it is, typed by its first bytes', async (_name, bytes, type, name) => {
    const c = await accepting();
    await c.documents.upload({ file: new Uint8Array(bytes), action: 'transcribe' });
    const { file, bytes: sent } = await received();
    expect(file.type).toBe(type);
    expect(file.name).toBe(name);
    expect(sent.equals(bytes)).toBe(true);
  });

  it('sends prompt_id as a form field', async () => {
    const c = await accepting();
    await c.documents.upload({ file: PDF, action: 'transcribe', prompt_id: 'Pr0mpt42' });
    const { form } = await received();
    expect(form.get('prompt_id')).toBe('Pr0mpt42');
  });

  it('a 200 (not only 201) resolves the upload, keeping created_at and updated_at', async () => {
    const answer = {
      id: 'abcde12345',
      status: 'queued',
      created_at: '2026-03-05T14:49:19.000000Z',
      updated_at: '2026-03-05T14:49:19.000000Z',
    };
    const { client: c } = fakeClient(() => jsonResponse(200, answer));
    await expect(c.documents.upload({ file: PDF, action: 'transcribe' })).resolves.toEqual(answer);
  });

  it('fileName overrides the path name', async () => {
    const c = await accepting();
    const path = join(dir, 'tmp-123.bin');
    await writeFile(path, PDF);
    await c.documents.upload({ file: path, fileName: 'Invoice.pdf', action: 'transcribe' });
    const { file } = await received();
    expect(file.name).toBe('Invoice.pdf');
    expect(file.type).toBe('application/pdf'); // from the bytes, not the .bin name
  });

  it('a stream that grows past 20 MB is stopped with InvalidParamsError', async () => {
    server = await startServer((_req, res) => json(res, 201, { id: 'abcde12345', status: 'queued' }));
    let sent = 0;
    const piece = new Uint8Array(1024 * 1024).fill(0x20);
    const endless = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(PDF));
      },
      pull(c) {
        sent += piece.length;
        c.enqueue(piece);
      },
    });
    const err = await client(server.url)
      .documents.upload({ file: endless, action: 'transcribe' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as Error).message).toMatch(/20 MB/);
    expect(sent).toBeLessThan(22 * 1024 * 1024);
  });

  it('a stream of another type is refused before any request', async () => {
    server = await startServer((_req, res) => json(res, 201, {}));
    const err = await client(server.url)
      .documents.upload({
        file: webStream(Buffer.from('hello world, not a pdf at all')),
        action: 'transcribe',
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses redirects, so fetch does not tee (and hold) the whole body for a possible re-send', async () => {
    const { client: c, requests } = fakeClient(() =>
      jsonResponse(201, { id: 'abcde12345', status: 'queued' }),
    );
    await c.documents.upload({ file: PDF, action: 'transcribe' });
    expect(requests[0]?.redirect).toBe('error');
  });
});
