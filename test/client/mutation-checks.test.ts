// Client-side checks at their edges: the survivors of mutation testing (issue #18) that are real behaviour.
// Each case fails if a bound, a pattern anchor or a type guard in src/checks.ts is loosened.
import { describe, expect, it } from 'vitest';
import { checkBaseUrl, isLoopback, MAX_FILE_BYTES } from '../../src/checks.js';
import { HandwritingOCR, InvalidParamsError, type UploadParams } from '../../src/index.js';
import { fakeClient, jsonResponse, PDF, PROCESSED, TOKEN } from './helpers.js';

const UPLOADED = { id: 'abcde12345', status: 'queued' };

function setup(body: unknown = PROCESSED) {
  return fakeClient((request) =>
    jsonResponse(request.method === 'POST' ? 201 : 200, request.method === 'POST' ? UPLOADED : body),
  );
}

/** Runs `call`, expects an InvalidParamsError for `param` with nothing sent; returns the error. */
async function refused(
  call: (c: HandwritingOCR) => Promise<unknown>,
  param: string,
): Promise<InvalidParamsError> {
  const { client, requests } = setup();
  const err = await call(client).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidParamsError);
  expect((err as InvalidParamsError).param).toBe(param);
  expect(requests).toHaveLength(0);
  return err as InvalidParamsError;
}

/** Runs `call` and expects it to be sent (one request); returns that request. */
async function sent(call: (c: HandwritingOCR) => Promise<unknown>): Promise<Request> {
  const { client, requests } = setup();
  await call(client);
  expect(requests).toHaveLength(1);
  return requests[0] as Request;
}

const upload = (params: Partial<UploadParams>) => (c: HandwritingOCR) =>
  c.documents.upload({ file: PDF, action: 'transcribe', ...params } as UploadParams);

const make = (options: Record<string, unknown>) => () =>
  new HandwritingOCR({ apiToken: TOKEN, ...options } as never);

function constructorRefuses(options: Record<string, unknown>, param: string): InvalidParamsError {
  const err = (() => {
    try {
      make(options)();
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  expect(err).toBeInstanceOf(InvalidParamsError);
  expect((err as InvalidParamsError).param).toBe(param);
  return err as InvalidParamsError;
}

describe('baseUrl: the token never travels in clear text', () => {
  it.each([
    'http://127.0.0.1.example.com/v3',
    'http://localhost.example.com/v3',
    'http://x127.0.0.1.nip.io/v3',
    'http://api.example.test/v3',
  ])('refuses plain http to %s', (baseUrl) => {
    expect(constructorRefuses({ baseUrl }, 'baseUrl').message).toMatch(/clear text/);
  });

  it.each([
    'http://127.0.0.1:8080/v3',
    'http://127.255.255.255/v3',
    'http://localhost/v3',
    'http://[::1]:1/v3',
  ])('allows plain http on loopback %s', (baseUrl) => {
    expect(make({ baseUrl })).not.toThrow();
  });

  it('isLoopback: only localhost, ::1 and 127.0.0.0/8 dotted quads of bytes', () => {
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.255.255.255')).toBe(true);
    expect(isLoopback('127.0.0.256')).toBe(false);
    expect(isLoopback('127.256.0.1')).toBe(false);
    expect(isLoopback('127.0.0.1.example.com')).toBe(false);
    expect(isLoopback('a127.0.0.1')).toBe(false);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('127.0.1')).toBe(false);
    expect(isLoopback('127.0.0.1000')).toBe(false);
    expect(isLoopback('localhost.')).toBe(false);
  });

  it.each(['https://api.example.test/v3?x=1', 'https://api.example.test/v3#frag'])(
    'refuses a query or a fragment: %s',
    (baseUrl) => {
      expect(constructorRefuses({ baseUrl }, 'baseUrl').message).toMatch(/query or a fragment/);
    },
  );

  it.each(['ftp://api.example.test/v3', 'not a url', ''])('refuses %j', (baseUrl) => {
    constructorRefuses({ baseUrl }, 'baseUrl');
  });

  it('refuses a baseUrl that is not a string', () => {
    expect(constructorRefuses({ baseUrl: 42 }, 'baseUrl').message).toBe('baseUrl must be a string.');
  });

  it('checkBaseUrl refuses a URL object too: it takes the string a user or the environment gave', () => {
    expect(() => checkBaseUrl(new URL('https://api.example.test/v3'))).toThrow(InvalidParamsError);
    expect(checkBaseUrl('https://api.example.test/v3/')).toBe('https://api.example.test/v3');
  });

  it('refuses credentials in the URL, saying to pass apiToken', () => {
    const err = constructorRefuses({ baseUrl: 'https://user:pass@api.example.test/v3' }, 'baseUrl');
    expect(err.message).toBe('baseUrl must not carry credentials (user:password@); pass apiToken.');
  });

  it('drops trailing slashes, so paths are joined with one', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(200, PROCESSED), {
      baseUrl: 'https://api.example.test/v3//',
    });
    await client.documents.retrieve('abcde12345');
    expect(requests[0]?.url).toBe('https://api.example.test/v3/documents/abcde12345');
  });
});

describe('client options: types checked at construction', () => {
  it.each([
    [{ apiToken: 42 }, 'apiToken'],
    [{ fetch: 'fetch' }, 'fetch'],
    [{ logger: { debug() {}, info() {}, warn() {} } }, 'logger'],
    [{ logger: () => {} }, 'logger'],
    [{ logLevel: 3 }, 'logLevel'],
    [{ timeout: 5 }, 'client options'],
  ])('%o', (options, param) => {
    constructorRefuses(options, param);
  });

  it('accepts a full logger, a string level, a fetch and a string token', () => {
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    expect(make({ logger, logLevel: 'debug', fetch: async () => new Response() })).not.toThrow();
  });
});

describe('upload fields', () => {
  it.each(['', '   ', '\t\n'])('a blank fileName %j is refused', async (fileName) => {
    await refused(upload({ fileName }), 'fileName');
  });

  it('a fileName that is not a string is refused', () =>
    refused(upload({ fileName: 42 as never }), 'fileName'));

  it('a fileName with text around spaces is sent as given', async () => {
    const request = await sent(upload({ fileName: ' a b.pdf ' }));
    const form = await request.formData();
    expect((form.get('file') as File).name).toBe(' a b.pdf ');
  });

  it('params missing or not an object', async () => {
    const { client, requests } = setup();
    for (const params of [undefined, null]) {
      const err = await client.documents.upload(params as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidParamsError);
      expect((err as Error).message).toMatch(/needs a params object/);
    }
    await expect(client.documents.upload([] as never)).rejects.toThrow(
      /upload params must be an object; got an array/,
    );
    await expect(client.documents.upload('x' as never)).rejects.toThrow(/must be an object; got "x"/);
    expect(requests).toHaveLength(0);
  });

  it('an action that is not a string, or an inherited key', async () => {
    const err = await refused(upload({ action: 5 as never }), 'action');
    expect(err.message).toBe('action must be one of transcribe, tables, extractor; got 5.');
    await refused(upload({ action: 'toString' as never }), 'action');
  });

  it('extractor_id: required for extractor (also when empty), 1..64 letters and digits', async () => {
    await refused(upload({ action: 'extractor', extractor_id: '' }), 'extractor_id');
    await refused(upload({ action: 'extractor', extractor_id: 'a'.repeat(65) }), 'extractor_id');
    await refused(upload({ action: 'extractor', extractor_id: 'ab-c' }), 'extractor_id');
    await refused(upload({ action: 'extractor', extractor_id: 'x\nabc' }), 'extractor_id');
    await refused(upload({ action: 'extractor', extractor_id: 12 as never }), 'extractor_id');
    await refused(upload({ extractor_id: 'ab-c' }), 'extractor_id');
    const request = await sent(upload({ action: 'extractor', extractor_id: 'a'.repeat(64) }));
    expect((await request.formData()).get('extractor_id')).toBe('a'.repeat(64));
    await sent(upload({ action: 'extractor', extractor_id: 'Z' }));
  });

  it('prompt_id: 1..255 characters, no control characters', async () => {
    await refused(upload({ prompt_id: '' }), 'prompt_id');
    await refused(upload({ prompt_id: 'x'.repeat(256) }), 'prompt_id');
    await refused(upload({ prompt_id: 'a\u0007b' }), 'prompt_id');
    await refused(upload({ prompt_id: 7 as never }), 'prompt_id');
    await sent(upload({ prompt_id: 'é'.repeat(255) }));
    await sent(upload({ prompt_id: 'p' }));
  });

  it('delete_after: whole seconds from 300 to 1209600', async () => {
    for (const delete_after of [299, 1_209_601, 300.5, '600', Number.NaN]) {
      const err = await refused(upload({ delete_after: delete_after as never }), 'delete_after');
      expect(err.message).toContain('from 300 to 1209600');
    }
    for (const delete_after of [300, 1_209_600]) {
      const request = await sent(upload({ delete_after }));
      expect((await request.formData()).get('delete_after')).toBe(String(delete_after));
    }
  });

  it('webhook_url: an absolute http or https URL', async () => {
    await refused(upload({ webhook_url: 'example.com/hook' }), 'webhook_url');
    await refused(upload({ webhook_url: 5 as never }), 'webhook_url');
    await refused(upload({ webhook_url: 'mailto:a@b.c' }), 'webhook_url');
    await sent(upload({ webhook_url: 'http://hooks.example.test/x' }));
    await sent(upload({ webhook_url: 'https://hooks.example.test/x' }));
  });

  it('an unknown key is refused, naming the keys it knows', async () => {
    const err = await refused(upload({ delete: 300 } as never), 'upload params');
    expect(err.message).toBe(
      'upload params: unknown key "delete"; expected file, fileName, action, delete_after, extractor_id, webhook_url, prompt_id.',
    );
  });

  it('a file of exactly 20 MiB is sent; one byte more is refused', async () => {
    const file = new Uint8Array(MAX_FILE_BYTES);
    file.set(PDF);
    await sent(upload({ file }));
    const err = await refused(upload({ file: new Uint8Array(MAX_FILE_BYTES + 1).fill(0x25) }), 'file');
    expect(err.message).toBe('The file is 20.0 MB; the API accepts at most 20 MB.');
    expect(MAX_FILE_BYTES).toBe(20 * 1024 * 1024);
  });
});

describe('ids', () => {
  it.each([undefined, null, 42, {}, ['abc'], ''])('a non-string or empty id %o is refused', async (id) => {
    const err = await refused((c) => c.documents.retrieve(id as never), 'id');
    expect(err.message).toBe('Document id must be a non-empty string.');
    await refused((c) => c.documents.delete(id as never), 'id');
    await refused((c) => c.documents.waitForProcessing(id as never), 'id');
  });

  it.each(['a/b', '..', 'abc.txt', 'abc?x', 'abc#x', ' abc', 'abc\n'])(
    'a path-breaking id %j',
    async (id) => {
      const err = await refused((c) => c.documents.retrieve(id), 'id');
      expect(err.message).toBe(
        `Document id ${JSON.stringify(id)} is not valid: ids are letters and digits only.`,
      );
    },
  );

  it('shows at most 40 characters of a bad id', async () => {
    const id = `${'a'.repeat(50)}/`;
    const err = await refused((c) => c.documents.retrieve(id), 'id');
    expect(err.message).toContain(JSON.stringify(`${'a'.repeat(40)}…`));
    expect(err.message).not.toContain('a'.repeat(41));
  });
});

describe('list params', () => {
  it('list() with no argument sends no query', async () => {
    const { client, requests } = fakeClient(() =>
      jsonResponse(200, { documents: [], current_page: 1, last_page: 1, per_page: 10, total: 0 }),
    );
    await client.documents.list();
    expect(requests).toHaveLength(1);
    expect(new URL((requests[0] as Request).url).search).toBe('');
  });

  it('the boundaries: page 1 and per_page 1 and 200 are sent; 0 and 201 are not', async () => {
    const page = { documents: [], current_page: 1, last_page: 1, per_page: 200, total: 0 };
    for (const params of [{ page: 1 }, { per_page: 200 }, { per_page: 1 }, { page: 1, per_page: 200 }]) {
      const { client, requests } = fakeClient(() => jsonResponse(200, page));
      await client.documents.list(params);
      const query = new URL((requests[0] as Request).url).searchParams;
      for (const [key, value] of Object.entries(params)) expect(query.get(key)).toBe(String(value));
    }
    for (const [params, param] of [
      [{ page: 0 }, 'page'],
      [{ page: 1.5 }, 'page'],
      [{ page: '2' }, 'page'],
      [{ per_page: 0 }, 'per_page'],
      [{ per_page: 201 }, 'per_page'],
      [{ per_page: 2.5 }, 'per_page'],
    ] as const) {
      const err = await refused((c) => c.documents.list(params as never), param);
      expect(err.message).toMatch(param === 'page' ? /≥ 1; got/ : /from 1 to 200; got/);
    }
  });

  it('shows bigints, long strings and other values briefly in messages', async () => {
    expect((await refused((c) => c.documents.list({ page: 5n } as never), 'page')).message).toBe(
      'page must be a whole number ≥ 1; got 5n.',
    );
    expect((await refused((c) => c.documents.list({ page: 'x'.repeat(50) } as never), 'page')).message).toBe(
      `page must be a whole number ≥ 1; got "${'x'.repeat(40)}…".`,
    );
    expect((await refused((c) => c.documents.list({ page: [1] } as never), 'page')).message).toBe(
      'page must be a whole number ≥ 1; got an array.',
    );
    expect((await refused((c) => c.documents.list({ page: Symbol('s') } as never), 'page')).message).toBe(
      'page must be a whole number ≥ 1; got a symbol.',
    );
    expect((await refused((c) => c.documents.list({ page: {} } as never), 'page')).message).toBe(
      'page must be a whole number ≥ 1; got an object.',
    );
    expect((await refused((c) => c.documents.list({ page: () => 1 } as never), 'page')).message).toBe(
      'page must be a whole number ≥ 1; got a function.',
    );
    expect((await refused((c) => c.documents.list({ page: null } as never), 'page')).message).toBe(
      'page must be a whole number ≥ 1; got null.',
    );
    expect((await refused((c) => c.documents.list({ page: true } as never), 'page')).message).toBe(
      'page must be a whole number ≥ 1; got true.',
    );
  });
});

describe('topup amount', () => {
  it.each([0, -100, 150, 100.5, '100', 2 ** 53 * 100, Number.NaN])('refuses %o', async (amount) => {
    const err = await refused((c) => c.credits.topup({ amount } as never), 'amount');
    expect(err.message).toMatch(/^amount must be a positive multiple of 100; got /);
  });

  it('refuses no params', async () => {
    for (const params of [undefined, null]) {
      const err = await refused((c) => c.credits.topup(params as never), 'amount');
      expect(err.message).toBe('topup() needs { amount }.');
    }
  });
});

describe('request options', () => {
  it.each([
    [{ maxRetries: -1 }, 'maxRetries'],
    [{ maxRetries: 1.5 }, 'maxRetries'],
    [{ maxRetries: '2' }, 'maxRetries'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ timeoutMs: -1 }, 'timeoutMs'],
    [{ timeoutMs: Number.NaN }, 'timeoutMs'],
    [{ timeoutMs: '5' }, 'timeoutMs'],
    [{ signal: { aborted: false, addEventListener() {} } }, 'signal'],
    [{ signal: { aborted: 'no', addEventListener() {}, removeEventListener() {} } }, 'signal'],
    [{ signal: null }, 'signal'],
    // A function with the members of a signal is not one.
    [
      {
        signal: Object.assign(() => {}, { aborted: false, addEventListener() {}, removeEventListener() {} }),
      },
      'signal',
    ],
    [{ headers: { 'x-a': 'b\r\nc' } }, 'headers'],
    [{ headers: { 'x a': 'b' } }, 'headers'],
    [{ headers: { 'x-a': 5 } }, 'headers'],
    [{ headers: new Headers({ 'x-a': 'b' }), timeout: 1 }, 'options'],
  ])('%o is refused', async (options, param) => {
    await refused((c) => c.users.me(options as never), param);
  });

  it('a header value is not shown (it may be a credential); a bad name is', async () => {
    const bad = await refused((c) => c.users.me({ headers: { 'x-key': 'sec\nret' } }), 'headers');
    expect(bad.message).toBe(
      'headers: the value of x-key must be a string without line breaks or control characters.',
    );
    const name = await refused((c) => c.users.me({ headers: { 'x key': 'v' } }), 'headers');
    expect(name.message).toBe('headers: "x key" is not a valid header name.');
  });

  it('a Headers object, tabs and Latin-1 in values, timeoutMs Infinity and maxRetries 0 are accepted', async () => {
    const request = await sent((c) =>
      c.documents.retrieve('abcde12345', {
        headers: new Headers({ 'x-trace': 'a\tb' }) as never,
        timeoutMs: Number.POSITIVE_INFINITY,
        maxRetries: 0,
      }),
    );
    expect(request.headers.get('x-trace')).toBe('a\tb');
  });
});

describe('formats', () => {
  it('refuses a format the action does not offer, naming the ones it does', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(200, PROCESSED));
    const err = await client.documents.download(PROCESSED, 'xlsx' as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as Error).message).toBe('A "transcribe" document offers txt, docx, json; not xlsx.');
    expect(requests).toHaveLength(0);
  });

  it('refuses a format that is not a string or an inherited key', async () => {
    for (const format of [5, 'toString', 'TXT']) {
      const err = await refused((c) => c.documents.download('abcde12345', format as never), 'format');
      expect(err.message).toMatch(/^format must be one of txt, csv, json, docx, xlsx; got /);
    }
  });
});

describe('options read once, each read guarded', () => {
  it('a logger whose getter throws is refused as unreadable', () => {
    const logger = {
      debug() {},
      info() {},
      warn() {},
      get error(): never {
        throw new Error('boom');
      },
    };
    expect(constructorRefuses({ logger }, 'logger').message).toBe('logger could not be read.');
  });

  it('an options object whose getter throws is refused as unreadable', () => {
    const options = {
      apiToken: TOKEN,
      get baseUrl(): never {
        throw new Error('boom');
      },
    };
    const err = (() => {
      try {
        return new HandwritingOCR(options);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as Error).message).toBe('client options could not be read.');
  });

  it('defaultHeaders are checked like per-call headers, and may be a Headers object', async () => {
    expect(constructorRefuses({ defaultHeaders: { 'x-a': 'b\nc' } }, 'defaultHeaders').message).toBe(
      'defaultHeaders: the value of x-a must be a string without line breaks or control characters.',
    );
    constructorRefuses({ defaultHeaders: 'x-a: b' }, 'defaultHeaders');
    const { client, requests } = fakeClient(() => jsonResponse(200, { id: 'u', email: 'e', balance: 1 }), {
      defaultHeaders: new Headers({ 'x-team': 'ocr' }) as never,
    });
    await client.users.me();
    expect(requests[0]?.headers.get('x-team')).toBe('ocr');
  });
});

describe('wait durations', () => {
  it.each([
    [{ timeoutMs: Number.POSITIVE_INFINITY }, 'timeoutMs', 'a finite number of ms ≥ 0; got Infinity'],
    [{ timeoutMs: -1 }, 'timeoutMs', 'a finite number of ms ≥ 0; got -1'],
    [{ timeoutMs: '5' }, 'timeoutMs', 'a finite number of ms ≥ 0; got "5"'],
    [{ pollIntervalMs: -5 }, 'pollIntervalMs', 'a finite number of ms > 0; got -5'],
    [{ maxPollIntervalMs: '5' }, 'maxPollIntervalMs', 'a finite number of ms > 0; got "5"'],
  ])('%o is refused', async (options, param, text) => {
    const err = await refused((c) => c.documents.waitForProcessing('abcde12345', options as never), param);
    expect(err.message).toBe(`${param} must be ${text}.`);
  });

  it('a wait of timeoutMs 0 polls once and gives up', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(202, { id: 'abcde12345', status: 'queued' }), {
      baseUrl: 'http://127.0.0.1:9/v3',
    });
    const err = await client.documents.waitForProcessing('abcde12345', { timeoutMs: 0 }).catch((e) => e);
    expect(err?.name).toBe('WaitTimeoutError');
    expect(requests).toHaveLength(1);
  });
});

describe('every refusal says what is wrong', () => {
  it.each([
    [
      upload({ action: 'extractor', extractor_id: '' }),
      'extractor_id is required when action is "extractor".',
    ],
    [upload({ action: 'extractor' }), 'extractor_id is required when action is "extractor".'],
    [upload({ extractor_id: 'a-b' }), 'extractor_id must be 1 to 64 letters or digits (e.g. "Ks08XVPyMd").'],
    [upload({ prompt_id: '' }), 'prompt_id must be 1 to 255 characters, none of them control characters.'],
    [upload({ webhook_url: 'x' }), 'webhook_url must be an absolute http(s) URL.'],
    [upload({ fileName: ' ' }), 'fileName must be a non-empty string.'],
    [upload({ action: undefined }), 'action must be one of transcribe, tables, extractor; got undefined.'],
    [(c: HandwritingOCR) => c.documents.list('x' as never), 'list params must be an object; got "x".'],
    [(c: HandwritingOCR) => c.documents.list(null as never), 'list params must be an object; got null.'],
    [
      (c: HandwritingOCR) => c.documents.list({ size: 5 } as never),
      'list params: unknown key "size"; expected page, per_page.',
    ],
    [
      (c: HandwritingOCR) => c.credits.topup({ amount: 100, currency: 'EUR' } as never),
      'topup params: unknown key "currency"; expected amount.',
    ],
    [(c: HandwritingOCR) => c.users.me({ maxRetries: -1 }), 'maxRetries must be a whole number ≥ 0.'],
    [(c: HandwritingOCR) => c.users.me({ timeoutMs: 0 }), 'timeoutMs must be a number of ms > 0.'],
    [(c: HandwritingOCR) => c.users.me({ signal: {} as never }), 'signal must be an AbortSignal.'],
  ])('%#: %s', async (call, message) => {
    const { client, requests } = setup();
    const err = await call(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as Error).message).toBe(message);
    expect(requests).toHaveLength(0);
  });

  it.each([
    [{ baseUrl: 'nope' }, 'baseUrl "nope" is not a URL.'],
    [{ baseUrl: 'ftp://x.test/v3' }, 'baseUrl must use https: (got ftp:).'],
    [{ apiToken: 5 }, 'apiToken must be a string.'],
    [{ fetch: 5 }, 'fetch must be a function.'],
    [{ logger: {} }, 'logger must have debug, info, warn and error methods.'],
    [{ logLevel: 4 }, 'logLevel must be a string.'],
  ])('new HandwritingOCR(%o)', (options, message) => {
    expect(constructorRefuses(options, Object.keys(options)[0] as string).message).toBe(message);
  });

  it('a function with the four methods is not a logger object', () => {
    const logger = Object.assign(() => {}, { debug() {}, info() {}, warn() {}, error() {} });
    constructorRefuses({ logger }, 'logger');
  });

  it('a long key or header name is shown cut to 40 characters', async () => {
    const key = `${'k'.repeat(45)} `;
    const header = await refused((c) => c.users.me({ headers: { [key]: 'v' } }), 'headers');
    expect(header.message).toBe(
      `headers: ${JSON.stringify(`${'k'.repeat(40)}…`)} is not a valid header name.`,
    );
    const unknown = await refused((c) => c.users.me({ [key]: 1 } as never), 'options');
    expect(unknown.message).toBe(
      `options: unknown key ${JSON.stringify(`${'k'.repeat(40)}…`)}; expected signal, timeoutMs, maxRetries, headers.`,
    );
  });

  it('a value of exactly 40 characters is shown whole; 41 are cut', async () => {
    const forty = 'x'.repeat(40);
    expect((await refused((c) => c.documents.list({ page: forty } as never), 'page')).message).toBe(
      `page must be a whole number ≥ 1; got "${forty}".`,
    );
    expect((await refused((c) => c.documents.list({ page: `${forty}y` } as never), 'page')).message).toBe(
      `page must be a whole number ≥ 1; got "${forty}…".`,
    );
  });

  it('values that only look like an action, a format or a URL are refused', async () => {
    const txt = { toString: () => 'txt' };
    await refused((c) => c.documents.download('abcde12345', txt as never), 'format');
    await refused(upload({ action: { toString: () => 'transcribe' } as never }), 'action');
    const url = { toString: () => 'https://hooks.example.test/x' };
    await refused(upload({ webhook_url: url as never }), 'webhook_url');
  });

  it('thumbnails resolve under a baseUrl given with trailing slashes', async () => {
    const { client, requests } = fakeClient(
      () => new Response(new Uint8Array([1]), { headers: { 'content-type': 'image/png' } }),
      { baseUrl: 'https://api.example.test/v3//' },
    );
    await client.documents.thumbnail('https://api.example.test/v3/document/abcde12345/image-1.png');
    expect(requests[0]?.url).toBe('https://api.example.test/v3/document/abcde12345/image-1.png');
  });
});
