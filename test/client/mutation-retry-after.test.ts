// Retry-After and `retry_after` at their edges (mutation testing, issue #18).
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, parseRetryAt } from '../../src/retry-after.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    [null, undefined],
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    [' 5 ', 5_000],
    ['0', 0],
    ['1.5', 1_500],
    ['1.25', 1_250],
    ['5s', undefined],
    ['5abc', undefined],
    ['abc5', undefined],
    ['soon', undefined],
    // V8's Date.parse reads these as days of 2001: they are neither seconds nor a date.
    ['-5', undefined],
    ['3,5', undefined],
    ['1 2', undefined],
  ])('%j → %s', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('an HTTP date: the time until it, never negative', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', NOW)).toBe(0);
  });

  it('counts from now by default', () => {
    const soon = new Date(Date.now() + 60_000).toUTCString();
    const ms = parseRetryAfter(soon) as number;
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });
});

describe('parseRetryAt', () => {
  it.each([
    [0, 0],
    [2.5, 2_500],
    [999_999_999, 999_999_999_000],
    [-1, undefined],
    [1e9, undefined],
    [Number.NaN, undefined],
    ['5', 5_000],
    ['2025-01-01T00:00:10Z', 10_000],
    [{}, undefined],
    [true, undefined],
    [null, undefined],
  ])('%j → %s', (value, ms) => {
    expect(parseRetryAt(value, NOW)).toBe(ms);
  });
});
