// What a debug line says (mutation survivors of issue #18): the duration, the error of a failed attempt, which
// bodies are shown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logAttempt } from '../../src/debug-log.js';
import { HandwritingOCR } from '../../src/index.js';
import { Log, scrubberFor } from '../../src/log.js';
import { jsonResponse, TOKEN } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

interface Line {
  text: string;
  details: Record<string, unknown>;
}

function debugClient(respond: () => Response | Promise<Response>): { client: HandwritingOCR; lines: Line[] } {
  const lines: Line[] = [];
  const ignore = () => {};
  const client = new HandwritingOCR({
    apiToken: TOKEN,
    baseUrl: 'https://api.example.test/v3',
    logLevel: 'debug',
    logger: {
      debug: (text: string, details: unknown) => lines.push({ text, details: details as Line['details'] }),
      info: ignore,
      warn: ignore,
      error: ignore,
    },
    fetch: async () => respond(),
    maxRetries: 0,
  });
  return { client, lines };
}

describe('debug lines', () => {
  it('give the duration of the attempt in ms, to a tenth', async () => {
    vi.useFakeTimers();
    vi.advanceTimersByTime(5_000); // the attempt does not start at 0
    const { client, lines } = debugClient(() => {
      vi.advanceTimersByTime(1_234.56); // the request takes 1234.56 ms
      return jsonResponse(200, { id: 'u1', email: 'a@b.c', balance: 3 });
    });
    await client.users.me();
    expect(lines.map((l) => l.text)).toEqual(['[handwriting-ocr] GET /users/me 200 1234.6 ms (attempt 1)']);
    expect(lines[0]?.details.durationMs).toBe(1_234.6);
  });

  it('of a failed attempt carry its error message, and no body', async () => {
    const { client, lines } = debugClient(() => jsonResponse(404, { message: 'Document not found.' }));
    await expect(client.documents.retrieve('abcde12345')).rejects.toThrow(
      '404 Not Found: Document not found.',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]?.details).toMatchObject({
      method: 'GET',
      path: '/documents/abcde12345',
      status: 404,
      attempt: 1,
      error: '404 Not Found: Document not found.',
    });
    expect(lines[0]?.details).not.toHaveProperty('body');
  });

  it('show a text result as the body', async () => {
    const { client, lines } = debugClient(
      () => new Response('Dear Sir,', { status: 200, headers: { 'content-type': 'text/plain' } }),
    );
    expect(await client.documents.download('abcde12345', 'txt')).toBe('Dear Sir,');
    expect(lines[0]?.details.body).toBe('Dear Sir,');
    expect(lines[0]?.details).not.toHaveProperty('error');
  });

  it('of a call with no result (a delete) show no body, and the call still resolves', async () => {
    const { client, lines } = debugClient(() => new Response(null, { status: 204 }));
    await expect(client.documents.delete('abcde12345')).resolves.toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.text).toBe(
      `[handwriting-ocr] DELETE /documents/abcde12345 204 ${lines[0]?.details.durationMs} ms (attempt 1)`,
    );
    expect(lines[0]?.details).not.toHaveProperty('body');
  });
});

describe('logAttempt: which results are shown as the body', () => {
  /** The details logAttempt gives for a 200 whose result is `data`. */
  function detailsFor(data: unknown): Record<string, unknown> {
    const seen: unknown[] = [];
    const ignore = () => {};
    const logger = {
      debug: (_text: string, details: unknown) => seen.push(details),
      info: ignore,
      warn: ignore,
      error: ignore,
    };
    const log = new Log(logger, 'debug', scrubberFor(TOKEN));
    const spec = { method: 'GET', path: '/x', retry: 'idempotent' } as const;
    logAttempt(log, spec, 1, performance.now(), { data, response: new Response(null, { status: 200 }) }, {});
    expect(seen).toHaveLength(1);
    return seen[0] as Record<string, unknown>;
  }

  it.each([
    ['text', 'Dear Sir,'],
    ['a JSON array', [{ id: 'a' }, { id: 'b' }]],
    ['a JSON object', { id: 'a' }],
  ])('%s is shown', (_name, data) => {
    expect(detailsFor(data).body).toEqual(data);
  });

  it.each([
    ['bytes', new Uint8Array([1, 2, 3])],
    ['a stream', new ReadableStream()],
    ['nothing', undefined],
    ['null', null],
  ])('%s is left out', (_name, data) => {
    expect(detailsFor(data)).not.toHaveProperty('body');
  });
});
