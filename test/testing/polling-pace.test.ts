// The polling pace, measured against the simulator: documents that take 20 s to process, waited for with the
// client's defaults. Fake timers run the client's sleeps and the simulator's clock (`now: Date.now`) in
// virtual time; HTTP is real. The clock moves only while no request is in flight, so every figure is exact.
// The README's table ("Polling pace") comes from the table this file prints.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HandwritingOCR } from '../../src/index.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { makePdf } from './helpers/fixtures.js';

const PROCESSING_MS = 20_000;
// A remote baseUrl (the client paces itself by it); requests are rerouted to the simulator.
const REMOTE = 'https://api.handwritingocr.com/v3';
const realFetch = globalThis.fetch;
const STEP_MS = 50;

interface Measured {
  /** Poll times, in s after the upload was accepted. */
  polls: number[];
  /** How long after the document was done its end was seen, in s. */
  lateBy: number;
  /** The wait before the poll that saw it, in s. */
  lastGap: number;
}

let sim: Simulator | undefined;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await sim?.close();
  sim = undefined;
});

const rows: string[] = [];
afterAll(() => {
  console.log(
    [
      `Polling pace: documents taking ${PROCESSING_MS / 1000} s, client defaults`,
      '| base URL | how | pending answer | polls at (s after upload) | seen after done | polls |',
      ...rows,
    ].join('\n'),
  );
});

async function measure(
  base: 'remote' | 'loopback',
  how: 'uploadAndWait' | 'upload, then waitForProcessing',
  pendingStatusCode: 200 | 202,
): Promise<Measured> {
  sim = await startSimulator({ processingMs: PROCESSING_MS, now: () => Date.now(), pendingStatusCode });
  const target = sim.url;
  const baseUrl = base === 'remote' ? REMOTE : target;
  let inflight = 0;
  const polls: number[] = [];
  let uploadedAt = 0;
  // The whole answer is read before fetch resolves, so nothing real is left to wait for once it has.
  const fetch = async (request: Request): Promise<Response> => {
    inflight++;
    try {
      if (request.method === 'GET') polls.push(Date.now());
      const body = request.method === 'POST' ? await request.arrayBuffer() : undefined;
      const res = await realFetch(target + request.url.slice(baseUrl.length), {
        method: request.method,
        headers: request.headers,
        body,
      });
      const bytes = await res.arrayBuffer();
      if (request.method === 'POST') uploadedAt = Date.now();
      return new Response(bytes, { status: res.status, headers: res.headers });
    } finally {
      inflight--;
    }
  };
  const client = new HandwritingOCR({ apiToken: sim.token, baseUrl, fetch });
  const file = { file: makePdf(1), action: 'transcribe' } as const;
  const waiting =
    how === 'uploadAndWait'
      ? client.documents.uploadAndWait(file)
      : client.documents.upload(file).then(({ id }) => client.documents.waitForProcessing(id));
  let settled = false;
  waiting.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  while (!settled) {
    if (inflight > 0) await new Promise((resolve) => setImmediate(resolve));
    else await vi.advanceTimersByTimeAsync(STEP_MS);
  }
  const doc = await waiting;
  expect(doc.status).toBe('processed');
  const at = polls.map((t) => (t - uploadedAt) / 1000);
  const last = at.at(-1) ?? 0;
  const measured = {
    polls: at,
    lateBy: last - PROCESSING_MS / 1000,
    lastGap: last - (at.at(-2) ?? 0),
  };
  rows.push(
    `| ${base} | ${how} | ${pendingStatusCode} | ${at.join(', ')} | ${measured.lateBy} s | ${at.length} |`,
  );
  return measured;
}

describe('the default polling pace against documents that take 20 s (simulator, virtual time)', () => {
  // Against the real API: the vendor's pace (first poll 10 s after an upload, then 15 s growing to 30 s).
  it.each([
    ['uploadAndWait', 202, [10, 25]],
    ['uploadAndWait', 200, [10, 25]],
    // The simulator's Retry-After (the seconds left) brings the second poll to the moment it is done.
    ['upload, then waitForProcessing', 202, [0, 20]],
    ['upload, then waitForProcessing', 200, [0, 15, 37.5]],
  ] as const)('remote baseUrl, %s, pending answered %i: polls at %j s', async (how, code, expected) => {
    const { polls, lateBy, lastGap } = await measure('remote', how, code);
    expect(polls).toEqual(expected);
    // Seen within one interval of being done, with at most 3 polls.
    expect(lateBy).toBeGreaterThanOrEqual(0);
    expect(lateBy).toBeLessThanOrEqual(lastGap);
    expect(polls.length).toBeLessThanOrEqual(3);
  });

  // On loopback (a simulator, where documents are usually done in moments) the pace is faster: 2 s to 15 s.
  it.each([
    ['uploadAndWait', 202, [2, 20]],
    ['uploadAndWait', 200, [2, 4, 7, 11.5, 18.25, 28.375]],
  ] as const)('loopback baseUrl, %s, pending answered %i: polls at %j s', async (how, code, expected) => {
    const { polls, lateBy, lastGap } = await measure('loopback', how, code);
    expect(polls).toEqual(expected);
    expect(lateBy).toBeLessThanOrEqual(lastGap);
  });
});
