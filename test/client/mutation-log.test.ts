// Logging levels at their edges (mutation survivors of issue #18): which levels log retries, and what is refused.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HandwritingOCR, InvalidParamsError, type Logger, type LogLevel } from '../../src/index.js';
import { jsonResponse, TOKEN } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function capture(): { logger: Logger; levels: string[] } {
  const levels: string[] = [];
  const at = (level: string) => () => {
    levels.push(level);
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, levels };
}

/** users.me() answered 503 then 200: one retry, which is logged at `warn`. */
async function retriedOnce(logLevel: LogLevel | undefined): Promise<string[]> {
  const { logger, levels } = capture();
  let n = 0;
  const client = new HandwritingOCR({
    apiToken: TOKEN,
    baseUrl: 'https://api.example.test/v3',
    logger,
    ...(logLevel === undefined ? {} : { logLevel }),
    fetch: async () =>
      n++ === 0 ? jsonResponse(503, {}) : jsonResponse(200, { id: 'u1', email: 'a@b.c', balance: 3 }),
  });
  vi.useFakeTimers();
  const result = client.users.me();
  await vi.advanceTimersByTimeAsync(1_000);
  await result;
  expect(n).toBe(2);
  return levels;
}

describe('which levels log a retry', () => {
  it.each([
    [undefined, []],
    ['off', []],
    ['error', []],
    ['warn', ['warn']],
    ['info', ['warn']],
    ['debug', ['debug', 'warn', 'debug']],
  ] as const)('%s → %j', async (level, expected) => {
    expect(await retriedOnce(level)).toEqual(expected);
  });
});

describe('logLevel refusals', () => {
  it('a level that is not a string is refused as such', () => {
    expect(() => new HandwritingOCR({ apiToken: TOKEN, logLevel: 4 as never })).toThrow(
      new InvalidParamsError('logLevel must be a string.', 'logLevel'),
    );
  });

  it.each([
    ['loud'],
    ['toString'], // a property every object has, not a level
    ['__proto__'],
  ])('%j', (logLevel) => {
    let err: unknown;
    try {
      new HandwritingOCR({ apiToken: TOKEN, logLevel: logLevel as never });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).param).toBe('logLevel');
    expect((err as Error).message).toBe('logLevel must be one of off, error, warn, info, debug.');
  });
});
