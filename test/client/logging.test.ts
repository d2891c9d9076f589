import { describe, expect, it, vi } from 'vitest';
import { HandwritingOCR, type Logger } from '../../src/index.js';
import { scrubberFor } from '../../src/log.js';
import { redact } from '../../src/secrets.js';
import { jsonResponse, TOKEN } from './helpers.js';

function capture(): { logger: Logger; lines: { level: string; text: string }[] } {
  const lines: { level: string; text: string }[] = [];
  const log =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      lines.push({ level, text: [message, ...args.map((a) => JSON.stringify(a))].join(' ') });
  return {
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    lines,
  };
}

const USER = { id: 'u1', email: 'a@b.c', balance: 3, token: TOKEN };

function clientWith(logLevel: 'off' | 'warn' | 'debug', responses: Response[]) {
  const { logger, lines } = capture();
  let n = 0;
  const client = new HandwritingOCR({
    apiToken: TOKEN,
    baseUrl: 'https://api.example.test/v3',
    logger,
    logLevel,
    fetch: async () => responses[Math.min(n++, responses.length - 1)] as Response,
  });
  return { client, lines };
}

describe('logging', () => {
  it('is off by default', async () => {
    const { logger, lines } = capture();
    const client = new HandwritingOCR({
      apiToken: TOKEN,
      baseUrl: 'https://api.example.test',
      logger,
      fetch: async () => jsonResponse(200, USER),
    });
    await client.users.me();
    expect(lines).toEqual([]);
  });

  it('debug: method, path, status, duration, attempt; Authorization and token redacted', async () => {
    const { client, lines } = clientWith('debug', [jsonResponse(200, USER)]);
    const user = await client.users.me();
    expect(user.token).toBe(TOKEN); // the caller still gets it
    expect(lines).toHaveLength(1);
    const line = lines[0]?.text ?? '';
    expect(line).toMatch(/GET \/users\/me 200 [\d.]+ ms \(attempt 1\)/);
    expect(line).toContain('"durationMs"');
    expect(line).toContain('"Authorization":"[REDACTED]"');
    expect(line).toContain('"token":"[REDACTED]"');
    expect(line).not.toContain(TOKEN);
  });

  it('warn: retries are logged, without the token', async () => {
    const { client, lines } = clientWith('warn', [
      jsonResponse(503, { message: `bad token ${TOKEN}` }, { 'retry-after': '0' }),
      jsonResponse(200, USER),
    ]);
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter
    try {
      const result = client.users.me();
      await vi.advanceTimersByTimeAsync(500); // Retry-After: 0 is a lower bound: the 0.5 s backoff still applies
      await result;
    } finally {
      vi.useRealTimers();
      vi.restoreAllMocks();
    }
    expect(lines.map((l) => l.level)).toEqual(['warn']);
    expect(lines[0]?.text).toMatch(/GET \/users\/me failed .*retry 1 in 500 ms/);
    expect(lines.map((l) => l.text).join('\n')).not.toContain(TOKEN);
  });

  it('debug lines of failed attempts carry the error, scrubbed', async () => {
    const { client, lines } = clientWith('debug', [jsonResponse(404, { message: `no doc for ${TOKEN}` })]);
    await client.documents.retrieve('abcde12345').catch(() => {});
    expect(lines[0]?.text).toMatch(/GET \/documents\/abcde12345 404/);
    expect(lines[0]?.text).not.toContain(TOKEN);
  });

  it('debug lines leave binary results out (a docx is not dumped byte by byte)', async () => {
    const docx = new Uint8Array(4096).fill(0x50);
    docx.set([0x50, 0x4b, 0x03, 0x04]); // a zip archive's signature
    const { client, lines } = clientWith('debug', [
      new Response(docx, { status: 200, headers: { 'content-type': 'application/octet-stream' } }),
    ]);
    expect(await client.documents.download('abcde12345', 'docx')).toEqual(docx);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.text).toMatch(/GET \/documents\/abcde12345\.docx 200/);
    expect(lines[0]?.text).not.toContain('"body"');
    expect(lines[0]?.text.length).toBeLessThan(1000);
  });

  it('rejects an unknown level', () => {
    expect(() => new HandwritingOCR({ apiToken: TOKEN, logLevel: 'loud' as never })).toThrow(/logLevel/);
  });
});

describe('redact', () => {
  it('replaces secret-named fields deeply and scrubs the token from strings', () => {
    const scrub = scrubberFor(TOKEN);
    expect(
      redact(
        { authorization: 'Bearer x', nested: [{ token: 't', api_token: 'a', ok: `x ${TOKEN} y` }], n: 1 },
        scrub,
      ),
    ).toEqual({
      authorization: '[REDACTED]',
      nested: [{ token: '[REDACTED]', api_token: '[REDACTED]', ok: 'x [REDACTED] y' }],
      n: 1,
    });
  });

  it('replaces what is nested past the depth limit with [Truncated], so no secret slips through', () => {
    let deep: Record<string, unknown> = { token: TOKEN, password: 'hunter2', note: 'x' };
    for (let i = 0; i < 12; i++) deep = { level: deep };
    const out = JSON.stringify(redact(deep, (t) => t));
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('hunter2');
    expect(out).toContain('"[Truncated]"');
    // Within the limit nothing changes.
    expect(redact({ a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } })).toEqual({
      a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } },
    });
  });
});
