// kill -9 at every journal state: a child process runs a batch of two files and SIGKILLs itself at one
// point; a rerun in this process must finish both files with exactly one upload each, or, when the crash
// left an upload's outcome unknown and nothing was created, report it and upload it only on --retry-unknown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { spawnTs, tempDir } from '../cli/helpers.js';
import { journalLines, makeInputs, runIn, uploadsByName } from './helpers.js';

const CHILD = join(import.meta.dirname, 'crash-child.ts');

let sim: Simulator;
beforeAll(async () => {
  // A file named bad*.png fails to process. Retry-After 0 on a 202: polls keep the batch's 20 ms pace instead
  // of the 1 s the simulator would round the 30 ms left up to.
  sim = await startSimulator({
    processingMs: 30,
    pendingRetryAfter: 0,
    transcribe: (input) => (input.fileName.startsWith('bad') ? 'failed' : undefined),
  });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

async function crashAt(point: string, names = ['a', 'b']) {
  const { dir, cleanup } = tempDir();
  const files = makeInputs(dir, names);
  const child = await spawnTs(CHILD, [sim.url, join(dir, 'out'), point, ...files.map((f) => f.input)], {
    env: { ...process.env, HANDWRITING_OCR_API_TOKEN: sim.token },
  });
  return { dir, cleanup, files, child };
}

const SIGKILLED = -1; // spawnTs reports a death by signal as -1

describe('a crash (kill -9) at each journal state, then a rerun', () => {
  // States after which the upload of `a` is known (or not yet attempted): the rerun completes everything.
  it.each([
    ['queued', 0],
    ['sent', 1], // accepted by the API, killed before the answer reached the journal
    ['uploaded', 1],
    ['processed', 1],
    ['downloaded', 1],
  ])('after %s: the rerun finishes both files, each uploaded once', async (point, docsAtCrash) => {
    const { dir, cleanup, files, child } = await crashAt(point);
    try {
      expect(child.code, child.stderr).toBe(SIGKILLED);
      // `a` was uploaded (or not) as the crash point says; `b` may have been uploaded while `a` waited.
      expect(uploadsByName(sim).get('a.png') ?? 0).toBe(docsAtCrash);
      // What the rerun must do follows from the journal the crash left and from what the API holds.
      const last = new Map(
        journalLines(dir)
          .slice(1)
          .map((l) => [l.file, l.state]),
      );
      const docs = uploadsByName(sim);
      const expected = files.map((f, i) => {
        const state = last.get(f.input);
        if (state === 'downloaded') return 'skipped';
        // Unknown outcome: found among the documents (done), or reported and left alone (unknown).
        if (state === 'uploading') return docs.has(`${'ab'[i]}.png`) ? 'done' : 'unknown';
        return 'done';
      });
      const report = await runIn(dir, sim, files);
      expect(report.files.map((f) => f.outcome)).toEqual(expected);
      if (expected.includes('unknown')) {
        // The rerun did not upload a file whose outcome it could not establish.
        expected.forEach((e, i) => {
          if (e === 'unknown') expect(uploadsByName(sim).has(`${'ab'[i]}.png`)).toBe(false);
        });
        const retried = await runIn(dir, sim, files, { retryUnknown: true });
        expect(retried.files.map((f) => f.outcome)).toEqual(
          expected.map((e) => (e === 'unknown' ? 'done' : 'skipped')),
        );
      }
      expect(readFileSync(files[0]?.output ?? '', 'utf8').trim()).toBe('text of a');
      expect(readFileSync(files[1]?.output ?? '', 'utf8').trim()).toBe('text of b');
      expect(Object.fromEntries(uploadsByName(sim))).toEqual({ 'a.png': 1, 'b.png': 1 });
      if (point === 'sent') {
        // Found among the account's documents, not uploaded again.
        expect(journalLines(dir).some((l) => l.file === files[0]?.input && l.recovered === true)).toBe(true);
      }
    } finally {
      cleanup();
    }
  });

  it('after failed (the document failed to process): the rerun looks at it by id and uploads nothing again', async () => {
    const { dir, cleanup, files, child } = await crashAt('failed', ['bad', 'b']);
    try {
      expect(child.code, child.stderr).toBe(SIGKILLED);
      // Killed right after `bad`'s failed record: it is `bad`'s last line, and only `b`'s may follow it (the
      // journal writes the records appended while it syncs together, so one of `b`'s can share that write).
      const lines = journalLines(dir);
      const crashedAt = lines.findLastIndex((l) => l.file === files[0]?.input);
      expect(lines[crashedAt]).toMatchObject({ state: 'failed' });
      expect(lines.slice(crashedAt + 1).every((l) => l.file === files[1]?.input)).toBe(true);
      // `b` ran while `bad` was processed: where the crash left it decides what the rerun does with it (under
      // load it may even have been downloaded first: polls of both documents follow the same pace).
      const bState = journalLines(dir)
        .filter((l) => l.file === files[1]?.input)
        .at(-1)?.state;
      const bExpected =
        bState === 'downloaded'
          ? 'skipped'
          : bState === 'uploading' && !uploadsByName(sim).has('b.png')
            ? 'unknown'
            : 'done';
      const report = await runIn(dir, sim, files);
      expect(report.files[0]).toMatchObject({
        outcome: 'failed',
        error: expect.stringMatching(/^Document \w+ failed to process: \S/), // with the API's reason
      });
      expect(report.files[1]?.outcome).toBe(bExpected);
      expect(uploadsByName(sim).get('bad.png')).toBe(1);
      expect(uploadsByName(sim).get('b.png') ?? 0).toBeLessThanOrEqual(1);
    } finally {
      cleanup();
    }
  });

  it('after uploading (nothing sent yet): the outcome is unknown, reported, and uploaded only with retryUnknown', async () => {
    const { dir, cleanup, files, child } = await crashAt('uploading');
    try {
      expect(child.code, child.stderr).toBe(SIGKILLED);
      expect(sim.documents).toHaveLength(0);

      const rerun = await runIn(dir, sim, files);
      expect(rerun.files[0]).toMatchObject({
        outcome: 'unknown',
        error: expect.stringMatching(/--retry-unknown/),
      });
      expect(rerun.files[1]?.outcome).toBe('done');
      expect(rerun.summary.unknown).toBe(1);
      expect(Object.fromEntries(uploadsByName(sim))).toEqual({ 'b.png': 1 });

      const retried = await runIn(dir, sim, files, { retryUnknown: true });
      expect(retried.files.map((f) => f.outcome)).toEqual(['done', 'skipped']);
      expect(readFileSync(files[0]?.output ?? '', 'utf8').trim()).toBe('text of a');
      expect(Object.fromEntries(uploadsByName(sim))).toEqual({ 'a.png': 1, 'b.png': 1 });
    } finally {
      cleanup();
    }
  });
});
