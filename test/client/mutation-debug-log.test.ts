// What a debug line says (mutation survivors of issue #18): the duration, the error of a failed attempt, which
// bodies are shown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HandwritingOCR } from '../../src/index.js';
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
