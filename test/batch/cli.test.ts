// `hwocr transcribe … --out DIR` as a batch: resume, a journal of another command, a cut journal line,
// webhook mode, the options' checks, and the progress line of big batches.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchProgress } from '../../src/batch/index.js';
import { progressLine, summaryLine } from '../../src/cli/commands/transcribe-batch.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { type RunOptions, type RunResult, runCli, tempDir, tinyPng, writeFiles } from '../cli/helpers.js';

const SECRET = 'whsec-cli-secret';
let sim: Simulator;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  // Retry-After 0 on a 202: polls keep the --poll-interval of 20 ms instead of the 1 s the simulator would round
  // the 20 ms left up to.
  sim = await startSimulator({ processingMs: 20, pendingRetryAfter: 0, webhookSecret: SECRET });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  ({ dir, cleanup } = tempDir());
  writeFiles(dir, { 'a.png': tinyPng('alpha'), 'b.png': tinyPng('beta') });
});
afterEach(() => cleanup());

function hwocr(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  return runCli(argv, {
    cwd: dir,
    ...options,
    env: { HANDWRITING_OCR_API_TOKEN: sim.token, HANDWRITING_OCR_BASE_URL: sim.url, ...options.env },
  });
}
const FAST = ['--poll-interval', '0.02'];
const posts = () => sim.requests.filter((r) => r.route === 'POST /documents').length;
const JOURNAL = () => join(dir, 'out', '.hwocr-journal.jsonl');

describe('hwocr transcribe --out DIR (batch)', () => {
  it('resumes: a rerun of the same command skips what is done and uploads nothing', async () => {
    const first = await hwocr(['transcribe', 'a.png', 'b.png', '--out', 'out/', '--json', ...FAST]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).summary).toMatchObject({ total: 2, done: 2, uploads: 2, pages: 2 });
    const again = await hwocr(['transcribe', 'a.png', 'b.png', '--out', 'out/', '--json', ...FAST]);
    expect(again.code, again.stderr).toBe(0);
    const body = JSON.parse(again.stdout);
    expect(body.summary).toMatchObject({ total: 2, done: 0, skipped: 2, uploads: 0 });
    expect(body.results[0]).toMatchObject({ file: 'a.png', status: 'processed', skipped: true });
    expect(posts()).toBe(2);
  });

  it('refuses a journal written by a different command, with a clear error and nothing sent', async () => {
    expect((await hwocr(['transcribe', 'a.png', '--out', 'out/', ...FAST])).code).toBe(0);
    sim.clearRequests();
    const r = await hwocr(['transcribe', 'a.png', '--out', 'out/', '--format', 'json', ...FAST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /hwocr: .*\.hwocr-journal\.jsonl was written by another command \(action=transcribe command=transcribe format=txt\); this one is .*format=json\. Rerun with the same options to resume, or use another output directory\./,
    );
    expect(sim.requests).toEqual([]);
  });

  it('ignores a journal line cut by a crash, with a warning, and resumes', async () => {
    expect((await hwocr(['transcribe', 'a.png', 'b.png', '--out', 'out/', ...FAST])).code).toBe(0);
    appendFileSync(JOURNAL(), '{"file":"/x","hash":"00","sta');
    const r = await hwocr(['transcribe', 'a.png', 'b.png', '--out', 'out/', ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^hwocr: warning: .*ignoring its last line, cut short/m);
    expect(posts()).toBe(2);
    expect(readFileSync(JOURNAL(), 'utf8')).not.toContain('"sta\n');
  });

  it('reports an unknown upload outcome with exit 1, and --retry-unknown uploads it again', async () => {
    sim.faults.inject({ route: 'POST /documents', kind: 'drop' });
    const r = await hwocr(['transcribe', 'a.png', '--out', 'out/', ...FAST]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^a\.png: upload outcome unknown$/m); // its progress line: not "failed"
    expect(r.stderr).toMatch(/hwocr: a\.png: upload outcome unknown/);
    const again = await hwocr(['transcribe', 'a.png', '--out', 'out/', ...FAST]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/--retry-unknown/);
    expect(sim.documents).toHaveLength(0);
    const retried = await hwocr(['transcribe', 'a.png', '--out', 'out/', '--retry-unknown', ...FAST]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out', 'a.txt'), 'utf8').trim()).toBe('alpha');
    expect(sim.documents).toHaveLength(1);
  });

  it('Ctrl-C: exits 130 with the journal kept; the rerun resumes without a second upload', async () => {
    const controller = new AbortController();
    const pending = hwocr(['transcribe', 'a.png', 'b.png', '--out', 'out/', '--poll-interval', '5'], {
      signal: controller.signal,
    });
    while (sim.documents.length < 2) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const r = await pending;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted: rerun the same command to resume/);
    const again = await hwocr(['transcribe', 'a.png', 'b.png', '--out', 'out/', ...FAST]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out', 'a.txt'), 'utf8').trim()).toBe('alpha');
    expect(posts()).toBe(2);
  });

  it('webhook mode: verified deliveries replace polling', async () => {
    const port = await freePort();
    const r = await hwocr(
      [
        'transcribe',
        'a.png',
        'b.png',
        '--out',
        'out/',
        '--webhook-listen',
        String(port),
        '--webhook-url',
        `http://127.0.0.1:${port}/hooks/hwocr`,
        ...FAST,
      ],
      { env: { HANDWRITING_OCR_WEBHOOK_SECRET: SECRET } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out', 'b.txt'), 'utf8').trim()).toBe('beta');
    expect(sim.requests.filter((q) => q.route === 'GET /documents/{id}')).toHaveLength(0);
    expect(sim.webhookDeliveries.map((d) => d.status)).toEqual([204, 204]);
    expect(r.stderr).not.toContain(SECRET);
  });

  it.each([
    [['--webhook-listen', '8080'], /needs both --webhook-listen <port> and --webhook-url <url>/],
    [['--webhook-listen', '8080', '--webhook-url', 'http://x.test/'], /needs the webhook secret/],
    [['--webhook-listen', '70000', '--webhook-url', 'http://x.test/'], /expected a port/],
    [['--max-concurrency', '0'], /positive integer/],
  ])('refuses %j with exit 2 and nothing sent', async (extra, message) => {
    const r = await hwocr(['transcribe', 'a.png', '--out', 'out/', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(sim.requests).toEqual([]);
  });

  it('says so when the webhook port cannot be listened on', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '0.0.0.0', () => r()));
    try {
      const { port } = busy.address() as { port: number };
      const r = await hwocr(
        [
          'transcribe',
          'a.png',
          '--out',
          'out/',
          '--webhook-listen',
          String(port),
          '--webhook-url',
          'http://x.test/',
        ],
        { env: { HANDWRITING_OCR_WEBHOOK_SECRET: SECRET } },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`cannot listen for webhooks on port ${port} \\(EADDRINUSE\\)`));
      expect(sim.requests).toEqual([]);
    } finally {
      busy.close();
    }
  });

  it('refuses batch options without --out DIR', async () => {
    const r = await hwocr(['transcribe', 'a.png', '--retry-unknown']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/need --out <dir>/);
    expect(sim.requests).toEqual([]);
  });

  it('shows a big batch as one line of counts, rate, ETA and pages', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `n${i}.png`);
    for (const name of names) writeFileSync(join(dir, name), tinyPng(name));
    const r = await hwocr(['transcribe', ...names, '--out', 'out/', '-c', '8', ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    // Not one line per file: the first count line and the summary.
    expect(r.stderr).not.toMatch(/n1\.png: /);
    expect(r.stderr).toMatch(/^0\/60 done · .* files\/min · ETA .* · 0 pages · \d+ at a time$/m);
    expect(r.stderr).toMatch(
      /^60 files: 60 done, 0 skipped, 0 failed, 0 unknown · 60 pages · \d+ seconds?$/m,
    );
  });
});

// What #14 made `hwocr transcribe` do, on the batch path too (test/cli/commands.test.ts has the rest).
describe('hwocr transcribe --out DIR keeps the CLI rules', () => {
  const errorJson = (r: RunResult) => {
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines, r.stderr).toHaveLength(1); // --json: stderr holds the one JSON error line, nothing else
    return JSON.parse(lines[0] as string);
  };

  it('passes --prompt-id to each upload; a rerun with another prompt is refused (another command)', async () => {
    const r = await hwocr([
      'transcribe',
      'a.png',
      'b.png',
      '--out',
      'out/',
      '--prompt-id',
      'Pr0mpt42',
      ...FAST,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(sim.documents.map((d) => d.promptId)).toEqual(['Pr0mpt42', 'Pr0mpt42']);
    sim.clearRequests();
    const other = await hwocr(['transcribe', 'a.png', 'b.png', '--out', 'out/', ...FAST]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/was written by another command \(.*prompt_id=Pr0mpt42.*\)/);
    expect(sim.requests).toEqual([]);
  });

  it('a wait timeout is told in the unit typed, with the way to pick it up (a rerun)', async () => {
    const slow = await startSimulator({ port: 0, processingMs: 60_000 });
    try {
      const r = await runCli(
        ['transcribe', 'a.png', '--out', 'out/', '--timeout', '0.3', '--poll-interval', '0.05'],
        {
          cwd: dir,
          env: { HANDWRITING_OCR_API_TOKEN: slow.token, HANDWRITING_OCR_BASE_URL: slow.url },
        },
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^hwocr: a\.png: document \w+ was not processed within 0\.3 s \(--timeout\); last status: \w+\. It may still finish: rerun the same command to resume\.$/m,
      );
      expect(r.stderr).not.toContain(' ms');
    } finally {
      await slow.close();
    }
  });

  it('--json: each cause in its result, one JSON error line; exit 2 when only the input was at fault', async () => {
    writeFiles(dir, { 'x.txt': 'not an image', 'y.txt': 'nor this' });
    const r = await hwocr(['transcribe', 'a.png', 'x.txt', 'y.txt', '--out', 'out/', '--json', ...FAST]);
    expect(r.code).toBe(2);
    const { results } = JSON.parse(r.stdout);
    expect(results.map((x: { status: string }) => x.status)).toEqual(['processed', 'failed', 'failed']);
    expect(results[1]).toMatchObject({
      file: 'x.txt',
      id: null,
      error: expect.stringMatching(/^Unsupported file type \(x\.txt\)/),
    });
    expect(errorJson(r)).toEqual({ error: '2 of 3 files failed', code: 'usage', status: null });
    expect(posts()).toBe(1);
  });

  it('--json after a 401: the same words as without --json, the cause said once', async () => {
    writeFiles(dir, { 'c.png': tinyPng('gamma') });
    const args = ['transcribe', 'a.png', 'b.png', 'c.png', '--out', 'out/', '-c', '1', ...FAST];
    const env = { HANDWRITING_OCR_API_TOKEN: 'wrong-token-for-this-test' };
    const json = await hwocr([...args, '--json'], { env });
    expect(json.code).toBe(1);
    expect(posts()).toBe(1);
    const { results } = JSON.parse(json.stdout);
    const auth = results[0].error as string;
    expect(auth).toMatch(/^401 Unauthorized: .*\(check HANDWRITING_OCR_API_TOKEN or --token-file\)$/);
    expect(results.slice(1).map((x: { error: string }) => x.error)).toEqual([
      `not sent: the batch stopped after ${auth}`,
      `not sent: the batch stopped after ${auth}`,
    ]);
    expect(errorJson(json)).toEqual({
      error: `all 3 files failed (2 not sent): ${auth}`,
      code: 'failed',
      status: null,
    });
    const plain = await hwocr(args, { env });
    expect(plain.stderr.split('\n').filter((l) => l.startsWith('hwocr:'))).toEqual([
      `hwocr: all 3 files failed (2 not sent): ${auth}`,
    ]);
  });

  it('--json after Ctrl-C: the results hold the ids; stderr only the JSON error, code interrupted', async () => {
    const controller = new AbortController();
    const pending = hwocr(['transcribe', 'a.png', '--out', 'out/', '--json', '--poll-interval', '5'], {
      signal: controller.signal,
    });
    while (sim.documents.length < 1) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const r = await pending;
    expect(r.code).toBe(130);
    expect(JSON.parse(r.stdout).results).toEqual([
      expect.objectContaining({ file: 'a.png', id: sim.documents[0]?.id, status: 'interrupted' }),
    ]);
    expect(errorJson(r)).toEqual({ error: 'interrupted', code: 'interrupted', status: null });
  });

  it('a big batch lists its failed files, then each cause once; files refused before sending are never sent', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `n${i}.png`);
    for (const name of names) writeFileSync(join(dir, name), tinyPng(name));
    writeFiles(dir, { 'bad1.txt': 'not an image', 'bad2.txt': 'nor this' });
    const r = await hwocr([
      'transcribe',
      ...names,
      'bad1.txt',
      'bad2.txt',
      '--out',
      'out/',
      '-c',
      '8',
      ...FAST,
    ]);
    expect(r.code, r.stderr).toBe(2); // every failure was the input
    expect(posts()).toBe(60);
    expect(r.stderr).not.toMatch(/bad1\.txt: uploading/);
    expect(r.stderr).toMatch(/^62 files: 60 done, 0 skipped, 2 failed, 0 unknown · 60 pages · /m);
    expect(r.stderr).toMatch(/^bad1\.txt: failed\n(.*\n)*bad2\.txt: failed$/m);
    expect(r.stderr).toMatch(/^ {2}bad1\.txt: Unsupported file type \(bad1\.txt\)/m);
    expect(r.stderr.match(/Unsupported file type/g)).toHaveLength(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('hwocr:'))).toEqual([
      'hwocr: 2 of 62 files failed',
    ]);
  });
});

describe('progress lines', () => {
  const p: BatchProgress = {
    total: 1000,
    states: {
      waiting: 0,
      queued: 400,
      uploading: 2,
      uploaded: 40,
      processed: 3,
      downloaded: 500,
      failed: 5,
      skipped: 50,
      unknown: 0,
      interrupted: 0,
    },
    done: 500,
    skipped: 50,
    failed: 5,
    unknown: 0,
    pages: 612,
    uploads: 545,
    rateLimited: 12,
    concurrency: 6,
    elapsedMs: 30_000,
    filesPerMinute: 1010,
    etaMs: 27_000,
  };
  it('say counts per state, files/min, ETA and pages spent', () => {
    expect(progressLine(p)).toBe(
      '550/1000 done · 400 queued, 2 uploading, 40 processing, 3 downloading, 5 failed, 0 unknown · 1010 files/min · ETA 27 seconds · 612 pages · 6 at a time',
    );
    expect(summaryLine(p)).toBe(
      '1000 files: 500 done, 50 skipped, 5 failed, 0 unknown · 612 pages · 30 seconds',
    );
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
