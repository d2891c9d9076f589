// Property-based tests of the client's edges (issue #11, "bad input from callers"): for every public method,
// parameter and option, any value of any type either succeeds against a well-behaved server or is refused with
// InvalidParamsError before anything is sent. Never a TypeError or another class, never a request outside the
// API's paths, never a query key besides page/per_page, never a polluted prototype, never the token in an error.
//
// Seeded: CI runs the fixed default seed. For a longer or different hunt:
//   FC_SEED=<n> FC_RUNS=<runs> npx vitest run test/client/properties.test.ts
// FC_STATS=1 also prints how the runs of each property ended (resolved, or refused with which class).
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  HandwritingOCR,
  HandwritingOCRError,
  InvalidParamsError,
  WebhookVerificationError,
} from '../../src/index.js';
import { parseWebhook } from '../../src/webhooks.js';
import {
  baseUrlArg,
  documentArg,
  FC_PARAMS,
  formatArg,
  headersArg,
  hostile,
  hostileString,
  listParams,
  loggerArg,
  mostly,
  optionsObject,
  PDF_BYTES,
  type RecordingLogger,
  recordingLogger,
  requestOptions,
  throwingProxy,
  topupParams,
  uploadParams,
  validFormat,
  validId,
  waitOptions,
} from './arbitraries.js';

const TOKEN = 'prop-token-0123456789abcdef';
const BASE = 'https://api.example.test/v3';
const UPLOADED_ID = 'abcde12345';

// ---- A well-behaved server ------------------------------------------------------------------------------------

interface Server {
  /** Every request the client sent, in order. */
  requests: Request[];
  fetch: (request: Request) => Promise<Response>;
  /** The client's base URL, which the routes are relative to (set after a constructor run). */
  base: string;
}

const processed = (id: string) => ({
  id,
  file_name: 'scan.pdf',
  action: 'transcribe',
  page_count: 1,
  status: 'processed',
  results: [{ page_number: 1, transcript: 'Hello' }],
  thumbnails: [],
});
const ZIP: Uint8Array<ArrayBuffer> = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
const DOWNLOADS: Record<string, [string, string | Uint8Array<ArrayBuffer>]> = {
  txt: ['text/plain; charset=utf-8', 'Hello'],
  csv: ['text/csv', 'name,value\r\na,1\r\n'],
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', ZIP],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ZIP],
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * A fake `fetch` (no network) answering each API path with a valid response: a processed transcribe document, the
 * formats (docx/xlsx as zip bytes), a user, a list of two pages, a top-up, 201 for uploads, 204 for deletes; with
 * `thumbnails`, every GET under the base URL is a JPEG. Anything else is a 404 (and fails the path check).
 */
function server(options: { thumbnails?: boolean } = {}): Server {
  const s: Server = {
    requests: [],
    base: BASE,
    fetch: async (request) => {
      s.requests.push(request);
      const url = new URL(request.url);
      const root = new URL(`${s.base}/`);
      if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return json(404, {});
      const path = url.pathname.slice(root.pathname.length - 1);
      const route = `${request.method} ${path}`;
      // A thumbnail server answers an image for any GET under the base URL.
      if (options.thumbnails && request.method === 'GET') {
        return new Response(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), {
          headers: { 'content-type': 'image/jpeg' },
        });
      }
      const document = /^GET \/documents\/([A-Za-z0-9]+)$/.exec(route);
      const download = /^GET \/documents\/([A-Za-z0-9]+)\.(txt|docx|xlsx|csv|json)$/.exec(route);
      if (route === 'GET /documents') {
        const page = Number(url.searchParams.get('page') ?? 1);
        const perPage = Number(url.searchParams.get('per_page') ?? 50);
        return json(200, {
          documents: [{ id: `doc${page}`, status: 'processed', action: 'transcribe', file_name: 'a.pdf' }],
          current_page: page,
          last_page: 2,
          per_page: perPage,
          total: 2,
        });
      }
      if (route === 'POST /documents') return json(201, { id: UPLOADED_ID, status: 'queued' });
      if (document) return json(200, processed(document[1] ?? ''));
      if (/^DELETE \/documents\/[A-Za-z0-9]+$/.test(route)) return new Response(null, { status: 204 });
      if (download) {
        const [, id = '', format = ''] = download;
        if (format === 'json') return json(200, processed(id));
        const [type, body] = DOWNLOADS[format] as [string, string | Uint8Array<ArrayBuffer>];
        return new Response(body, { status: 200, headers: { 'content-type': type } });
      }
      if (route === 'GET /users/me') {
        return json(200, { id: 1, name: 'Ada', email: 'ada@example.test', balance: 40, token: TOKEN });
      }
      if (route === 'POST /credits/topup') {
        return json(200, { success: true, credits_purchased: 100, new_balance: 140 });
      }
      return json(404, { message: 'Not found.' });
    },
  };
  return s;
}

function clientOf(s: Server): HandwritingOCR {
  return new HandwritingOCR({ apiToken: TOKEN, baseUrl: BASE, fetch: s.fetch });
}

// ---- The rule every run is held to ----------------------------------------------------------------------------

/** A method and the requests it may send: method and full path (under the base URL's path). */
type Route = readonly [string, RegExp];
const ROUTES = {
  me: ['GET', /^\/v3\/users\/me$/],
  list: ['GET', /^\/v3\/documents$/],
  upload: ['POST', /^\/v3\/documents$/],
  retrieve: ['GET', /^\/v3\/documents\/[A-Za-z0-9]+$/],
  delete: ['DELETE', /^\/v3\/documents\/[A-Za-z0-9]+$/],
  download: ['GET', /^\/v3\/documents\/[A-Za-z0-9]+\.(txt|docx|xlsx|csv|json)$/],
  topup: ['POST', /^\/v3\/credits\/topup$/],
  thumbnail: ['GET', /^\/v3\//],
} as const satisfies Record<string, Route>;

type Outcome = { kind: 'resolved'; value: unknown } | { kind: 'rejected' | 'threw'; error: unknown };

/** Calls `call` and records how it ended; a synchronous throw is told apart from a rejection. */
async function outcomeOf(call: () => unknown): Promise<Outcome> {
  let pending: unknown;
  try {
    pending = call();
  } catch (error) {
    return { kind: 'threw', error };
  }
  try {
    return { kind: 'resolved', value: await pending };
  } catch (error) {
    return { kind: 'rejected', error };
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : `a thrown ${typeof error}`;
}

type ErrorClass = abstract new (...args: never[]) => Error;

interface Rule {
  server: Server;
  routes: readonly Route[];
  /** The classes a refusal may be (InvalidParamsError unless said otherwise). */
  refusal?: readonly ErrorClass[];
  /** Whether a synchronous throw is the API (the constructor); else methods must reject, not throw. */
  sync?: boolean;
  /** Query strings are the caller's own for thumbnails (a URL it was given); elsewhere only page/per_page. */
  anyQuery?: boolean;
}

// How runs ended, per test (FC_STATS=1 prints it): a property whose runs are nearly all refused tests little.
const tally = new Map<string, number>();

function count(outcome: Outcome): void {
  const test = expect.getState().currentTestName?.split(' > ').pop() ?? '';
  const how =
    outcome.kind === 'resolved'
      ? 'resolved'
      : `${outcome.kind} ${describeError(outcome.error).split(':')[0]}`;
  const key = `${test.slice(0, 48).padEnd(48)}  ${how}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

/**
 * Success, or a refusal of the right class with nothing sent; in every case only the allowed routes, no unknown
 * query key, no token in the error, no prototype pollution.
 */
function expectRule(outcome: Outcome, rule: Rule): void {
  count(outcome);
  if (outcome.kind === 'threw' && !rule.sync) {
    expect.fail(`threw synchronously instead of rejecting: ${describeError(outcome.error)}`);
  }
  if (outcome.kind === 'rejected' && rule.sync) {
    expect.fail(
      `the constructor accepted its options, then the client failed: ${describeError(outcome.error)}`,
    );
  }
  if (outcome.kind !== 'resolved') {
    const refusal = rule.refusal ?? [InvalidParamsError];
    if (!refusal.some((type) => outcome.error instanceof type)) {
      const names = refusal.map((type) => type.name).join(' or ');
      expect.fail(`expected success or ${names}, got ${describeError(outcome.error)}`);
    }
    expect(rule.server.requests, 'a refused call sends nothing').toHaveLength(0);
    expect(inspect(outcome.error, { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(
      TOKEN,
    );
  }
  const root = new URL(`${rule.server.base}/`);
  for (const request of rule.server.requests) {
    const url = new URL(request.url);
    const allowed = rule.routes.some(
      ([method, path]) =>
        request.method === method && path.test(`/v3/${url.pathname.slice(root.pathname.length)}`),
    );
    expect(allowed, `${request.method} ${request.url} is not an allowed request`).toBe(true);
    expect(url.origin).toBe(root.origin);
    expect(url.pathname.startsWith(root.pathname)).toBe(true);
    if (!rule.anyQuery) {
      for (const [key, value] of url.searchParams) {
        expect(['page', 'per_page'], `query key ${JSON.stringify(key)}`).toContain(key);
        expect(value, `${key}=${value}`).toMatch(/^[1-9][0-9]{0,15}$/);
      }
    }
  }
  expectNoPollution();
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const PROTOTYPE_KEYS = PROTOTYPES.map((p) => Reflect.ownKeys(p).length);

function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype.polluted').toBeUndefined();
  expect(
    PROTOTYPES.map((p) => Reflect.ownKeys(p).length),
    'prototype keys',
  ).toEqual(PROTOTYPE_KEYS);
}

/** An own property's descriptor, or `undefined` (also where a Proxy's trap throws). */
function ownDescriptor(value: unknown, key: string): PropertyDescriptor | undefined {
  try {
    return typeof value === 'object' && value !== null
      ? Object.getOwnPropertyDescriptor(value, key)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Reads an option the way a caller's object allows (a Proxy or getter may throw). */
function peek(value: unknown, key: string): unknown {
  try {
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

// The unit project's 20 s per test, growing with FC_RUNS for a longer hunt (the default runs stay within 20 s).
const PROPERTY_TIMEOUT_MS = Math.max(20_000, FC_PARAMS.numRuns * 100);

/** Checks a property with the suite's seed and number of runs. */
function holds<T>(property: fc.IAsyncPropertyWithHooks<T>): Promise<void> {
  return fc.assert(property, FC_PARAMS);
}

// ---- Files the suite needs ------------------------------------------------------------------------------------

let dir: string;
let pdfPath: string;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hwocr-props-'));
  pdfPath = join(dir, 'scan.pdf');
  writeFileSync(pdfPath, PDF_BYTES);
  mkdirSync(join(dir, 'out'));
  // The constructor reads these; the properties must not depend on the machine's environment.
  for (const name of ['HANDWRITING_OCR_API_TOKEN', 'HANDWRITING_OCR_BASE_URL']) {
    savedEnv[name] = process.env[name];
    delete process.env[name];
  }
});

afterAll(() => {
  if (process.env.FC_STATS) {
    const lines = [...tally]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, n]) => `${String(n).padStart(6)}  ${key}`);
    console.log(`How the runs ended:\n${lines.join('\n')}`);
  }
  rmSync(dir, { recursive: true, force: true });
  for (const [name, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[name] = value;
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/**
 * Awaits a call that sleeps between polls, with fake timers: each turn lets real I/O and microtasks run, then
 * fires the next timer, so a valid ten-minute wait ends at once and nothing real ever waits.
 */
async function withFakeTimers(call: () => unknown): Promise<Outcome> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    let settled = false;
    const pending = outcomeOf(call).finally(() => {
      settled = true;
    });
    // A hang shows as this error, not as the test's timeout (performance.now is not faked).
    const giveUp = performance.now() + 10_000;
    while (!settled) {
      if (performance.now() > giveUp) throw new Error('the call did not settle within 10 s of real time');
      await new Promise((resolve) => setImmediate(resolve));
      if (!settled) await vi.advanceTimersToNextTimerAsync();
    }
    return await pending;
  } finally {
    vi.useRealTimers();
  }
}

/** The one upload request carries the file and the API's fields as given, nothing else. */
async function expectUploadForm(requests: Request[], params: unknown): Promise<void> {
  expect(requests).toHaveLength(1);
  const form = await (requests[0] as Request).formData();
  expect(form.get('file')).toBeInstanceOf(File);
  for (const [key, value] of form) {
    if (key === 'file') continue;
    expect(['action', 'delete_after', 'extractor_id', 'webhook_url', 'prompt_id']).toContain(key);
    expect(value).toBe(String(peek(params, key)));
  }
}

// ---- Properties, one per public method ------------------------------------------------------------------------

describe('any input: success against a well-behaved server, or InvalidParamsError with nothing sent', {
  timeout: PROPERTY_TIMEOUT_MS,
}, () => {
  it('users.me(options)', () =>
    holds(
      fc.asyncProperty(requestOptions, async (options) => {
        const s = server();
        const outcome = await outcomeOf(() => clientOf(s).users.me(options as never));
        expectRule(outcome, { server: s, routes: [ROUTES.me] });
        if (outcome.kind === 'resolved') expect(outcome.value).toMatchObject({ email: 'ada@example.test' });
      }),
    ));

  it('documents.list(params, options), awaited and iterated', () =>
    holds(
      fc.asyncProperty(listParams, requestOptions, async (params, options) => {
        const s = server();
        const outcome = await outcomeOf(async () => {
          const pages = clientOf(s).documents.list(params as never, options as never);
          const ids: string[] = [];
          for await (const document of pages) ids.push(document.id);
          return { first: await pages, ids };
        });
        expectRule(outcome, { server: s, routes: [ROUTES.list] });
        if (outcome.kind === 'resolved') {
          const page = peek(params, 'page');
          // The server has two pages: from page 1 the iteration fetches page 2, from page ≥ 2 it stops.
          expect(s.requests).toHaveLength(page === undefined || page === 1 ? 2 : 1);
          const perPage = peek(params, 'per_page');
          for (const request of s.requests) {
            expect(new URL(request.url).searchParams.get('per_page')).toBe(
              perPage === undefined ? null : String(perPage),
            );
          }
        }
      }),
    ));

  it('documents.retrieve(id, options)', () =>
    holds(
      fc.asyncProperty(mostly(validId), requestOptions, async (id, options) => {
        const s = server();
        const outcome = await outcomeOf(() => clientOf(s).documents.retrieve(id as never, options as never));
        expectRule(outcome, { server: s, routes: [ROUTES.retrieve] });
        if (outcome.kind === 'resolved') {
          expect(s.requests.map((r) => new URL(r.url).pathname)).toEqual([`/v3/documents/${id}`]);
          expect(outcome.value).toMatchObject({ id, status: 'processed' });
        }
      }),
    ));

  it('documents.download(document, format, options)', () =>
    holds(
      fc.asyncProperty(documentArg, formatArg, requestOptions, async (document, format, options) => {
        const s = server();
        const outcome = await outcomeOf(() =>
          clientOf(s).documents.download(document as never, format as never, options as never),
        );
        expectRule(outcome, { server: s, routes: [ROUTES.download] });
        if (outcome.kind === 'resolved') {
          const id = typeof document === 'string' ? document : peek(document, 'id');
          expect(s.requests.map((r) => new URL(r.url).pathname)).toEqual([`/v3/documents/${id}.${format}`]);
          if (format === 'txt' || format === 'csv') expect(typeof outcome.value).toBe('string');
          else if (format === 'json') expect(outcome.value).toMatchObject({ id, status: 'processed' });
          else expect(outcome.value).toEqual(ZIP);
        }
      }),
    ));

  it('documents.downloadStream(document, format, options), read to the end', () =>
    holds(
      fc.asyncProperty(documentArg, formatArg, requestOptions, async (document, format, options) => {
        const s = server();
        const outcome = await outcomeOf(async () => {
          const stream = await clientOf(s).documents.downloadStream(
            document as never,
            format as never,
            options as never,
          );
          return new Uint8Array(await new Response(stream).arrayBuffer());
        });
        expectRule(outcome, { server: s, routes: [ROUTES.download] });
        if (outcome.kind === 'resolved') expect((outcome.value as Uint8Array).byteLength).toBeGreaterThan(0);
      }),
    ));

  it('documents.downloadToFile(document, format, path, options): no file, no temp file on refusal', () => {
    // Paths stay inside the suite's directory (a property must not write elsewhere): hostile strings are
    // appended to it when they resolve inside it; any other value is passed as it is unless it is a string.
    const out = join(dir, 'out');
    const pathArg = fc.oneof(
      {
        arbitrary: hostileString
          .filter((s) => resolve(out, s).startsWith(`${dir}${sep}`))
          .map((s) => `${out}/${s}`),
        weight: 4,
      },
      { arbitrary: fc.constantFrom('', 'x\0y', out, `${dir}/missing/x.txt`, `${out}/result.bin`), weight: 1 },
      { arbitrary: hostile.filter((v) => typeof v !== 'string'), weight: 1 },
    );
    return holds(
      fc.asyncProperty(
        documentArg,
        formatArg,
        pathArg,
        requestOptions,
        async (document, format, path, options) => {
          const s = server();
          const outcome = await outcomeOf(() =>
            clientOf(s).documents.downloadToFile(
              document as never,
              format as never,
              path as never,
              options as never,
            ),
          );
          expectRule(outcome, { server: s, routes: [ROUTES.download] });
          expect(readdirSync(join(dir, 'out')).filter((name) => name.endsWith('.part'))).toEqual([]);
          if (outcome.kind === 'resolved') expect(readFileSync(path as string).byteLength).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('documents.downloadToFile writes to any file name the filesystem takes (up to 255 bytes)', () => {
    const out = join(dir, 'out');
    const fits = (name: string) =>
      !/[/\0]/.test(name) && name !== '.' && name !== '..' && Buffer.byteLength(name) <= 255;
    // Long names are one character repeated: a failure then shrinks by its length, in a few steps.
    const name = fc
      .oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        fc
          .tuple(fc.constantFrom('a', 'é', '日', '😀'), fc.integer({ min: 40, max: 255 }))
          .map(([char, n]) => char.repeat(n)),
      )
      .filter(fits);
    return holds(
      fc.asyncProperty(name, validFormat, async (file, format) => {
        const s = server();
        const path = join(out, file);
        const outcome = await outcomeOf(() => clientOf(s).documents.downloadToFile('abc123', format, path));
        if (outcome.kind !== 'resolved') expect.fail(`refused a valid path: ${describeError(outcome.error)}`);
        expectRule(outcome, { server: s, routes: [ROUTES.download] });
        expect(readFileSync(path).byteLength).toBeGreaterThan(0);
        rmSync(path);
      }),
    );
  });

  it('documents.waitForProcessing(id, options)', () =>
    holds(
      fc.asyncProperty(mostly(validId), waitOptions, async (id, options) => {
        const s = server();
        const outcome = await withFakeTimers(() =>
          clientOf(s).documents.waitForProcessing(id as never, options as never),
        );
        expectRule(outcome, { server: s, routes: [ROUTES.retrieve] });
        if (outcome.kind === 'resolved') expect(outcome.value).toMatchObject({ id, status: 'processed' });
      }),
    ));

  it('documents.upload(params, options): only the API fields are sent', () =>
    holds(
      fc.asyncProperty(uploadParams(pdfPath, dir), requestOptions, async (params, options) => {
        const s = server();
        const outcome = await outcomeOf(() =>
          clientOf(s).documents.upload(params as never, options as never),
        );
        expectRule(outcome, { server: s, routes: [ROUTES.upload] });
        if (outcome.kind === 'resolved') {
          expect(outcome.value).toEqual({ id: UPLOADED_ID, status: 'queued' });
          await expectUploadForm(s.requests, params);
        }
      }),
    ));

  it('documents.uploadAndWait(params, options): nothing sent unless every option is valid', () =>
    holds(
      fc.asyncProperty(uploadParams(pdfPath, dir), waitOptions, async (params, options) => {
        const s = server();
        const outcome = await withFakeTimers(() =>
          clientOf(s).documents.uploadAndWait(params as never, options as never),
        );
        expectRule(outcome, { server: s, routes: [ROUTES.upload, ROUTES.retrieve] });
        if (outcome.kind === 'resolved') {
          expect(outcome.value).toMatchObject({ id: UPLOADED_ID, status: 'processed' });
          expect(s.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
            'POST /v3/documents',
            `GET /v3/documents/${UPLOADED_ID}`,
          ]);
          await expectUploadForm(s.requests.slice(0, 1), params);
        }
      }),
    ));

  it('documents.delete(id, options)', () =>
    holds(
      fc.asyncProperty(mostly(validId), requestOptions, async (id, options) => {
        const s = server();
        const outcome = await outcomeOf(() => clientOf(s).documents.delete(id as never, options as never));
        expectRule(outcome, { server: s, routes: [ROUTES.delete] });
        if (outcome.kind === 'resolved') {
          expect(s.requests.map((r) => new URL(r.url).pathname)).toEqual([`/v3/documents/${id}`]);
        }
      }),
    ));

  it('documents.thumbnail(thumbnail, options): only ever under the base URL', () => {
    const url = fc.oneof(
      hostileString,
      hostileString.map((s) => `${BASE}/${s}`),
      hostileString.map((s) => `https://api.example.test/${s}`),
      hostileString.map((s) => `https://evil.test/v3/${s}`),
      fc.constantFrom(
        `${BASE}/document/abc/image-1.jpg`,
        'document/abc/image-1.jpg',
        '../../admin/users',
        '/admin',
        '%2e%2e/%2e%2e/admin',
        '\\\\evil.test\\v3\\x',
        `${BASE}/../admin`,
        'https://user:pass@api.example.test/v3/x.jpg',
        'javascript:alert(1)',
        'data:image/jpeg;base64,/9j/',
      ),
    );
    const thumbnail = fc.oneof(mostly(url), fc.record({ page_number: fc.nat(), url: mostly(url) }));
    return holds(
      fc.asyncProperty(thumbnail, requestOptions, async (value, options) => {
        const s = server({ thumbnails: true });
        const outcome = await outcomeOf(() =>
          clientOf(s).documents.thumbnail(value as never, options as never),
        );
        expectRule(outcome, { server: s, routes: [ROUTES.thumbnail], anyQuery: true });
        if (outcome.kind === 'resolved') expect(outcome.value).toBeInstanceOf(Uint8Array);
      }),
    );
  });

  it('credits.topup(params, options): only a whole positive multiple of 100 is sent, and nothing else', () =>
    holds(
      fc.asyncProperty(topupParams, requestOptions, async (params, options) => {
        const s = server();
        const outcome = await outcomeOf(() => clientOf(s).credits.topup(params as never, options as never));
        expectRule(outcome, { server: s, routes: [ROUTES.topup] });
        if (outcome.kind === 'resolved') {
          expect(s.requests).toHaveLength(1);
          const form = await (s.requests[0] as Request).formData();
          expect([...form.keys()]).toEqual(['amount']);
          const amount = form.get('amount') as string;
          expect(amount).toMatch(/^[1-9][0-9]*00$/);
          expect(Number.isSafeInteger(Number(amount))).toBe(true);
          expect(amount).toBe(String(peek(params, 'amount')));
        }
      }),
    ));
});

// ---- parseWebhook and the constructor -------------------------------------------------------------------------

const VALID_SIGNATURE = '<the valid signature>';
const VALID_SIGNATURES = '<an array holding the valid signature>';

/** The raw body as bytes, when it is one of the kinds parseWebhook takes. */
function bytesOf(value: unknown): Uint8Array | undefined {
  if (typeof value === 'string') return new TextEncoder().encode(value);
  try {
    if (value instanceof Uint8Array) return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
  } catch {} // a Proxy whose traps throw
  return undefined;
}

describe('parseWebhook(rawBody, options): a document, InvalidParamsError or WebhookVerificationError', {
  timeout: PROPERTY_TIMEOUT_MS,
}, () => {
  it('never resolves unverified unless told `verify: false`', () => {
    const delivery = JSON.stringify(processed('abcde12345'));
    const rawBody = fc.oneof(
      {
        arbitrary: fc.constantFrom(delivery, new TextEncoder().encode(delivery), `${delivery}\n`),
        weight: 4,
      },
      { arbitrary: fc.constantFrom('{"id":"x"}', 'null', '[]', '', '{', 'not json'), weight: 1 },
      { arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)), weight: 1 },
      { arbitrary: hostile, weight: 1 },
    );
    const options = optionsObject({
      signature: fc.oneof(
        { arbitrary: fc.constantFrom(VALID_SIGNATURE, VALID_SIGNATURES), weight: 4 },
        { arbitrary: fc.constantFrom(`sha256=${'0'.repeat(64)}`, 'sha256=', ''), weight: 1 },
        { arbitrary: fc.array(hostileString, { maxLength: 3 }), weight: 1 },
      ),
      secret: fc.oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }),
        fc.uint8Array({ minLength: 1, maxLength: 24 }),
      ),
      verify: fc.boolean(),
      maxBytes: fc.oneof(fc.integer({ min: 1_000, max: 10 ** 8 }), fc.integer({ min: 1, max: 300 })),
    });
    return holds(
      fc.asyncProperty(rawBody, options, async (body, given) => {
        // Put the real HMAC where the options ask for it (a data property only: getters stay as generated).
        const asked = ownDescriptor(given, 'signature');
        const bytes = bytesOf(body);
        const secret = bytesOf(peek(given, 'secret'));
        let signed = false;
        if (
          asked &&
          'value' in asked &&
          (asked.value === VALID_SIGNATURE || asked.value === VALID_SIGNATURES)
        ) {
          const hmac = `sha256=${createHmac('sha256', secret ?? new Uint8Array(0))
            .update(bytes ?? new Uint8Array(0))
            .digest('hex')}`;
          Object.defineProperty(given, 'signature', {
            value: asked.value === VALID_SIGNATURE ? hmac : ['sha256=bad', hmac],
          });
          signed = bytes !== undefined && secret !== undefined && secret.byteLength > 0;
        }
        const outcome = await outcomeOf(() => parseWebhook(body as never, given as never));
        expectRule(outcome, {
          server: server(),
          routes: [],
          refusal: [InvalidParamsError, WebhookVerificationError],
        });
        if (outcome.kind === 'resolved') {
          expect(outcome.value).toMatchObject({ id: 'abcde12345', status: 'processed' });
          if (peek(given, 'verify') !== false)
            expect(signed, 'resolved without a valid signature').toBe(true);
        }
      }),
    );
  });
});

describe('new HandwritingOCR(options): a client that works, or HandwritingOCRError', {
  timeout: PROPERTY_TIMEOUT_MS,
}, () => {
  it('any options; a client it makes answers users.me() and never shows its token', () => {
    let current = server();
    const forward = (request: Request) => current.fetch(request);
    // No `fetch` option means the global one: that too is the well-behaved server, never the network.
    vi.stubGlobal('fetch', forward);
    for (const level of ['debug', 'info', 'warn', 'error', 'log'] as const) {
      vi.spyOn(console, level).mockImplementation(() => {});
    }
    const options = optionsObject(
      {
        apiToken: fc.stringMatching(/^[\x21-\x7e]{8,40}$/),
        baseUrl: baseUrlArg,
        fetch: fc.constant(forward),
        maxRetries: fc.integer({ min: 0, max: 10 }),
        timeoutMs: fc.oneof(fc.integer({ min: 60_000, max: 2 ** 40 }), fc.constant(Number.POSITIVE_INFINITY)),
        logger: loggerArg,
        logLevel: fc.constantFrom('off', 'error', 'warn', 'info', 'debug'),
        defaultHeaders: headersArg,
      },
      ['apiToken'],
    );
    return holds(
      fc.asyncProperty(options, async (given) => {
        current = server();
        const outcome = await outcomeOf(() => new HandwritingOCR(given as never));
        expectRule(outcome, { server: current, routes: [], refusal: [HandwritingOCRError], sync: true });
        if (outcome.kind !== 'resolved') return;
        const client = outcome.value as HandwritingOCR;
        const token = String(peek(given, 'apiToken')).trim();
        for (const shown of [String(client), JSON.stringify(client), inspect(client, { depth: 5 })]) {
          expect(shown).not.toContain(token);
        }
        const fetch = peek(given, 'fetch');
        if (fetch !== undefined && fetch !== forward) return; // a caller's own fetch is not the server's
        current.base = client.baseUrl;
        const me = await outcomeOf(() => client.users.me());
        if (me.kind !== 'resolved') expect.fail(`the client it made fails: ${describeError(me.error)}`);
        expectRule(me, { server: current, routes: [ROUTES.me] });
        const logger = peek(given, 'logger') as RecordingLogger | undefined;
        if (token.length >= 8 && logger?.lines) expect(inspect(logger.lines)).not.toContain(token);
      }),
    );
  });
});

// ---- Every exotic value at every argument position and every option key -----------------------------------------

/**
 * Values fast-check does not make (or cannot print) and a polluting object: each is put in every place a caller can
 * put a value.
 */
const EXOTIC: Record<string, () => unknown> = {
  'a revoked Proxy': () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  'a revoked function Proxy': () => {
    const { proxy, revoke } = Proxy.revocable(() => {}, {});
    revoke();
    return proxy;
  },
  'a Proxy whose traps throw': throwingProxy,
  'an object whose getters throw': () =>
    Object.defineProperties(
      {},
      Object.fromEntries(
        ['aborted', 'addEventListener', 'url', 'id', 'action', 'then'].map((key) => [
          key,
          {
            enumerable: key !== 'aborted' && key !== 'addEventListener',
            get() {
              throw new Error(`the getter of ${key} throws`);
            },
          },
        ]),
      ),
    ),
  'an own __proto__ key': () => JSON.parse('{"__proto__":{"polluted":"yes"}}'),
};

interface Signature {
  name: string;
  /** Valid arguments, made anew for each call (streams, signals). */
  args: () => unknown[];
  call: (client: HandwritingOCR, args: unknown[]) => unknown;
  routes: readonly Route[];
  refusal?: readonly ErrorClass[];
  sync?: boolean;
  anyQuery?: boolean;
  /** Polls and sleeps: run with fake timers. */
  timers?: boolean;
}

const requestOpts = () => ({
  signal: new AbortController().signal,
  timeoutMs: 60_000,
  maxRetries: 1,
  headers: { 'x-trace': 'abc' },
});
const waitOpts = () => ({
  signal: new AbortController().signal,
  maxRetries: 1,
  headers: { 'x-trace': 'abc' },
  timeoutMs: 600_000,
  pollIntervalMs: 1_000,
  maxPollIntervalMs: 2_000,
  requestTimeoutMs: 60_000,
  onStatus: () => {},
  onUploaded: () => {},
});
const uploadFields = () => ({
  file: new Blob([PDF_BYTES]),
  action: 'extractor',
  extractor_id: 'Ks08XVPyMd',
  fileName: 'scan.pdf',
  delete_after: 3600,
  webhook_url: 'https://hooks.example.test/x',
  prompt_id: 'p1',
});
const read = async (stream: unknown) => new Response(stream as ReadableStream).arrayBuffer();
const DELIVERY = JSON.stringify(processed('abcde12345'));
const SECRET = 'whsec-0123456789';

const SIGNATURES: Signature[] = [
  {
    name: 'users.me',
    args: () => [requestOpts()],
    call: (c, a) => c.users.me(...(a as [])),
    routes: [ROUTES.me],
  },
  {
    name: 'documents.list',
    args: () => [{ page: 1, per_page: 10 }, requestOpts()],
    call: async (c, a) => {
      for await (const _ of c.documents.list(...(a as []))) {
        // walk every page
      }
    },
    routes: [ROUTES.list],
  },
  {
    name: 'documents.retrieve',
    args: () => ['abc123', requestOpts()],
    call: (c, a) => c.documents.retrieve(...(a as [string])),
    routes: [ROUTES.retrieve],
  },
  {
    name: 'documents.download',
    args: () => [{ id: 'abc123', action: 'transcribe' }, 'txt', requestOpts()],
    call: (c, a) => c.documents.download(...(a as [string, 'txt'])),
    routes: [ROUTES.download],
  },
  {
    name: 'documents.downloadStream',
    args: () => ['abc123', 'docx', requestOpts()],
    call: async (c, a) => read(await c.documents.downloadStream(...(a as [string, 'docx']))),
    routes: [ROUTES.download],
  },
  {
    name: 'documents.downloadToFile',
    args: () => ['abc123', 'csv', join(dir, 'out', 'table.csv'), requestOpts()],
    call: (c, a) => {
      // Never a file outside the suite's directory (EXOTIC holds no strings; this keeps it so).
      if (typeof a[2] === 'string' && !resolve(a[2]).startsWith(`${dir}${sep}`))
        throw new Error(`path ${a[2]}`);
      return c.documents.downloadToFile(...(a as [string, 'csv', string]));
    },
    routes: [ROUTES.download],
  },
  {
    name: 'documents.waitForProcessing',
    args: () => ['abc123', waitOpts()],
    call: (c, a) => c.documents.waitForProcessing(...(a as [string])),
    routes: [ROUTES.retrieve],
    timers: true,
  },
  {
    name: 'documents.upload',
    args: () => [uploadFields(), requestOpts()],
    call: (c, a) => c.documents.upload(...(a as [never])),
    routes: [ROUTES.upload],
  },
  {
    name: 'documents.uploadAndWait',
    args: () => [uploadFields(), waitOpts()],
    call: (c, a) => c.documents.uploadAndWait(...(a as [never])),
    routes: [ROUTES.upload, ROUTES.retrieve],
    timers: true,
  },
  {
    name: 'documents.delete',
    args: () => ['abc123', requestOpts()],
    call: (c, a) => c.documents.delete(...(a as [string])),
    routes: [ROUTES.delete],
  },
  {
    name: 'documents.thumbnail',
    args: () => [{ page_number: 1, url: `${BASE}/document/abc123/image-1.jpg` }, requestOpts()],
    call: (c, a) => c.documents.thumbnail(...(a as [string])),
    routes: [ROUTES.thumbnail],
    anyQuery: true,
  },
  {
    name: 'credits.topup',
    args: () => [{ amount: 500 }, requestOpts()],
    call: (c, a) => c.credits.topup(...(a as [never])),
    routes: [ROUTES.topup],
  },
  {
    name: 'parseWebhook',
    args: () => [
      DELIVERY,
      {
        secret: SECRET,
        signature: `sha256=${createHmac('sha256', SECRET).update(DELIVERY).digest('hex')}`,
        verify: true,
        maxBytes: 1_000_000,
      },
    ],
    call: (_c, a) => parseWebhook(...(a as [string])),
    routes: [],
    refusal: [InvalidParamsError, WebhookVerificationError],
  },
  {
    name: 'new HandwritingOCR',
    args: () => [
      {
        apiToken: TOKEN,
        baseUrl: BASE,
        fetch: (request: Request) => current.fetch(request),
        maxRetries: 1,
        timeoutMs: 60_000,
        logger: recordingLogger(),
        logLevel: 'debug',
        defaultHeaders: { 'x-app': 'props' },
      },
    ],
    call: (_c, a) => new HandwritingOCR(...(a as [])).users.me(), // a refusal throws at once
    routes: [ROUTES.me],
    refusal: [HandwritingOCRError],
    sync: true,
  },
];

// The server of the current call (the constructor's `fetch` option forwards to it).
let current = server();

/**
 * Each way to put `value` into `args`: as each argument, and as each key of each plain-object argument (nested). A
 * function is not put where a function belongs (`fetch`, a logger method, `onStatus`): what a caller's own function
 * does when called is the caller's business.
 */
function* placements(args: unknown[], value: () => unknown): Generator<[string, unknown[]]> {
  const fits = (original: unknown, made: unknown) =>
    !(typeof original === 'function' && typeof made === 'function');
  const plain = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
  for (const [i, arg] of args.entries()) {
    const at = (replacement: unknown) => args.map((a, j) => (j === i ? replacement : a));
    yield [`argument ${i}`, at(value())];
    if (!plain(arg)) continue;
    for (const [key, inner] of Object.entries(arg)) {
      const made = value();
      if (fits(inner, made)) yield [`argument ${i}.${key}`, at({ ...arg, [key]: made })];
      if (!plain(inner)) continue;
      for (const [innerKey, innermost] of Object.entries(inner)) {
        const deep = value();
        if (fits(innermost, deep))
          yield [`argument ${i}.${key}.${innerKey}`, at({ ...arg, [key]: { ...inner, [innerKey]: deep } })];
      }
    }
  }
}

describe('exotic values in every place a caller can put one', () => {
  for (const signature of SIGNATURES) {
    it(signature.name, async () => {
      const run = async (args: unknown[]) => {
        current = server({ thumbnails: signature.routes.includes(ROUTES.thumbnail) });
        const client = clientOf(current);
        const call = () => signature.call(client, args);
        // A synchronous throw is the constructor's way; the other methods are checked by outcomeOf.
        return signature.timers ? withFakeTimers(call) : outcomeOf(call);
      };
      const baseline = await run(signature.args());
      if (baseline.kind !== 'resolved') expect.fail(`valid arguments fail: ${describeError(baseline.error)}`);
      for (const [label, value] of Object.entries(EXOTIC)) {
        for (const [where, args] of placements(signature.args(), value)) {
          const outcome = await run(args);
          try {
            expectRule(outcome, { ...signature, server: current });
          } catch (err) {
            throw new Error(`${label} as ${where}: ${(err as Error).message}`);
          }
        }
      }
    });
  }
});

// ---- Counterexamples the properties found, kept as plain cases ----------------------------------------------------

describe('counterexamples found by the properties (each was a raw error or a broken client before)', () => {
  const refusedUpload = (file: unknown) => async () => {
    const s = server();
    const outcome = await outcomeOf(() =>
      clientOf(s).documents.upload({ file: file as never, action: 'transcribe' }),
    );
    expect(outcome.kind === 'rejected' && outcome.error).toBeInstanceOf(InvalidParamsError);
    expectRule(outcome, { server: s, routes: [] });
  };

  it('a baseUrl with credentials is refused (fetch would refuse every request built on it)', () => {
    for (const baseUrl of ['https://user:pass@api.example.test/v3', 'https://:pass@api.example.test/v3']) {
      expect(() => new HandwritingOCR({ apiToken: TOKEN, baseUrl })).toThrow(InvalidParamsError);
    }
  });

  it('downloadToFile to a path ending in a separator (a directory that does not exist yet)', async () => {
    const s = server();
    const outcome = await outcomeOf(() =>
      clientOf(s).documents.downloadToFile('abc123', 'txt', join(dir, 'out', 'new-dir') + sep),
    );
    expect(outcome.kind === 'rejected' && outcome.error).toBeInstanceOf(InvalidParamsError);
    expectRule(outcome, { server: s, routes: [] });
    expect(readdirSync(join(dir, 'out')).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('an async iterable whose iterator is not one', refusedUpload({ [Symbol.asyncIterator]: () => 42 }));

  it('a locked web stream', () => {
    const stream = new Blob([PDF_BYTES]).stream();
    stream.getReader();
    return refusedUpload(stream)();
  });

  it('a Node Readable whose path getter throws', () => {
    const stream = Readable.from([Buffer.from(PDF_BYTES)]);
    Object.defineProperty(stream, 'path', {
      get() {
        throw new Error('the getter of path throws');
      },
    });
    return refusedUpload(stream)();
  });

  it('a signal whose `aborted` getter throws', async () => {
    const s = server();
    const signal = Object.defineProperty({ addEventListener() {}, removeEventListener() {} }, 'aborted', {
      get() {
        throw new Error('the getter of aborted throws');
      },
    });
    const outcome = await outcomeOf(() => clientOf(s).users.me({ signal: signal as never }));
    expect(outcome.kind === 'rejected' && outcome.error).toBeInstanceOf(InvalidParamsError);
    expectRule(outcome, { server: s, routes: [] });
  });

  it('a Proxy as headers, file, webhook body or secret; a revoked Proxy as options', async () => {
    const s = server();
    const client = clientOf(s);
    const revoked = EXOTIC['a revoked Proxy'] as () => never;
    const calls = [
      () => client.users.me({ headers: throwingProxy() as never }),
      () => client.documents.upload({ file: throwingProxy() as never, action: 'transcribe' }),
      () => parseWebhook(throwingProxy() as never, { verify: false }),
      () => parseWebhook(DELIVERY, { secret: throwingProxy() as never, signature: 'sha256=00' }),
      () => client.documents.list(revoked()),
      () => client.documents.download(revoked(), 'txt'),
    ];
    for (const call of calls) {
      const outcome = await outcomeOf(call);
      expect(outcome.kind === 'rejected' && outcome.error).toBeInstanceOf(InvalidParamsError);
      expectRule(outcome, { server: s, routes: [] });
    }
    // A signature that cannot be read is no signature.
    const unsigned = await outcomeOf(() => parseWebhook(DELIVERY, { secret: SECRET, signature: revoked() }));
    expect(unsigned.kind === 'rejected' && unsigned.error).toBeInstanceOf(WebhookVerificationError);
    expect(() => new HandwritingOCR({ apiToken: TOKEN, defaultHeaders: throwingProxy() as never })).toThrow(
      InvalidParamsError,
    );
  });
});
