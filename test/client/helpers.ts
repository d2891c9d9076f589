// Shared test fixtures: a loopback HTTP server that records requests, sample file bytes, and a client factory.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { HandwritingOCR, InvalidParamsError, type UploadParams } from '../../src/index.js';
import type { ClientOptions } from '../../src/types.js';

export const TOKEN = 'test-token-0123456789abcdef';

/** A request as the server saw it. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Handler = (req: Seen, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface TestServer {
  url: string;
  requests: Seen[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0; every request is buffered, recorded, then given to `handler`. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: Seen[] = [];
  const server = createServer(async (raw, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of raw) chunks.push(chunk as Buffer);
    } catch {
      return;
    }
    const seen: Seen = {
      method: raw.method ?? '',
      url: raw.url ?? '',
      headers: raw.headers,
      body: Buffer.concat(chunks),
    };
    requests.push(seen);
    try {
      await handler(seen, res, raw);
    } catch (err) {
      res.statusCode = 599;
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v3`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends JSON with a status. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function client(url: string, options: ClientOptions = {}): HandwritingOCR {
  return new HandwritingOCR({ apiToken: TOKEN, baseUrl: url, ...options });
}

/** A client whose fetch is a test double (no network), recording every request. */
export function fakeClient(
  respond: (request: Request, n: number) => Response | Promise<Response>,
  options: ClientOptions = {},
): { client: HandwritingOCR; requests: Request[] } {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return respond(request, requests.length);
  };
  return {
    client: new HandwritingOCR({
      apiToken: TOKEN,
      baseUrl: 'https://api.example.test/v3',
      fetch,
      ...options,
    }),
    requests,
  };
}

/** A fetch answer that never comes: it rejects with the signal's reason when the request is aborted, as fetch does. */
export function hang(request: Request): Promise<Response> {
  return new Promise((_resolve, reject) => {
    request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
  });
}

/** A fake API that accepts every upload (201, a queued document), keeping each request's form. */
export function acceptingUploads() {
  const forms: FormData[] = [];
  const { client, requests } = fakeClient(async (request) => {
    forms.push(await request.formData());
    return jsonResponse(201, { id: 'abcde12345', status: 'queued' });
  });
  return { client, requests, forms };
}

/** Uploads `file` with a client that accepts every upload; expects an InvalidParamsError for `param`, nothing sent. */
export async function refusedUpload(file: unknown, param = 'file'): Promise<InvalidParamsError> {
  const { client, requests } = acceptingUploads();
  const err = await client.documents
    .upload({ file, action: 'transcribe' } as unknown as UploadParams)
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidParamsError);
  expect((err as InvalidParamsError).param).toBe(param);
  expect(requests).toHaveLength(0);
  return err as InvalidParamsError;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A minimal file of each type (just enough bytes to be recognised). */
export const PDF = Buffer.from(
  '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n',
  'latin1',
);
export const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
export const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
export const TIFF_LE = Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]);
export const TIFF_BE = Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]);
/** A BMP header: `BM`, the file header, and the size of a BITMAPINFOHEADER (40). */
export const BMP = Buffer.from([
  0x42, 0x4d, 0x3a, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0,
]);
export const WEBP = Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00', 'latin1');
/** An ISO-BMFF `ftyp` box (HEIC by default; `heic('avif', ['avif', 'mif1'])` is an AVIF). */
export function heic(brand = 'heic', compatible: string[] = ['mif1', 'heic']): Buffer {
  const size = 16 + compatible.length * 4;
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(brand, 8, 'latin1');
  for (const [i, b] of compatible.entries()) box.write(b, 16 + i * 4, 'latin1');
  return box;
}

/** Parses a recorded multipart body. */
export async function formOf(seen: Seen): Promise<FormData> {
  return new Response(new Uint8Array(seen.body), {
    headers: { 'content-type': String(seen.headers['content-type']) },
  }).formData();
}

export const PROCESSED = {
  id: 'abcde12345',
  file_name: 'letter.pdf',
  action: 'transcribe',
  page_count: 1,
  status: 'processed',
  results: [{ page_number: 1, transcript: 'Hello' }],
} as const;

/** A loopback base URL nothing listens on (for a client whose fetch is a test double): short intervals are kept. */
export const LOOPBACK = 'http://127.0.0.1:9/v3';

/**
 * A fake API answering every upload with a queued document and `script[n]` to the n-th GET (the last one
 * repeats), recording when each GET came. On loopback unless told otherwise, so that short intervals are taken as
 * given.
 */
export function scripted(script: (() => Response)[], baseUrl = LOOPBACK) {
  const times: number[] = [];
  const start = Date.now();
  const { client, requests } = fakeClient(
    (request) => {
      if (request.method === 'POST') return jsonResponse(201, { id: 'abcde12345', status: 'queued' });
      times.push(Date.now() - start);
      const next = script[Math.min(times.length, script.length) - 1] as () => Response;
      return next();
    },
    { baseUrl },
  );
  return { client, requests, times };
}
