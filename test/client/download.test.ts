import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIUserAbortError,
  BadRequestError,
  InvalidParamsError,
  NotFoundError,
  NotReadyError,
} from '../../src/index.js';
import { client, json, PROCESSED, startServer, type TestServer, TOKEN } from './helpers.js';

let server: TestServer;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hwocr-download-'));
});
afterEach(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const DOCX = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x10, 0x80]);
const MIME: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv',
  json: 'application/json',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

async function serveFormats() {
  server = await startServer((req, res) => {
    const format = /\.(\w+)$/.exec(req.url)?.[1] ?? '';
    const body =
      format === 'json'
        ? JSON.stringify(PROCESSED)
        : format === 'txt'
          ? 'Héllo wörld\n'
          : format === 'csv'
            ? 'key,value\na,1\n'
            : DOCX;
    res.writeHead(200, { 'content-type': MIME[format] ?? 'application/octet-stream' });
    res.end(body);
  });
  return client(server.url);
}

describe('download', () => {
  it('txt and csv → string, json → typed object, docx/xlsx → bytes', async () => {
    const c = await serveFormats();
    expect(await c.documents.download('abcde12345', 'txt')).toBe('Héllo wörld\n');
    expect(await c.documents.download('abcde12345', 'csv')).toBe('key,value\na,1\n');
    expect(await c.documents.download('abcde12345', 'json')).toEqual(PROCESSED);
    const docx = await c.documents.download('abcde12345', 'docx');
    expect(docx).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(docx).equals(DOCX)).toBe(true);
    expect(
      Buffer.from(await c.documents.download({ id: 'abcde12345', action: 'tables' }, 'xlsx')).equals(DOCX),
    ).toBe(true);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v3/documents/abcde12345.txt',
      '/v3/documents/abcde12345.csv',
      '/v3/documents/abcde12345.json',
      '/v3/documents/abcde12345.docx',
      '/v3/documents/abcde12345.xlsx',
    ]);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("sends Accept: the format's media type, plus application/json for error bodies", async () => {
    const c = await serveFormats();
    for (const format of ['txt', 'csv', 'json', 'docx', 'xlsx'] as const) {
      await c.documents.download('abcde12345', format);
    }
    await new Response(await c.documents.downloadStream('abcde12345', 'csv')).text();
    await c.documents.downloadToFile('abcde12345', 'xlsx', join(dir, 'out.xlsx'));
    await c.documents.download('abcde12345', 'txt', { headers: { Accept: 'text/*' } }); // a per-call header wins
    expect(server.requests.map((r) => r.headers.accept)).toEqual([
      'text/plain, application/json',
      'text/csv, application/json',
      'application/json',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/json',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json',
      'text/csv, application/json',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json',
      'text/*',
    ]);
  });

  it('202 → NotReadyError with retryAfterMs and the pending body', async () => {
    server = await startServer((_req, res) =>
      json(res, 202, { id: 'abcde12345', status: 'processing' }, { 'retry-after': '12' }),
    );
    for (const format of ['txt', 'json', 'docx'] as const) {
      const err = await client(server.url)
        .documents.download('abcde12345', format)
        .catch((e) => e);
      expect(err).toBeInstanceOf(NotReadyError);
      expect(err.retryAfterMs).toBe(12_000);
      expect(err.document).toEqual({ id: 'abcde12345', status: 'processing' });
    }
    expect(server.requests).toHaveLength(3); // a 202 is an answer, not retried
  });

  it('202 with an empty body still → NotReadyError', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(202).end();
    });
    const err = await client(server.url)
      .documents.download('abcde12345', 'txt')
      .catch((e) => e);
    expect(err).toBeInstanceOf(NotReadyError);
    expect(err.retryAfterMs).toBeUndefined();
  });

  it('400 for a format the action does not offer → BadRequestError', async () => {
    server = await startServer((_req, res) =>
      json(res, 400, { message: 'The requested format is not available for this document.' }),
    );
    await expect(client(server.url).documents.download('abcde12345', 'xlsx')).rejects.toBeInstanceOf(
      BadRequestError,
    );
  });
});

describe('downloadStream', () => {
  it('streams the bytes', async () => {
    const c = await serveFormats();
    const stream = await c.documents.downloadStream('abcde12345', 'docx');
    const bytes = Buffer.from(await new Response(stream).arrayBuffer());
    expect(bytes.equals(DOCX)).toBe(true);
  });

  it('202 → NotReadyError', async () => {
    server = await startServer((_req, res) =>
      json(res, 202, { status: 'processing' }, { 'retry-after': '5' }),
    );
    await expect(client(server.url).documents.downloadStream('abcde12345', 'txt')).rejects.toMatchObject({
      name: 'NotReadyError',
      retryAfterMs: 5000,
    });
  });

  it("a 202 leaves nothing listening on the caller's signal; a body handed over keeps it until it settles", async () => {
    server = await startServer((_req, res) => json(res, 202, { status: 'processing' }));
    const controller = new AbortController();
    const listening = new Set<unknown>();
    const { signal } = controller;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (type: string, listener: never, options?: never) => {
      listening.add(listener);
      add(type, listener, options);
    };
    signal.removeEventListener = (type: string, listener: never, options?: never) => {
      listening.delete(listener);
      remove(type, listener, options);
    };
    const c = client(server.url);
    await expect(c.documents.downloadStream('abcde12345', 'txt', { signal })).rejects.toBeInstanceOf(
      NotReadyError,
    );
    expect(listening.size).toBe(0);
    // The same signal on a stream that is handed over stays linked, so it can still abort the body.
    await server.close();
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('done');
    });
    const c2 = client(server.url);
    const stream = await c2.documents.downloadStream('abcde12345', 'txt', { signal });
    expect(listening.size).toBe(1);
    expect(await new Response(stream).text()).toBe('done');
    // ... until the stream ends or is cancelled: many downloads on one long-lived signal leave nothing behind.
    expect(listening.size).toBe(0);
    for (let i = 0; i < 12; i++) {
      const body = await c2.documents.downloadStream('abcde12345', 'txt', { signal });
      if (i % 2) await body.cancel();
      else await new Response(body).text();
    }
    expect(listening.size).toBe(0);
  });

  it('the signal can still abort the body after the headers are in', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part…');
      // never ends
    });
    const controller = new AbortController();
    const stream = await client(server.url).documents.downloadStream('abcde12345', 'txt', {
      signal: controller.signal,
    });
    const reader = stream.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toBeTruthy();
  });
});

describe('downloadToFile', () => {
  const filesIn = async () => (await readdir(dir)).sort();

  it('writes the file and leaves no temp behind', async () => {
    const c = await serveFormats();
    const path = join(dir, 'out.docx');
    await c.documents.downloadToFile('abcde12345', 'docx', path);
    expect((await readFile(path)).equals(DOCX)).toBe(true);
    expect(await filesIn()).toEqual(['out.docx']);
  });

  it('a connection dropped mid-body leaves no file and no temp', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' });
      res.write('x'.repeat(30_000), () => res.socket?.destroy());
    });
    const path = join(dir, 'out.txt');
    const err = await client(server.url, { maxRetries: 0 })
      .documents.downloadToFile('abcde12345', 'txt', path)
      .catch((e) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(await filesIn()).toEqual([]);
  });

  it('a failure keeps an existing file as it was', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' });
      res.write('new', () => res.socket?.destroy());
    });
    const path = join(dir, 'out.txt');
    await writeFile(path, 'old content');
    await expect(
      client(server.url, { maxRetries: 0 }).documents.downloadToFile('abcde12345', 'txt', path),
    ).rejects.toBeInstanceOf(APIConnectionError);
    expect(await readFile(path, 'utf8')).toBe('old content');
    expect(await filesIn()).toEqual(['out.txt']);
  });

  it('is retried after a mid-body drop, and the retry writes the whole file', async () => {
    let n = 0;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '6' });
      if (++n === 1) res.write('hal', () => res.socket?.destroy());
      else res.end('whole!');
    });
    const path = join(dir, 'out.txt');
    await client(server.url).documents.downloadToFile('abcde12345', 'txt', path);
    expect(await readFile(path, 'utf8')).toBe('whole!');
    expect(await filesIn()).toEqual(['out.txt']);
    expect(n).toBe(2);
  });

  it('an abort mid-body leaves no file and no temp', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const controller = new AbortController();
    const path = join(dir, 'out.txt');
    const result = client(server.url).documents.downloadToFile('abcde12345', 'txt', path, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(result).rejects.toBeInstanceOf(APIUserAbortError);
    expect(await filesIn()).toEqual([]);
  });

  it('202 → NotReadyError and no file; 404 → NotFoundError and no file', async () => {
    let n = 0;
    server = await startServer((_req, res) =>
      ++n === 1
        ? json(res, 202, { status: 'processing' })
        : json(res, 404, { message: 'Document not found.' }),
    );
    const path = join(dir, 'out.txt');
    const c = client(server.url);
    await expect(c.documents.downloadToFile('abcde12345', 'txt', path)).rejects.toBeInstanceOf(NotReadyError);
    await expect(c.documents.downloadToFile('abcde12345', 'txt', path)).rejects.toBeInstanceOf(NotFoundError);
    expect(await filesIn()).toEqual([]);
  });

  it('a path that cannot be written is refused before any request, and nothing is left behind', async () => {
    const c = await serveFormats();
    const missing = await c.documents
      .downloadToFile('abcde12345', 'txt', join(dir, 'missing-dir', 'out.txt'))
      .catch((e) => e);
    expect(missing).toBeInstanceOf(InvalidParamsError);
    expect(missing.message).toMatch(/ENOENT/);
    const directory = await c.documents.downloadToFile('abcde12345', 'txt', dir).catch((e) => e);
    expect(directory).toBeInstanceOf(InvalidParamsError);
    expect(directory.message).toMatch(/is a directory/);
    expect(server.requests).toHaveLength(0);
    expect(await filesIn()).toEqual([]);
  });
});

describe('thumbnail', () => {
  it('fetches a same-origin URL with the token', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(Buffer.from([0xff, 0xd8, 0xff, 0xdb]));
    });
    const c = client(server.url);
    const bytes = await c.documents.thumbnail({
      page_number: 1,
      url: `${server.url}/document/abcde12345/image-1.jpg`,
    });
    expect([...bytes]).toEqual([0xff, 0xd8, 0xff, 0xdb]);
    expect(server.requests[0]?.url).toBe('/v3/document/abcde12345/image-1.jpg');
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('maps errors like any call', async () => {
    server = await startServer((_req, res) => json(res, 404, { message: 'Not found.' }));
    await expect(
      client(server.url).documents.thumbnail(`${server.url}/document/abcde12345/image-9.jpg`),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a redirect to another origin does not carry the token', async () => {
    const other = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(Buffer.from([0xff, 0xd8]));
    });
    try {
      server = await startServer((_req, res) => {
        res.writeHead(302, { location: `${other.url.replace('127.0.0.1', 'localhost')}/cdn/image-1.jpg` });
        res.end();
      });
      await client(server.url).documents.thumbnail(`${server.url}/document/abcde12345/image-1.jpg`);
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(other.requests[0]?.url).toBe('/v3/cdn/image-1.jpg');
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
