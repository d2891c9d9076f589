// Keeping secrets out of what the SDK hands back: the scrubber, the secrets of request headers, redaction of
// bodies, and the cause of a connection error (mutation survivors of issue #18 in src/secrets.ts).
import { describe, expect, it } from 'vitest';
import { APIConnectionError, HandwritingOCR, InternalServerError } from '../../src/index.js';
import {
  headerSecrets,
  REDACTED,
  redact,
  safeCause,
  scrubberFor,
  scrubHeaders,
  TRUNCATED,
} from '../../src/secrets.js';
import { jsonResponse, TOKEN } from './helpers.js';

describe('scrubberFor', () => {
  it('replaces every occurrence of each secret of 4 characters or more, and nothing else', () => {
    expect(scrubberFor('abcd')('xabcdx abcd')).toBe(`x${REDACTED}x ${REDACTED}`);
    expect(scrubberFor('abc', '', 'xy')('abc about xyz')).toBe('abc about xyz');
    expect(scrubberFor()('nothing to hide')).toBe('nothing to hide');
  });

  it('a longer secret holding a shorter one goes whole, whatever order they come in', () => {
    const key = 'key-1234';
    const token = 'key-1234-secret-5678';
    for (const scrub of [scrubberFor(key, token), scrubberFor(token, key)]) {
      expect(scrub(`token ${token}, key ${key}`)).toBe(`token ${REDACTED}, key ${REDACTED}`);
    }
  });
});

describe('headerSecrets', () => {
  it('none without credential headers', () => {
    expect(headerSecrets(undefined)).toEqual([]);
    expect(headerSecrets({})).toEqual([]);
    expect(headerSecrets({ Accept: 'application/json', 'X-Trace': 'abc def' })).toEqual([]);
  });

  it('the value of each credential header, and its credential part', () => {
    expect(
      headerSecrets({
        Accept: 'application/json',
        'X-Api-Key': 'key-abcdef',
        Authorization: 'Bearer tok-abcdef',
      }),
    ).toEqual(['key-abcdef', 'Bearer tok-abcdef', 'tok-abcdef']);
    expect(headerSecrets({ authorization: 'Basic  dXNlcjpwYXNz' })).toEqual([
      'Basic  dXNlcjpwYXNz',
      'dXNlcjpwYXNz',
    ]);
    expect(headerSecrets({ 'proxy-authorization': 'Token a b c' })).toEqual(['Token a b c', 'a b c']);
  });

  it('trimmed as fetch sends them (a bug fix: blanks around a value let its echo through)', () => {
    expect(headerSecrets({ Authorization: ' Bearer tok-abcdef\t' })).toEqual([
      'Bearer tok-abcdef',
      'tok-abcdef',
    ]);
  });

  it('an echo of a blank-padded API key is scrubbed from the error', async () => {
    const key = 'key-abcdef-0123';
    const client = new HandwritingOCR({
      apiToken: TOKEN,
      baseUrl: 'https://api.example.test/v3',
      maxRetries: 0,
      defaultHeaders: { 'X-Api-Key': ` ${key} ` },
      fetch: async (request: Request) =>
        jsonResponse(500, { message: `Bad key ${request.headers.get('x-api-key')}.` }),
    });
    const err = await client.users.me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as Error).message).toBe(`500 Internal Server Error: Bad key ${REDACTED}.`);
    expect(JSON.stringify((err as InternalServerError).body)).not.toContain(key);
  });
});

describe('redact', () => {
  /** `levels` objects, each holding the next under `a`; the innermost holds `{ v: 1 }`'s value 1. */
  const nested = (levels: number, make: (inner: unknown) => unknown = (inner) => ({ a: inner })) => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = make(value);
    return value;
  };

  it('keeps everything without a scrubber but secret-named fields', () => {
    expect(redact({ note: 'plain', n: 1, list: ['x'], ok: true })).toEqual({
      note: 'plain',
      n: 1,
      list: ['x'],
      ok: true,
    });
  });

  it('a secret-named field that is null or undefined stays as it is: there is nothing to hide', () => {
    expect(redact({ token: null, password: undefined, secret: 's3cret' })).toEqual({
      token: null,
      password: undefined,
      secret: REDACTED,
    });
  });

  it('keeps 9 levels of objects or arrays, and truncates the 10th', () => {
    expect(redact(nested(9))).toEqual(nested(9));
    expect(redact(nested(10))).toEqual(nested(9, (inner) => ({ a: inner === 1 ? TRUNCATED : inner })));
    const arrays = (levels: number) => nested(levels, (inner) => [inner]);
    expect(redact(arrays(9))).toEqual(arrays(9));
    expect(redact(arrays(10))).toEqual(nested(9, (inner) => [inner === 1 ? TRUNCATED : inner]));
  });

  it('Headers become a plain object, credentials redacted', () => {
    const headers = new Headers({ 'x-request-id': 'r1', authorization: `Bearer ${TOKEN}` });
    expect(redact({ headers }, scrubberFor(TOKEN))).toEqual({
      headers: { 'x-request-id': 'r1', authorization: REDACTED },
    });
  });
});

describe('the cause of a connection error', () => {
  /** The cause of the APIConnectionError a client gets when its fetch throws `thrown`. */
  async function causeOf(thrown: unknown): Promise<unknown> {
    const client = new HandwritingOCR({
      apiToken: TOKEN,
      baseUrl: 'https://api.example.test/v3',
      maxRetries: 0,
      fetch: async () => {
        throw thrown;
      },
    });
    const err = await client.users.me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(JSON.stringify(err)).not.toContain(TOKEN);
    return (err as Error).cause;
  }

  it('an error that shows the token becomes a copy: same name and string code, message scrubbed', async () => {
    const thrown = Object.assign(new TypeError(`fetch failed for Bearer ${TOKEN}`), { code: 'ECONNRESET' });
    const cause = (await causeOf(thrown)) as Error & { code?: string };
    expect(cause).not.toBe(thrown);
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe('TypeError');
    expect(cause.message).toBe(`fetch failed for Bearer ${REDACTED}`);
    expect(cause.code).toBe('ECONNRESET');
  });

  it('a copy takes no code that is not a string, and names itself Error when the name is not a string', async () => {
    const thrown = Object.assign(new Error(`failed: ${TOKEN}`), { code: 54, name: 7 });
    const cause = (await causeOf(thrown)) as Error;
    expect(cause.name).toBe('Error');
    expect(cause.message).toBe(`failed: ${REDACTED}`);
    expect('code' in cause).toBe(false);
  });

  it('a thrown string that shows the token becomes an Error with it scrubbed', async () => {
    const cause = (await causeOf(`socket closed (${TOKEN})`)) as Error;
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe('Error');
    expect(cause.message).toBe(`socket closed (${REDACTED})`);
    expect('code' in cause).toBe(false);
  });

  it('the token in a nested property, not the message, is found too', async () => {
    const thrown = Object.assign(new Error('fetch failed'), { detail: { sent: [`Bearer ${TOKEN}`] } });
    const cause = (await causeOf(thrown)) as Error;
    expect(cause).not.toBe(thrown);
    expect(cause.message).toBe('fetch failed');
  });

  it('an error without a secret is kept as it is: null, numbers, cycles, throwing getters and all', async () => {
    const thrown = Object.assign(new Error('fetch failed'), {
      detail: null,
      errno: -104,
      code: 'ECONNRESET',
    });
    Object.assign(thrown, { self: thrown });
    Object.defineProperty(thrown, 'broken', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(await causeOf(thrown)).toBe(thrown);
    expect(await causeOf('socket closed')).toBe('socket closed');
  });

  it('an error holding Headers, a Request or a Response is copied even when no secret shows', async () => {
    for (const held of [
      new Headers({ 'x-request-id': 'r1' }),
      new Request('https://api.example.test/v3/users/me'),
      new Response('ok'),
    ]) {
      const thrown = Object.assign(new Error('fetch failed'), { held });
      const cause = (await causeOf(thrown)) as Error;
      expect(cause).not.toBe(thrown);
      expect(cause.message).toBe('fetch failed');
    }
  });

  it('is walked 8 levels below the error; anything deeper is assumed to leak', async () => {
    const chain = (levels: number) => {
      let value: unknown = 'plain';
      for (let i = 0; i < levels; i++) value = { next: value };
      return value;
    };
    const shallow = Object.assign(new Error('fetch failed'), { chain: chain(8) });
    expect(await causeOf(shallow)).toBe(shallow);
    const deep = Object.assign(new Error('fetch failed'), { chain: chain(9) });
    const cause = (await causeOf(deep)) as Error;
    expect(cause).not.toBe(deep);
    expect(cause.message).toBe('fetch failed');
  });
});

describe('safeCause', () => {
  it('null and undefined are kept as they are', () => {
    const scrub = scrubberFor(TOKEN);
    expect(safeCause(null, scrub)).toBeNull();
    expect(safeCause(undefined, scrub)).toBeUndefined();
  });
});

describe('which names are credentials: exactly the listed ones, in any case', () => {
  // Every name SECRET_NAME lists, with each optional separator both present and absent (`apikey`, `api-key` and
  // `api_key` are the same credential header as different servers spell it).
  const SECRET = [
    'Authorization',
    'Proxy-Authorization',
    'token',
    'ApiToken',
    'api-token',
    'api_token',
    'ApiKey',
    'api-key',
    'API_KEY',
    'X-Api-Key',
    'X-Auth-Token',
    'secret',
    'Password',
    'X-Signature',
    'Cookie',
    'Set-Cookie',
  ];
  // Names that only begin or end with a listed one are not credentials: their values are kept.
  const STARTING = ['x-tokenizer', 'token_type', 'tokens_used', 'api-keys-url', 'cookie-policy'];
  const ENDING = ['requires_authorization', 'forgot_password', 'third-party-cookie', 'max_token'];

  it.each(SECRET)('a %s header is a credential: its value and its credential part are secrets', (name) => {
    expect(headerSecrets({ [name]: 'Key k-0123456789' })).toEqual(['Key k-0123456789', 'k-0123456789']);
  });

  it.each(SECRET)('a %s field is redacted', (name) => {
    expect(redact({ [name]: 'k-0123456789', note: 'kept' })).toEqual({ [name]: REDACTED, note: 'kept' });
  });

  it.each([...STARTING, ...ENDING])('%s is not a credential: its value is kept', (name) => {
    expect(headerSecrets({ [name]: 'wordpiece v2' })).toEqual([]);
    expect(redact({ [name]: 'wordpiece v2' })).toEqual({ [name]: 'wordpiece v2' });
    const headers = new Headers({ [name]: 'wordpiece v2' });
    expect(scrubHeaders(headers, (t) => t).get(name)).toBe('wordpiece v2');
  });

  it('a caller header spelled apikey is scrubbed from what the API echoes, like X-Api-Key', async () => {
    const key = 'key-abcdef-0123';
    for (const name of ['apikey', 'ApiToken', 'api_key']) {
      const client = new HandwritingOCR({
        apiToken: TOKEN,
        baseUrl: 'https://api.example.test/v3',
        maxRetries: 0,
        fetch: async (request: Request) =>
          jsonResponse(401, { message: `Unknown key ${request.headers.get(name)}.`, [name]: key }),
      });
      const err = await client.users.me({ headers: { [name]: key } }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(`401 Unauthorized: Unknown key ${REDACTED}.`);
      expect(JSON.stringify((err as { body: unknown }).body)).not.toContain(key);
    }
  });
});
