// The client at its edges: money and credits, redirects, answers that are not what the types promise, secrets.
// Each case here failed on the client before these rules (issue: "The client holds at its edges").
import { getEventListeners } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  HandwritingOCRError,
  InvalidParamsError,
  PermissionDeniedError,
  UnexpectedResponseError,
} from '../../src/index.js';
import {
  client,
  fakeClient,
  json,
  jsonResponse,
  PDF,
  PROCESSED,
  startServer,
  type TestServer,
  TOKEN,
} from './helpers.js';

const servers: TestServer[] = [];
type Handler = Parameters<typeof startServer>[0];
/** A scripted loopback server, closed after each test; its handler may return anything (e.g. `res.end()`). */
async function serve(handler: (...args: Parameters<Handler>) => unknown): Promise<TestServer> {
  const server = await startServer(async (...args) => {
    await handler(...args);
  });
  servers.push(server);
  return server;
}
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Every way an error can be shown, joined: the token must be in none of them. */
function everyView(err: unknown): string {
  return [
    String(err),
    JSON.stringify(err),
    inspect(err, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  ].join('\n');
}

const USER = { id: 'u1', email: 'a@b.c', balance: 10 };

describe('money and credits: side effects never follow a redirect', () => {
  it.each([301, 302, 307, 308])(
    'topup: a %i is an APIError with the Location; nothing reaches the target',
    async (status) => {
      const elsewhere = await serve((_req, res) =>
        json(res, 200, { success: true, credits_purchased: 100, new_balance: 1 }),
      );
      const api = await serve((_req, res) => {
        res.writeHead(status, { location: `${elsewhere.url}/credits/topup` }).end();
      });
      const err = await client(api.url)
        .credits.topup({ amount: 500 })
        .catch((e) => e);
      expect(err).toBeInstanceOf(APIError);
      expect(err.status).toBe(status);
      expect(err.headers.get('location')).toBe(`${elsewhere.url}/credits/topup`);
      expect(err.message).toContain(`redirected to ${elsewhere.url}/credits/topup`);
      expect(api.requests).toHaveLength(1);
      expect(elsewhere.requests).toHaveLength(0);
    },
  );

  it('delete: a 307 is an APIError; the DELETE is not repeated anywhere', async () => {
    const elsewhere = await serve((_req, res) => res.writeHead(204).end());
    const api = await serve((_req, res) => res.writeHead(307, { location: `${elsewhere.url}/x` }).end());
    const err = await client(api.url)
      .documents.delete('abcde12345')
      .catch((e) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(err.status).toBe(307);
    expect(api.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('upload: a 307 is not followed, not retried, and the file goes nowhere else', async () => {
    const elsewhere = await serve((_req, res) => json(res, 201, { id: 'abcde12345', status: 'queued' }));
    const api = await serve((_req, res) =>
      res.writeHead(307, { location: `${elsewhere.url}/documents` }).end(),
    );
    const err = await client(api.url)
      .documents.upload({ file: PDF, action: 'transcribe' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(HandwritingOCRError);
    expect(err.message).toMatch(/redirect/);
    expect(api.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('upload on Cloudflare Workers (which reject redirect "error") asks for "manual" and reports the 3xx', async () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    try {
      const { client: c, requests } = fakeClient(
        () => new Response(null, { status: 302, headers: { location: 'https://elsewhere.test/documents' } }),
      );
      const err = await c.documents.upload({ file: PDF, action: 'transcribe' }).catch((e) => e);
      expect(requests[0]?.redirect).toBe('manual');
      expect(err).toBeInstanceOf(APIError);
      expect(err.status).toBe(302);
      expect(requests).toHaveLength(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('topup sends only amount, a safe integer that is a positive multiple of 100', async () => {
    const { client: c, requests } = fakeClient(() =>
      jsonResponse(200, { success: true, credits_purchased: 100, new_balance: 1 }),
    );
    for (const params of [
      { amount: 1e21 },
      { amount: 2 ** 53 + 100 },
      { amount: 150 },
      { amount: -100 },
      { amount: '500' },
      { amount: 500, currency: 'usd' },
      { amount: 500, __proto__: null, extra: 1 },
      JSON.parse('{"amount": 500, "__proto__": {"admin": true}}'),
    ]) {
      await expect(c.credits.topup(params as never)).rejects.toBeInstanceOf(InvalidParamsError);
    }
    expect(requests).toHaveLength(0);
    await c.credits.topup({ amount: 500 });
    const form = await requests[0]?.formData();
    expect([...(form?.keys() ?? [])]).toEqual(['amount']);
    expect(form?.get('amount')).toBe('500');
  });
});

describe('GET redirects: followed, but Authorization never reaches another origin', () => {
  it('a thumbnail redirected to another origin is fetched there without the token', async () => {
    const elsewhere = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from([0xff, 0xd8]));
    });
    const api = await serve((_req, res) =>
      res.writeHead(302, { location: `${elsewhere.url}/img.jpg` }).end(),
    );
    const bytes = await client(api.url, {
      defaultHeaders: { 'X-Api-Key': 'secret-key-123' },
    }).documents.thumbnail(`${api.url}/document/abcde12345/image-1.jpg`);
    expect([...bytes]).toEqual([0xff, 0xd8]);
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(elsewhere.requests).toHaveLength(1);
    expect(elsewhere.requests[0]?.headers.authorization).toBeUndefined();
    expect(elsewhere.requests[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('a custom fetch that answers 302 does not make the SDK carry the token elsewhere', async () => {
    const { client: c, requests } = fakeClient((request) =>
      new URL(request.url).origin === 'https://api.example.test'
        ? new Response(null, { status: 302, headers: { location: 'https://cdn.example.test/result.txt' } })
        : new Response('the transcript', { headers: { 'content-type': 'text/plain' } }),
    );
    expect(await c.documents.download('abcde12345', 'txt')).toBe('the transcript');
    expect(requests.map((r) => [new URL(r.url).origin, r.headers.get('authorization')])).toEqual([
      ['https://api.example.test', `Bearer ${TOKEN}`],
      ['https://cdn.example.test', null],
    ]);
    expect(requests.every((r) => r.redirect === 'manual')).toBe(true);
  });

  it('a same-origin redirect keeps the token; more than 5 hops end in an APIError', async () => {
    let n = 0;
    const api = await serve((req, res) => {
      if (req.url.endsWith('/users/me')) return res.writeHead(301, { location: '/v3/users/me2' }).end();
      if (req.url.endsWith('/users/me2')) return json(res, 200, USER);
      res.writeHead(302, { location: `/loop${++n}` }).end();
    });
    await expect(client(api.url).users.me()).resolves.toEqual(USER);
    expect(api.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    const err = await client(api.url)
      .documents.thumbnail(`${api.url}/document/a/image-1.jpg`, { maxRetries: 0 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(err.status).toBe(302);
  });
});

describe('uploadAndWait: once the upload was accepted, every error names the document', () => {
  beforeEach(() => vi.useFakeTimers());

  it('a 403 while polling carries the id and says the document was uploaded', async () => {
    const { client: c } = fakeClient((request) =>
      request.method === 'POST'
        ? jsonResponse(201, { id: 'abcde12345', status: 'queued' })
        : jsonResponse(403, { message: 'Forbidden.' }),
    );
    const result = c.documents.uploadAndWait({ file: PDF, action: 'transcribe' }, { pollIntervalMs: 100 });
    result.catch(() => {});
    await vi.advanceTimersByTimeAsync(1_000);
    const err = await result.catch((e) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err.id).toBe('abcde12345');
    expect(err.message).toMatch(
      /^Document abcde12345 was uploaded \(its pages are charged\), but waiting for it failed: 403/,
    );
  });

  it('an error thrown by onStatus is wrapped with the id', async () => {
    const { client: c } = fakeClient((request) =>
      request.method === 'POST'
        ? jsonResponse(201, { id: 'abcde12345', status: 'queued' })
        : jsonResponse(200, PROCESSED),
    );
    const result = c.documents.uploadAndWait(
      { file: PDF, action: 'transcribe' },
      {
        pollIntervalMs: 100,
        onStatus: () => {
          throw new RangeError('boom');
        },
      },
    );
    result.catch(() => {});
    await vi.advanceTimersByTimeAsync(1_000);
    const err = await result.catch((e) => e);
    expect(err).toBeInstanceOf(HandwritingOCRError);
    expect(err.id).toBe('abcde12345');
    expect(err.cause).toBeInstanceOf(RangeError);
  });

  it('rides out connection errors and timeouts of single polls until it succeeds', async () => {
    let polls = 0;
    const { client: c, requests } = fakeClient((request) => {
      if (request.method === 'POST') return jsonResponse(201, { id: 'abcde12345', status: 'queued' });
      polls++;
      if (polls <= 2) throw new TypeError('fetch failed'); // a dropped connection (retries included)
      if (polls <= 4) return new Promise<Response>(() => {}); // a poll that hangs past its timeout
      return jsonResponse(200, PROCESSED);
    });
    const result = c.documents.uploadAndWait(
      { file: PDF, action: 'transcribe' },
      { pollIntervalMs: 100, maxPollIntervalMs: 100, requestTimeoutMs: 200, maxRetries: 0 },
    );
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(result).resolves.toEqual(PROCESSED);
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(polls).toBe(5);
  });
});

describe('a 2xx upload answer without a usable id', () => {
  it.each([
    ['an empty body', () => new Response('', { status: 201 })],
    ['a 204', () => new Response(null, { status: 204 })],
    ['null', () => jsonResponse(201, null)],
    ['text', () => new Response('Created.', { status: 201, headers: { 'content-type': 'text/plain' } })],
    ['no id', () => jsonResponse(201, { status: 'queued' })],
    ['an id that cannot be polled', () => jsonResponse(201, { id: '../x', status: 'queued' })],
  ])('%s is an UnexpectedResponseError saying credits may be spent; sent once', async (_name, answer) => {
    const { client: c, requests } = fakeClient(answer);
    const err = await c.documents.upload({ file: PDF, action: 'transcribe' }).catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err).not.toBeInstanceOf(InvalidParamsError);
    expect(err.message).toMatch(/may have been accepted and its pages charged/);
    expect(err.status).toBeGreaterThanOrEqual(200);
    expect(requests).toHaveLength(1);
  });
});

describe('answers that are not what the types promise', () => {
  it.each([
    ['users.me', (c: ReturnType<typeof fakeClient>['client']) => c.users.me()],
    ['documents.list', (c: ReturnType<typeof fakeClient>['client']) => c.documents.list()],
    [
      'documents.retrieve',
      (c: ReturnType<typeof fakeClient>['client']) => c.documents.retrieve('abcde12345'),
    ],
    ['credits.topup', (c: ReturnType<typeof fakeClient>['client']) => c.credits.topup({ amount: 100 })],
  ])(
    '%s: empty, null, invalid JSON, wrong shape and 204 are UnexpectedResponseErrors',
    async (_name, call) => {
      for (const answer of [
        () => new Response('', { status: 200 }),
        () => jsonResponse(200, null),
        () =>
          new Response('{"id": "u1", "email": ', {
            status: 200,
            headers: { 'content-type': 'application/json' },
          }),
        () => jsonResponse(200, { unexpected: true }),
        () => jsonResponse(200, [1, 2, 3]),
        () => new Response(null, { status: 204 }),
      ]) {
        const { client: c, requests } = fakeClient(answer);
        const err = await call(c).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UnexpectedResponseError);
        expect(requests).toHaveLength(1); // not retried
      }
    },
  );

  it('keeps status, Content-Type and the raw body (scrubbed) on the error', async () => {
    const body = `<html>Sign in to the Wi-Fi. ${TOKEN}</html>`;
    const { client: c } = fakeClient(() => new Response(body, { headers: { 'content-type': 'text/html' } }));
    const err = await c.users.me().catch((e) => e);
    expect(err).toMatchObject({ status: 200, contentType: 'text/html' });
    expect(err.body).toBe('<html>Sign in to the Wi-Fi. [REDACTED]</html>');
  });

  it('a list page whose documents lack ids fails at the call, not later while iterating', async () => {
    const { client: c } = fakeClient(() =>
      jsonResponse(200, {
        documents: [{ status: 'processed' }],
        current_page: 1,
        last_page: 1,
        per_page: 10,
        total: 1,
      }),
    );
    const err = await c.documents.list().catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toContain('documents[0].id');
  });

  it('delete resolves on any 2xx, whatever the body', async () => {
    for (const answer of [
      () => new Response('Deleted.', { status: 200 }),
      () => jsonResponse(200, { message: 'ok' }),
      () => new Response(null, { status: 204 }),
      () => new Response('<html></html>', { status: 202, headers: { 'content-type': 'text/html' } }),
    ]) {
      const { client: c } = fakeClient(answer);
      await expect(c.documents.delete('abcde12345')).resolves.toBeUndefined();
    }
  });
});

describe('downloads refuse what is plainly not the result', () => {
  const html = () =>
    new Response('<!DOCTYPE html><title>Login</title>', { headers: { 'content-type': 'text/html' } });
  const htmlAsText = () =>
    new Response('  <html><body>portal</body></html>', { headers: { 'content-type': 'text/plain' } });
  const jsonBody = () => jsonResponse(200, { message: 'hello' });
  const notZip = (type: string) => () => new Response('plain words', { headers: { 'content-type': type } });
  const cases: [string, 'txt' | 'csv' | 'json' | 'docx' | 'xlsx', () => Response][] = [
    ['an HTML page for txt', 'txt', html],
    ['an HTML page served as text/plain', 'txt', htmlAsText],
    ['an HTML page for json', 'json', html],
    ['JSON for txt', 'txt', jsonBody],
    ['JSON for csv', 'csv', jsonBody],
    ['JSON for docx', 'docx', jsonBody],
    [
      'docx bytes that are not a zip',
      'docx',
      notZip('application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
    ],
    ['xlsx bytes that are not a zip', 'xlsx', notZip('application/octet-stream')],
    [
      'a json download that is not JSON',
      'json',
      () => new Response('not json', { headers: { 'content-type': 'application/json' } }),
    ],
    ['a json download that is not a document', 'json', () => jsonResponse(200, { hello: 'world' })],
  ];

  it.each(cases)('download: %s → UnexpectedResponseError', async (_name, format, answer) => {
    const { client: c } = fakeClient(answer);
    await expect(c.documents.download('abcde12345', format)).rejects.toBeInstanceOf(UnexpectedResponseError);
  });

  it.each(cases)('downloadStream: %s → UnexpectedResponseError', async (_name, format, answer) => {
    const { client: c } = fakeClient(answer);
    await expect(c.documents.downloadStream('abcde12345', format)).rejects.toBeInstanceOf(
      UnexpectedResponseError,
    );
  });

  it.each(cases)(
    'downloadToFile: %s → UnexpectedResponseError, nothing written',
    async (_name, format, answer) => {
      const dir = await mkdtemp(join(tmpdir(), 'hwocr-edges-'));
      try {
        const { client: c } = fakeClient(answer);
        await expect(
          c.documents.downloadToFile('abcde12345', format, join(dir, `out.${format}`)),
        ).rejects.toBeInstanceOf(UnexpectedResponseError);
        expect(await readdir(dir)).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('accepts media types the API might send: docx as octet-stream, txt without a type', async () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    const { client: c } = fakeClient((request) =>
      request.url.endsWith('.docx')
        ? new Response(zip, { headers: { 'content-type': 'application/octet-stream' } })
        : new Response('Dear Sir,'),
    );
    expect(await c.documents.download('abcde12345', 'docx')).toEqual(zip);
    expect(await c.documents.download('abcde12345', 'txt')).toBe('Dear Sir,');
  });
});

describe('downloadStream: failures of the body are SDK errors', () => {
  it('a reset mid-body → APIConnectionError', async () => {
    const api = await serve((_req, res, raw) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' });
      res.write('first part');
      setTimeout(() => raw.socket.destroy(), 20);
    });
    const stream = await client(api.url).documents.downloadStream('abcde12345', 'txt');
    const err = await new Response(stream).text().catch((e) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('a stall longer than timeoutMs between chunks → APIConnectionTimeoutError', async () => {
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part'); // then nothing
    });
    const stream = await client(api.url).documents.downloadStream('abcde12345', 'txt', { timeoutMs: 150 });
    const started = Date.now();
    const err = await new Response(stream).text().catch((e) => e);
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("the caller's abort → APIUserAbortError", async () => {
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part');
    });
    const controller = new AbortController();
    const stream = await client(api.url).documents.downloadStream('abcde12345', 'txt', {
      signal: controller.signal,
    });
    const reader = stream.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('100 dropped streams under one signal: no MaxListenersExceededWarning, no listener left after the timeouts', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const api = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('some text'); // and never more
      });
      const controller = new AbortController();
      const c = client(api.url);
      const streams = await Promise.all(
        Array.from({ length: 100 }, () =>
          c.documents.downloadStream('abcde12345', 'txt', { signal: controller.signal, timeoutMs: 1_000 }),
        ),
      );
      expect(streams).toHaveLength(100);
      expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('secrets: the token is in no part of any error, nor any log line', () => {
  it('a server that echoes Authorization in its headers and body', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (...a: unknown[]) => lines.push(inspect(a, { depth: 20 })),
      info() {},
      warn: (...a: unknown[]) => lines.push(inspect(a)),
      error() {},
    };
    const api = await serve((req, res) => {
      const echo = String(req.headers.authorization);
      json(
        res,
        401,
        { message: `Bad token ${echo}`, echo: { headers: { authorization: echo }, raw: echo } },
        {
          'x-echo': echo,
          'www-authenticate': `Bearer realm="${echo}"`,
        },
      );
    });
    const err = await client(api.url, { logger, logLevel: 'debug' })
      .users.me()
      .catch((e) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(everyView(err)).not.toContain(TOKEN);
    expect([...err.headers.values()].join(' ')).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines.length).toBeGreaterThan(0);
  });

  it('invalid JSON around an echoed token leaves no fragment of it (no parser message quoted)', async () => {
    const { client: c } = fakeClient(
      (request) =>
        new Response(`{"token": "${request.headers.get('authorization')}", oops}`, {
          headers: { 'content-type': 'application/json' },
        }),
    );
    const err = await c.users.me().catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    const views = everyView(err);
    for (let i = 0; i + 6 <= TOKEN.length; i++) expect(views).not.toContain(TOKEN.slice(i, i + 6));
  });

  it('credentials in per-call headers are scrubbed the same way', async () => {
    const own = 'per-call-secret-987654321';
    const { client: c } = fakeClient((request) =>
      jsonResponse(400, {
        message: `You sent ${request.headers.get('x-api-key')} and ${request.headers.get('authorization')}`,
      }),
    );
    const err = await c.users
      .me({ headers: { 'X-Api-Key': own, Authorization: `Bearer ${own}-2` } })
      .catch((e) => e);
    expect(everyView(err)).not.toContain(own);
  });

  it('a custom fetch that throws an error holding the request: the cause is scrubbed', async () => {
    const fetch = async (request: Request) => {
      throw Object.assign(new TypeError(`failed with ${request.headers.get('authorization')}`), { request });
    };
    const err = await client('https://api.example.test/v3', { fetch, maxRetries: 0 })
      .users.me()
      .catch((e) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(everyView(err)).not.toContain(TOKEN);
  });
});

describe('webhooks never skip verification silently', () => {
  const body = JSON.stringify(PROCESSED);
  it.each([undefined, null, ''])(
    'a secret of %o is an InvalidParamsError naming the secret',
    async (secret) => {
      const err = await parseWebhookOf(body, { signature: 'sha256=00', secret: secret as never });
      expect(err).toBeInstanceOf(InvalidParamsError);
      expect(err.param).toBe('secret');
    },
  );

  it('refuses bodies over the size limit before hashing', async () => {
    const err = await parseWebhookOf('x'.repeat(2_000), { verify: false, maxBytes: 1_000 });
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect(err.message).toMatch(/larger than 1000 bytes/);
  });

  it('answers any input with a result or a typed error, never a TypeError', async () => {
    for (const input of [undefined, null, 42, {}, [], Symbol('x'), 10n, PROCESSED]) {
      const err = await parseWebhookOf(input as never, { verify: false });
      expect(err).toBeInstanceOf(HandwritingOCRError);
    }
    for (const options of [42, 'x', [], { verify: 'no' }, { maxBytes: -1 }, { signature: 42, secret: 'k' }]) {
      const err = await parseWebhookOf(body, options as never);
      expect(err).toBeInstanceOf(HandwritingOCRError);
    }
  });

  async function parseWebhookOf(raw: string, options: object): Promise<InvalidParamsError> {
    const { parseWebhook } = await import('../../src/webhooks.js');
    return parseWebhook(raw, options).then(
      () => {
        throw new Error('expected a rejection');
      },
      (e) => e,
    );
  }
});

describe('bad input from callers is refused before sending', () => {
  it('thumbnail(): the URL must lie under baseUrl, not only its origin', async () => {
    const { client: c, requests } = fakeClient(() => new Response(new Uint8Array([1])));
    for (const url of [
      '../../../admin/users',
      '/admin/users',
      'https://api.example.test/v3x/a',
      '%2e%2e/%2e%2e/admin',
    ]) {
      await expect(c.documents.thumbnail(url)).rejects.toBeInstanceOf(InvalidParamsError);
    }
    expect(requests).toHaveLength(0);
    await c.documents.thumbnail('document/abcde12345/image-1.jpg');
    expect(requests[0]?.url).toBe('https://api.example.test/v3/document/abcde12345/image-1.jpg');
  });

  it('invalid header names or values, and a signal that is not an AbortSignal', async () => {
    const { client: c, requests } = fakeClient(() => jsonResponse(200, USER));
    for (const options of [
      { headers: { 'Bad Name': 'x' } },
      { headers: { 'X-Ok': 'line\r\nInjected: yes' } },
      { headers: { 'X-Ok': 42 } },
      { headers: { 'X-Ok': 'ü€' } },
      { signal: 'stop' },
      { signal: {} },
      { timeout: 100 },
    ]) {
      await expect(c.users.me(options as never)).rejects.toBeInstanceOf(InvalidParamsError);
    }
    expect(() => client('https://api.example.test/v3', { defaultHeaders: { 'X-A': 'a\nb' } })).toThrow(
      InvalidParamsError,
    );
    expect(requests).toHaveLength(0);
  });

  it('a getter that throws is an InvalidParamsError, not the getter’s error', async () => {
    const { client: c, requests } = fakeClient(() => jsonResponse(200, USER));
    const hostile = Object.defineProperty({}, 'page', {
      enumerable: true,
      get() {
        throw new Error('gotcha');
      },
    });
    await expect(c.documents.list(hostile)).rejects.toBeInstanceOf(InvalidParamsError);
    expect(requests).toHaveLength(0);
  });
});

describe('timers', () => {
  it('a fetch that never settles ends in APIConnectionTimeoutError even when nothing else keeps the process alive', async () => {
    const { execFile } = await import('node:child_process');
    const script = `
      import { HandwritingOCR } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).pathname)};
      const client = new HandwritingOCR({ apiToken: 'x'.repeat(20), baseUrl: 'https://api.example.test/v3',
        fetch: () => new Promise(() => {}), timeoutMs: 100, maxRetries: 0 });
      client.users.me().then(() => console.log('resolved'), (e) => console.log(e.name));
    `;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { timeout: 20_000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );
    expect(out.trim()).toBe('APIConnectionTimeoutError');
  });
});
