import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HandwritingOCR, HandwritingOCRError, InvalidParamsError } from '../../src/index.js';
import { fakeClient, jsonResponse, TOKEN } from './helpers.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('constructor', () => {
  it('throws naming the option and the env var when there is no token', () => {
    vi.stubEnv('HANDWRITING_OCR_API_TOKEN', '');
    expect(() => new HandwritingOCR()).toThrow(HandwritingOCRError);
    expect(() => new HandwritingOCR()).toThrow(/apiToken.*HANDWRITING_OCR_API_TOKEN/);
  });

  it('reads the token and the base URL from the environment', async () => {
    vi.stubEnv('HANDWRITING_OCR_API_TOKEN', 'env-token-123');
    vi.stubEnv('HANDWRITING_OCR_BASE_URL', 'https://env.example.test/v3/');
    const seen: Request[] = [];
    const client = new HandwritingOCR({
      fetch: async (r) => {
        seen.push(r);
        return jsonResponse(200, { id: 'u', email: 'e', balance: 1 });
      },
    });
    expect(client.baseUrl).toBe('https://env.example.test/v3');
    await client.users.me();
    expect(seen[0]?.url).toBe('https://env.example.test/v3/users/me');
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer env-token-123');
  });

  it('defaults to the production URL, 2 retries and 60 s', () => {
    vi.stubEnv('HANDWRITING_OCR_BASE_URL', '');
    const client = new HandwritingOCR({ apiToken: TOKEN });
    expect(client.toJSON()).toEqual({
      baseUrl: 'https://api.handwritingocr.com/v3',
      maxRetries: 2,
      timeoutMs: 60_000,
    });
  });

  it.each([
    'http://api.handwritingocr.com/v3',
    'http://192.168.1.10:8080',
    'http://localhost.evil.com',
    'http://128.0.0.1',
    'ftp://localhost',
    'not a url',
  ])('refuses baseUrl %s', (baseUrl) => {
    expect(() => new HandwritingOCR({ apiToken: TOKEN, baseUrl })).toThrow(InvalidParamsError);
  });

  it.each([
    'http://localhost:4010',
    'http://127.0.0.1:3000/v3',
    'http://127.1.2.3',
    'http://[::1]:8080',
    'https://example.com',
  ])('accepts baseUrl %s', (baseUrl) => {
    expect(new HandwritingOCR({ apiToken: TOKEN, baseUrl }).baseUrl).toBe(baseUrl.replace(/\/$/, ''));
  });

  it('refuses a token a header cannot carry, without echoing it', () => {
    const bad = 'secret-token\nInjected: yes';
    let message = '';
    try {
      new HandwritingOCR({ apiToken: bad });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/cannot be sent/);
    expect(message).not.toContain('secret-token');
  });

  it('validates maxRetries and timeoutMs', () => {
    expect(() => new HandwritingOCR({ apiToken: TOKEN, maxRetries: -1 })).toThrow(InvalidParamsError);
    expect(() => new HandwritingOCR({ apiToken: TOKEN, timeoutMs: 0 })).toThrow(InvalidParamsError);
  });
});

describe('the token stays secret', () => {
  const client = new HandwritingOCR({ apiToken: TOKEN, baseUrl: 'https://api.example.test' });

  it('is not in String(), JSON.stringify() or util.inspect()', () => {
    expect(String(client)).not.toContain(TOKEN);
    expect(`${client}`).toContain('api.example.test');
    expect(JSON.stringify(client)).not.toContain(TOKEN);
    expect(inspect(client, { showHidden: true, depth: Number.POSITIVE_INFINITY })).not.toContain(TOKEN);
    for (const part of [client.documents, client.users, client.credits]) {
      expect(inspect(part, { showHidden: true, depth: Number.POSITIVE_INFINITY })).not.toContain(TOKEN);
      expect(JSON.stringify(part)).not.toContain(TOKEN);
    }
  });

  it('is scrubbed from error messages even if the server echoes it', async () => {
    const { client } = fakeClient(() => jsonResponse(401, { message: `Token ${TOKEN} is revoked.` }));
    const err = (await client.users.me().catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('[REDACTED]');
    expect(err.message).not.toContain(TOKEN);
  });

  it('sends defaultHeaders and per-call headers', async () => {
    const { client, requests } = fakeClient(() => jsonResponse(200, { id: 'u', email: 'e', balance: 1 }), {
      defaultHeaders: { 'X-App': 'demo' },
    });
    await client.users.me({ headers: { 'X-Trace': 't1' } });
    expect(requests[0]?.headers.get('x-app')).toBe('demo');
    expect(requests[0]?.headers.get('x-trace')).toBe('t1');
  });
});
