// Retry-After and `retry_after` at their edges (mutation testing, issue #18).
import { isMainThread } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, parseRetryAt } from '../../src/retry-after.js';
import { FC_PARAMS } from './arbitraries.js';

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
    // …and this a day of 2001 too, though a month name and a time of day are in it: a date starts with a day name.
    ['10 Dec 10:30', undefined],
    // A time of day has two digits of minutes: V8 would read 10:03.
    ['Tue, 01 Dec 2026 10:3', undefined],
  ])('%j → %s', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('an HTTP date: the time until it, never negative', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', NOW)).toBe(0);
  });

  it('every form of HTTP date: IMF-fixdate, RFC 850 and asctime (day name, no comma); an ISO instant too', () => {
    for (const date of [
      'Wed, 01 Jan 2025 00:00:30 GMT',
      'Wednesday, 01-Jan-25 00:00:30 GMT',
      'Wed Jan  1 00:00:30 2025',
      '2025-01-01T00:00:30Z',
    ]) {
      expect(parseRetryAfter(date, NOW)).toBe(30_000);
    }
  });

  it('a date that names its zone is read in it', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 09:00:30 +0900', NOW)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 19:00:30 EST', NOW)).toBe(30_000);
  });

  // A bug fix: Date.parse reads a date that names no zone in the machine's zone. East of UTC an asctime date
  // 30 s ahead was read as hours past (retry at once); west of it, as hours ahead (longer than the SDK waits).
  it('a date that names no zone (asctime, or one missing its GMT or Z) is UTC, in whatever zone the machine is', () =>
    restoringZone(() => {
      process.env.TZ = 'Asia/Tokyo';
      // The zone did change (it cannot inside a worker thread: vitest.mutation.config.ts sets it for those).
      expect(new Date(NOW).getTimezoneOffset()).toBe(-540);
      expect(parseRetryAfter('Wed Jan  1 00:00:30 2025', NOW)).toBe(30_000);
      expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', NOW)).toBe(30_000);
      // Dates that should name their zone and do not: an IMF-fixdate or RFC 850 date without `GMT`, an ISO instant
      // (the topup body's `retry_after`) without `Z`, with or without a fraction of a second.
      expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30', NOW)).toBe(30_000);
      expect(parseRetryAfter('Wednesday, 01-Jan-25 00:00:30', NOW)).toBe(30_000);
      expect(parseRetryAt('2025-01-01T00:00:30', NOW)).toBe(30_000);
      expect(parseRetryAt('2025-01-01T00:00:30.500', NOW)).toBe(30_500);
      // An offset or a zone name is still read as given, not overridden.
      expect(parseRetryAt('2025-01-01T09:00:30+09:00', NOW)).toBe(30_000);
      expect(parseRetryAt('2024-12-31T19:00:30-0500', NOW)).toBe(30_000);
      expect(parseRetryAfter('Wed, 01 Jan 2025 09:00:30 +0900', NOW)).toBe(30_000);
      expect(parseRetryAfter('Tue, 31 Dec 2024 19:00:30 EST', NOW)).toBe(30_000);
      // Short offsets too (V8 reads them), not taken for a missing zone.
      expect(parseRetryAfter('Wed, 01 Jan 2025 09:00:30 +09', NOW)).toBe(30_000);
      expect(parseRetryAfter('Wed, 01 Jan 2025 09:00:30 GMT+9', NOW)).toBe(30_000);
      expect(parseRetryAfter('Wed Jan  1 04:00:30 2025 +4:00', NOW)).toBe(30_000);
    }));

  // The property behind the cases above: any instant, in any form a server may write it, means the same wait in
  // every zone the machine may be in. (A worker thread cannot switch zones: Stryker's run stays in its own.)
  it('any date, in any HTTP or ISO form, with or without its zone, gives the same wait in every machine zone', () =>
    restoringZone(() => {
      const zones = isMainThread
        ? ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Asia/Kolkata']
        : [process.env.TZ];
      fc.assert(
        fc.property(
          fc.integer({ min: -86_400, max: 86_400 }),
          fc.integer({ min: 0, max: 999 }),
          fc.integer({ min: 0, max: FORMS - 1 }),
          fc.constantFrom(-480, -300, -150, 0, 330, 540, 600),
          (seconds, ms, form, offset) => {
            const at = NOW + seconds * 1000 + (form === FRACTION ? ms : 0);
            const text = written(at, form, offset);
            for (const zone of zones) {
              process.env.TZ = zone;
              expect(parseRetryAt(text, NOW), `${text} in ${zone}`).toBe(Math.max(0, at - NOW));
            }
          },
        ),
        FC_PARAMS,
      );
    }));

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

/** Runs `work`, then puts the machine's zone (`process.env.TZ`) back as it was. */
function restoringZone(work: () => void): void {
  const before = process.env.TZ;
  try {
    work();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

const FORMS = 11;
const FRACTION = 7;

/** `at` as a server may write it: form 0–4 HTTP dates (with and without GMT), 5–8 ISO 8601, 9–10 at an offset. */
function written(at: number, form: number, offsetMinutes: number): string {
  const date = new Date(at);
  const imf = date.toUTCString(); // Wed, 01 Jan 2025 00:00:30 GMT
  const [weekday, day, month, year, time] = imf.replace(',', '').split(' ') as string[];
  const longDay = date.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  const iso = date.toISOString(); // 2025-01-01T00:00:30.000Z
  // The wall-clock time at the offset, and the offset as +hh:mm.
  const local = new Date(at + offsetMinutes * 60_000);
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  switch (form) {
    case 0:
      return imf;
    case 1:
      return imf.replace(/ GMT$/, '');
    case 2:
      return `${weekday} ${month} ${day?.replace(/^0/, ' ')} ${time} ${year}`; // asctime
    case 3:
      return `${longDay}, ${day}-${month}-${year?.slice(2)} ${time} GMT`; // RFC 850
    case 4:
      return `${longDay}, ${day}-${month}-${year?.slice(2)} ${time}`;
    case 5:
      return `${iso.slice(0, 19)}Z`;
    case 6:
      return iso.slice(0, 19);
    case FRACTION:
      return iso.slice(0, 23);
    case 8:
      return `${local.toISOString().slice(0, 19)}${sign}${hh}:${mm}`;
    case 9:
      return local.toUTCString().replace('GMT', `${sign}${hh}${mm}`);
    default:
      // A short offset (`+09`) where the offset is whole hours, else `+h:mm` (as `+5:30`).
      return offsetMinutes % 60 === 0
        ? local.toUTCString().replace('GMT', `${sign}${hh}`)
        : `${local.toUTCString().replace(/ GMT$/, '')} ${sign}${Number(hh)}:${mm}`;
  }
}
