// The runner in one process: resuming, the unknown-outcome rule with the account's documents, failures,
// webhook mode (deliveries replace polling, polling when none comes) and progress.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BatchProgress,
  JOURNAL_FILE,
  JournalError,
  startWebhookReceiver,
} from '../../src/batch/index.js';
import { AuthenticationError, HandwritingOCR, InvalidParamsError } from '../../src/index.js';
import { type Simulator, samplePng, startSimulator } from '../../src/testing/index.js';
import { tempDir } from '../cli/helpers.js';
import { journalLines, makeInputs, runIn, uploadsByName } from './helpers.js';

let sim: Simulator;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  // Retry-After 0 on a 202: the polls keep the runner's own 20 ms pace instead of the 1 s the simulator would
  // round the 30 ms left up to (the tests are about the runner, not about waiting).
  sim = await startSimulator({ processingMs: 30, pendingRetryAfter: 0, webhookSecret: 'whsec-test-secret' });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const polls = () => sim.requests.filter((r) => r.route === 'GET /documents/{id}').length;
const posts = () => sim.requests.filter((r) => r.route === 'POST /documents').length;

describe('runBatch', () => {
  it('writes every result, journals each step in order, and a rerun sends nothing', async () => {
    const files = makeInputs(dir, ['a', 'b', 'c']);
    const seen: BatchProgress[] = [];
    const report = await runIn(dir, sim, files, { onProgress: (p) => seen.push(p) });
    expect(report.summary).toMatchObject({ total: 3, done: 3, failed: 0, unknown: 0, uploads: 3, pages: 3 });
    for (const [i, f] of files.entries()) {
      expect(readFileSync(f.output, 'utf8').trim()).toBe(`text of ${'abc'[i]}`);
    }
    const states = journalLines(dir)
      .slice(1)
      .filter((l) => l.file === files[0]?.input)
      .map((l) => l.state);
    expect(states).toEqual(['queued', 'uploading', 'uploaded', 'processed', 'downloaded']);
    const last = seen.at(-1);
    expect(last?.states.downloaded).toBe(3);
    expect(last?.filesPerMinute).toBeGreaterThan(0);

    sim.clearRequests();
    const again = await runIn(dir, sim, files);
    expect(again.files.map((f) => f.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(sim.requests).toEqual([]);
  });

  it('downloads again by id when an output went missing, and uploads again an input that changed', async () => {
    const files = makeInputs(dir, ['a', 'b']);
    await runIn(dir, sim, files);
    rmSync(files[0]?.output ?? '');
    writeFileSync(files[1]?.input ?? '', samplePng('b, rewritten'));
    sim.clearRequests();
    const report = await runIn(dir, sim, files);
    expect(report.files.map((f) => f.outcome)).toEqual(['done', 'done']);
    expect(readFileSync(files[0]?.output ?? '', 'utf8').trim()).toBe('text of a');
    expect(readFileSync(files[1]?.output ?? '', 'utf8').trim()).toBe('b, rewritten');
    expect(posts()).toBe(1); // only the changed file
  });

  it('an upload whose answer is lost (5xx after the document was created) is found, not uploaded again', async () => {
    const files = makeInputs(dir, ['a']);
    sim.faults.inject({ route: 'POST /documents', kind: 'status', status: 500, when: 'after' });
    const first = await runIn(dir, sim, files);
    expect(first.files[0]).toMatchObject({
      outcome: 'unknown',
      error: expect.stringMatching(/outcome unknown/),
    });
    expect(journalLines(dir).at(-1)).toMatchObject({ state: 'uploading' });
    expect(sim.documents).toHaveLength(1);

    const rerun = await runIn(dir, sim, files);
    expect(rerun.files[0]?.outcome).toBe('done');
    expect(rerun.files[0]?.id).toBe(sim.documents[0]?.id);
    expect(posts()).toBe(1);
    expect(journalLines(dir).some((l) => l.state === 'uploaded' && l.recovered === true)).toBe(true);
  });

  it('an upload dropped before the API saw it stays unknown on rerun; retryUnknown uploads it once', async () => {
    const files = makeInputs(dir, ['a']);
    sim.faults.inject({ route: 'POST /documents', kind: 'drop' });
    expect((await runIn(dir, sim, files)).files[0]?.outcome).toBe('unknown');
    const rerun = await runIn(dir, sim, files);
    expect(rerun.files[0]?.outcome).toBe('unknown');
    expect(sim.documents).toHaveLength(0);
    const retried = await runIn(dir, sim, files, { retryUnknown: true });
    expect(retried.files[0]?.outcome).toBe('done');
    expect(Object.fromEntries(uploadsByName(sim))).toEqual({ 'a.png': 1 });
  });

  it('a refused upload (4xx) fails without an id, and the rerun may upload it again', async () => {
    const files = makeInputs(dir, ['a']);
    sim.setCredits(0);
    const first = await runIn(dir, sim, files);
    expect(first.files[0]).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/credits/i) });
    sim.setCredits(10);
    const rerun = await runIn(dir, sim, files);
    expect(rerun.files[0]?.outcome).toBe('done');
  });

  it('a document that failed to process is failed, and the rerun looks at it again by id (no upload)', async () => {
    const files = makeInputs(dir, ['a']);
    const fail = await startSimulator({ processingMs: 10, transcribe: () => 'failed' });
    try {
      const first = await runIn(dir, fail, files);
      expect(first.files[0]).toMatchObject({
        outcome: 'failed',
        error: expect.stringMatching(/failed to process/),
      });
      const rerun = await runIn(dir, fail, files);
      expect(rerun.files[0]?.outcome).toBe('failed');
      expect(fail.requests.filter((r) => r.route === 'POST /documents')).toHaveLength(1);
    } finally {
      await fail.close();
    }
  });
});

describe("before sending: the SDK's checks, and a 401", () => {
  it('a file the SDK refuses is never queued nor sent; its cause is the InvalidParamsError', async () => {
    const files = makeInputs(dir, ['a', 'b']);
    writeFileSync(files[0]?.input ?? '', 'not an image');
    const seen: string[] = [];
    const report = await runIn(dir, sim, files, {
      onFile: (i, state) => {
        if (i === 0) seen.push(state);
      },
    });
    expect(report.files[0]).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/^Unsupported file type although its name \(a\.png\) suggests one/),
    });
    expect(report.files[0]?.cause).toBeInstanceOf(InvalidParamsError);
    expect(report.files[1]?.outcome).toBe('done');
    expect(seen).toEqual(['failed']); // never queued, never uploading
    const states = journalLines(dir)
      .slice(1)
      .filter((l) => l.file === files[0]?.input)
      .map((l) => l.state);
    expect(states).toEqual(['failed']);
    expect(Object.fromEntries(uploadsByName(sim))).toEqual({ 'b.png': 1 });
  });

  it('an upload option the SDK refuses throws before the journal is opened or anything is sent', async () => {
    const files = makeInputs(dir, ['a']);
    await expect(runIn(dir, sim, files, { promptId: 'p'.repeat(256) })).rejects.toBeInstanceOf(
      InvalidParamsError,
    );
    await expect(runIn(dir, sim, files, { action: 'extractor' })).rejects.toThrow(/extractor_id is required/);
    expect(existsSync(join(dir, 'out', JOURNAL_FILE))).toBe(false);
    expect(sim.requests).toEqual([]);
  });

  it('a 401 stops the uploads: the files not sent yet stay queued, and a rerun with a good token sends them', async () => {
    const files = makeInputs(dir, ['a', 'b', 'c']);
    const report = await runIn(dir, sim, files, {
      client: new HandwritingOCR({ apiToken: 'wrong-token-for-this-test', baseUrl: sim.url, maxRetries: 0 }),
      concurrency: 1,
    });
    expect(posts()).toBe(1);
    expect(report.files.map((f) => [f.outcome, f.notSent === true])).toEqual([
      ['failed', false],
      ['failed', true],
      ['failed', true],
    ]);
    for (const f of report.files) expect(f.cause).toBeInstanceOf(AuthenticationError);
    const last = new Map(
      journalLines(dir)
        .slice(1)
        .map((l) => [l.file, l.state]),
    );
    expect(files.map((f) => last.get(f.input))).toEqual(['failed', 'queued', 'queued']);

    const rerun = await runIn(dir, sim, files);
    expect(rerun.files.map((f) => f.outcome)).toEqual(['done', 'done', 'done']);
    expect(Object.fromEntries(uploadsByName(sim))).toEqual({ 'a.png': 1, 'b.png': 1, 'c.png': 1 });
  });

  it("sends promptId as each upload's prompt_id; the journal refuses a rerun with another prompt", async () => {
    const files = makeInputs(dir, ['a', 'b']);
    const report = await runIn(dir, sim, files, { promptId: 'Pr0mpt42' });
    expect(report.summary.done).toBe(2);
    expect(sim.documents.map((d) => d.promptId)).toEqual(['Pr0mpt42', 'Pr0mpt42']);
    expect(journalLines(dir)[0]).toMatchObject({ command: { prompt_id: 'Pr0mpt42' } });
    await expect(runIn(dir, sim, files)).rejects.toBeInstanceOf(JournalError);
    expect((await runIn(dir, sim, files, { promptId: 'Pr0mpt42' })).summary.skipped).toBe(2);
  });
});

describe('webhook mode', () => {
  it('takes signed deliveries instead of polling', async () => {
    const receiver = await startWebhookReceiver({ port: 0, host: '127.0.0.1', secret: 'whsec-test-secret' });
    try {
      const files = makeInputs(dir, ['a', 'b', 'c']);
      const report = await runIn(dir, sim, files, {
        webhook: { url: `http://127.0.0.1:${receiver.port}/hook`, receiver, fallbackMs: 20_000 },
      });
      expect(report.summary).toMatchObject({ done: 3, failed: 0 });
      expect(polls()).toBe(0);
      expect(receiver.accepted).toBe(3);
      expect(readFileSync(files[2]?.output ?? '', 'utf8').trim()).toBe('text of c');
    } finally {
      await receiver.close();
    }
  });

  it('refuses a delivery with a wrong signature, and polls a document that had no delivery in time', async () => {
    const refused: string[] = [];
    const receiver = await startWebhookReceiver({
      port: 0,
      host: '127.0.0.1',
      secret: 'another-secret',
      onRejected: (reason) => refused.push(reason),
    });
    try {
      const forged = await fetch(`http://127.0.0.1:${receiver.port}/`, {
        method: 'POST',
        headers: { 'x-signature': `sha256=${'0'.repeat(64)}` },
        body: '{"id":"abcde12345","status":"processed"}',
      });
      expect(forged.status).toBe(401);
      const files = makeInputs(dir, ['a']);
      // The simulator signs with another secret: every delivery is refused, so polling takes over.
      const report = await runIn(dir, sim, files, {
        webhook: { url: `http://127.0.0.1:${receiver.port}/`, receiver, fallbackMs: 200 },
      });
      expect(report.files[0]?.outcome).toBe('done');
      expect(polls()).toBeGreaterThan(0);
      expect(receiver.accepted).toBe(0);
      await sim.completeAll(); // the simulator's delivery has been answered
      expect(refused.length).toBe(2); // the forged one and the simulator's
      expect(refused.every((r) => /signature/i.test(r))).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
