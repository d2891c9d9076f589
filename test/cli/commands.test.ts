// Every command run in-process (`run()` with captured streams) against a simulator on a real port.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HandwritingOCR } from '../../src/index.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { hasAnsi, type RunOptions, type RunResult, runCli, tempDir, tinyPng, writeFiles } from './helpers.js';

let sim: Simulator;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    processingMs: 0,
    // A file whose name says so fails to process; the rest read their PNG text (or the default sentence).
    transcribe: (input) => (input.fileName.includes('fail') ? { failed: 'The scan is blank.' } : undefined),
  });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

/** Runs `hwocr` in-process, authenticated against the simulator, in the temp dir. */
function hwocr(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  return runCli(argv, {
    cwd: dir,
    ...options,
    env: { HANDWRITING_OCR_API_TOKEN: sim.token, HANDWRITING_OCR_BASE_URL: sim.url, ...options.env },
  });
}

/** Lines of `text`, without the empty last one. */
const lines = (text: string) => text.split('\n').filter((l) => l !== '');
/** Fast polling: the simulator finishes at once. */
const FAST = ['--poll-interval', '0.02'];

function expectOneErrorLine(result: RunResult, pattern: RegExp): void {
  const errLines = lines(result.stderr).filter((l) => l.startsWith('hwocr:'));
  expect(errLines, result.stderr).toHaveLength(1);
  expect(errLines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack without --debug
}

describe('transcribe', () => {
  it('prints the transcript of one file on stdout and plain progress on stderr', async () => {
    writeFiles(dir, { 'note.png': tinyPng('Dear diary, it rained.') });
    const r = await hwocr(['transcribe', 'note.png', ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('Dear diary, it rained.');
    expect(hasAnsi(r.stdout + r.stderr)).toBe(false);
    expect(r.stderr).toMatch(/^note\.png: uploading$/m);
    expect(r.stderr).toMatch(/^note\.png: done \(id [A-Za-z0-9]+\)$/m);
    expect(r.stderr).not.toContain(sim.token);
    expect(sim.documents).toHaveLength(1);
  });

  it('writes one file per input into --out DIR, uploading at most --max-concurrency at a time', async () => {
    writeFiles(dir, { 'a.png': tinyPng('alpha'), 'b.png': tinyPng('beta'), 'c.png': tinyPng('gamma') });
    const r = await hwocr([
      'transcribe',
      'a.png',
      'b.png',
      'c.png',
      '--out',
      'out/',
      '--concurrency',
      '1',
      '--max-concurrency',
      '1',
      ...FAST,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    // The batch journal sits beside the outputs (see test/batch for what it holds).
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.hwocr-journal.jsonl', 'a.txt', 'b.txt', 'c.txt']);
    expect(readFileSync(join(dir, 'out', 'b.txt'), 'utf8').trim()).toBe('beta');
    expect(r.stderr).toMatch(/^a\.png: done → out\/a\.txt$/m);
    // With one slot, the uploads arrive strictly in order.
    const uploads = sim.requests.filter((q) => q.route === 'POST /documents');
    expect(uploads).toHaveLength(3);
    expect([...sim.documents].reverse().map((d) => d.fileName)).toEqual(['a.png', 'b.png', 'c.png']);
  });

  it('writes --out FILE for one input, atomically (no temp file left)', async () => {
    writeFiles(dir, { 'a.png': tinyPng('alpha') });
    const r = await hwocr(['transcribe', 'a.png', '-o', 'result.json', '-f', 'json', ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    expect(doc).toMatchObject({ action: 'transcribe', status: 'processed' });
    expect(readdirSync(dir).sort()).toEqual(['a.png', 'result.json']);
  });

  it('keeps going when some files fail, then exits 1 with each cause said once', async () => {
    writeFiles(dir, { 'good.png': tinyPng('fine'), 'fail.png': tinyPng('never'), 'bad.png': 'not an image' });
    const r = await hwocr(['transcribe', 'good.png', 'fail.png', 'bad.png', '--out', 'out/', ...FAST]);
    expect(r.code).toBe(1);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.hwocr-journal.jsonl', 'good.txt']);
    expect(r.stderr).toMatch(/^fail\.png: failed \(id \w+\)$/m);
    // The API's own reason for the failure is printed.
    expect(r.stderr).toMatch(/^ {2}fail\.png: Document \w+ failed to process: The scan is blank\.$/m);
    // Refused by the SDK's checks before sending: no "uploading" line, its error printed once.
    expect(r.stderr).not.toMatch(/^bad\.png: uploading$/m);
    expect(r.stderr).toMatch(/^bad\.png: failed$/m);
    expect(r.stderr.match(/Unsupported file type/g)).toHaveLength(1);
    expectOneErrorLine(r, /^hwocr: 2 of 3 files failed$/);
    expect(sim.requests.filter((q) => q.route === 'POST /documents')).toHaveLength(2);
  });

  it('files refused before sending: nothing sent, each error once, exit 2 when every failure was the input', async () => {
    writeFiles(dir, { 'a.txt': 'not an image', 'b.txt': 'nor this' });
    const r = await hwocr(['transcribe', 'a.txt', 'b.txt', '--out', 'out/', ...FAST]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toContain('uploading');
    // Each file's own error (it names the file), once each.
    expect(r.stderr.match(/Unsupported file type/g)).toHaveLength(2);
    expect(r.stderr).toMatch(/^ {2}a\.txt: Unsupported file type \(a\.txt\)/m);
    expectOneErrorLine(r, /^hwocr: all 2 files failed$/);
    expect(sim.requests).toEqual([]);
  });

  it('a 401 stops the batch before it uploads the rest, and says the cause once', async () => {
    writeFiles(dir, {
      'a.png': tinyPng('a'),
      'b.png': tinyPng('b'),
      'c.png': tinyPng('c'),
      'd.png': tinyPng('d'),
    });
    const r = await hwocr(
      ['transcribe', 'a.png', 'b.png', 'c.png', 'd.png', '--out', 'out/', '-c', '1', ...FAST],
      {
        env: { HANDWRITING_OCR_API_TOKEN: 'wrong-token-for-this-test' },
      },
    );
    expect(r.code).toBe(1);
    expect(sim.requests.filter((q) => q.route === 'POST /documents')).toHaveLength(1);
    expect(r.stderr).toMatch(/^b\.png: not sent$/m);
    expect(r.stderr.match(/401 Unauthorized/g)).toHaveLength(1);
    expectOneErrorLine(
      r,
      /^hwocr: all 4 files failed \(3 not sent\): 401 Unauthorized: .*HANDWRITING_OCR_API_TOKEN/,
    );
  });

  it('a 404 under a base URL without /v3 hints at the base URL', async () => {
    writeFiles(dir, { 'a.png': tinyPng('a') });
    const r = await hwocr(['transcribe', 'a.png', ...FAST], {
      env: { HANDWRITING_OCR_BASE_URL: sim.url.replace(/\/v3$/, '') },
    });
    expect(r.code).toBe(1);
    expectOneErrorLine(
      r,
      /^hwocr: a\.png: 404 .*is the base URL right\? .* has no version in its path; the API's is https:\/\/api\.handwritingocr\.com\/v3/,
    );
  });

  it('--json prints one object with a result per file (content embedded without --out)', async () => {
    writeFiles(dir, { 'a.png': tinyPng('alpha'), 'fail.png': tinyPng('x') });
    const r = await hwocr(['--json', 'transcribe', 'a.png', 'fail.png', ...FAST]);
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout);
    expect(body).toEqual({
      results: [
        {
          file: 'a.png',
          id: expect.any(String),
          status: 'processed',
          format: 'txt',
          content: expect.stringContaining('alpha'),
        },
        {
          file: 'fail.png',
          id: expect.any(String),
          status: 'failed',
          format: 'txt',
          error: expect.stringMatching(/failed to process: The scan is blank\.$/),
        },
      ],
    });
    // No progress under --json: stderr holds the error, as JSON too.
    expect(lines(r.stderr).map((l) => JSON.parse(l))).toEqual([
      { error: `1 of 2 files failed (fail.png): ${body.results[1].error}`, code: 'failed', status: null },
    ]);
  });

  it('--json with --out reports the paths written', async () => {
    writeFiles(dir, { 'a.png': tinyPng('alpha') });
    const r = await hwocr(['transcribe', 'a.png', '--out', 'o/', '--json', ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      results: [
        {
          file: 'a.png',
          id: expect.any(String),
          status: 'processed',
          format: 'txt',
          output: join('o', 'a.txt'),
        },
      ],
      summary: expect.objectContaining({ total: 1, done: 1, skipped: 0, failed: 0, unknown: 0, pages: 1 }),
    });
    expect(r.stderr).toBe('');
  });

  it('tables: json by default, xlsx as bytes to a non-terminal stdout', async () => {
    writeFiles(dir, { 't.png': tinyPng('a | b\n1 | 2') });
    const json = await hwocr(['transcribe', 't.png', '--action', 'tables', '-q', ...FAST]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ action: 'tables', status: 'processed' });
    expect(json.stderr).toBe('');
    const xlsx = await hwocr([
      'transcribe',
      't.png',
      '--action',
      'tables',
      '--format',
      'xlsx',
      '-q',
      ...FAST,
    ]);
    expect(xlsx.code, xlsx.stderr).toBe(0);
    expect(xlsx.stdoutBytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip (OOXML)
  });

  it('extractor passes the extractor id; csv is offered', async () => {
    writeFiles(dir, { 'f.png': tinyPng('Name: Ada\nAge: 36') });
    const r = await hwocr([
      'transcribe',
      'f.png',
      '-a',
      'extractor',
      '--extractor-id',
      'abcde12345',
      '-f',
      'csv',
      ...FAST,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Ada');
    expect(sim.documents[0]?.extractorId).toBe('abcde12345');
  });

  it('passes --prompt-id to the upload; refuses an unusable one before sending anything', async () => {
    writeFiles(dir, { 'a.png': tinyPng('x') });
    const r = await hwocr(['transcribe', 'a.png', '--prompt-id', 'Pr0mpt42', '-q', ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    expect(sim.documents[0]?.promptId).toBe('Pr0mpt42');
    sim.clearRequests();
    const bad = await hwocr(['transcribe', 'a.png', '--prompt-id', 'p'.repeat(256), ...FAST]);
    expect(bad.code).toBe(2);
    expect(sim.requests).toHaveLength(0);
  });

  it('passes --delete-after to the upload', async () => {
    writeFiles(dir, { 'a.png': tinyPng('x') });
    const before = Date.now();
    const r = await hwocr(['transcribe', 'a.png', '--delete-after', '600', '-q', ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    const deleteAt = sim.documents[0]?.deleteAt.getTime() ?? 0;
    expect(deleteAt - before).toBeGreaterThanOrEqual(599_000);
    expect(deleteAt - before).toBeLessThan(610_000);
  });

  it('an upload refused by the API (insufficient credits) fails that file with the API message', async () => {
    writeFiles(dir, { 'a.png': tinyPng('x') });
    sim.setCredits(0);
    const r = await hwocr(['transcribe', 'a.png', ...FAST]);
    expect(r.code).toBe(1);
    expectOneErrorLine(r, /^hwocr: a\.png: 403 Forbidden: Insufficient page credits\.$/);
  });

  it('waits out a 404 right after the upload (the API lags), but not an upload answered 500', async () => {
    writeFiles(dir, { 'a.png': tinyPng('alpha'), 'b.png': tinyPng('beta') });
    const notYet = sim.faults.inject({ route: 'GET /documents/{id}', kind: 'status', status: 404, times: 1 });
    const lag = await hwocr(['transcribe', 'a.png', ...FAST]);
    expect(lag.code, lag.stderr).toBe(0);
    expect(notYet.hits).toBe(1);
    expect(lag.stdout.trim()).toBe('alpha');

    sim.faults.inject({ route: 'POST /documents', kind: 'status', status: 500, when: 'after' });
    const lost = await hwocr(['transcribe', 'b.png', ...FAST]);
    expect(lost.code).toBe(1);
    expectOneErrorLine(lost, /^hwocr: b\.png: 500 Internal Server Error/);
    // Never uploaded twice: a second upload would cost credits again.
    expect(sim.requests.filter((q) => q.route === 'POST /documents')).toHaveLength(2);
  });

  it('shows the status the SDK reports, whatever it is (here `new`, as older accounts send)', async () => {
    writeFiles(dir, { 'a.png': tinyPng('alpha') });
    let polls = 0;
    // The first two polls answer 200 with a pending status of the API's own; the rest reach the simulator.
    const fetch = async (request: Request): Promise<Response> => {
      const path = new URL(request.url).pathname;
      if (request.method === 'GET' && /\/documents\/[A-Za-z0-9]+$/.test(path) && polls++ < 2) {
        const id = path.split('/').at(-1);
        return Response.json({ id, status: 'new' });
      }
      return globalThis.fetch(request);
    };
    const r = await hwocr(['transcribe', 'a.png', ...FAST], { fetch });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^a\.png: queued \(id \w+\)\na\.png: new \(id \w+\)\na\.png: downloading/m);
    expect(r.stdout.trim()).toBe('alpha');
  });

  it('draws a live listr2 display on a terminal stderr, and leaves stdout clean', async () => {
    const slow = await startSimulator({ port: 0, processingMs: 150 });
    try {
      writeFiles(dir, { 'a.png': tinyPng('alpha'), 'b.png': tinyPng('beta') });
      const r = await runCli(['transcribe', 'a.png', 'b.png', '--out', 'out/', '--poll-interval', '0.05'], {
        cwd: dir,
        stderrTTY: true,
        env: { HANDWRITING_OCR_API_TOKEN: slow.token, HANDWRITING_OCR_BASE_URL: slow.url, TERM: 'xterm' },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(hasAnsi(r.stderr)).toBe(true);
      expect(r.stderr).toContain('Transcribing 2 files');
      expect(r.stderr).toContain('2/2');
      expect(r.stderr).toContain('a.png: done → out/a.txt');
      expect(r.stdout).toBe('');
      expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.hwocr-journal.jsonl', 'a.txt', 'b.txt']);
    } finally {
      await slow.close();
    }
  });

  it('Ctrl-C (the signal) stops waiting, exits 130 and says how to fetch what was uploaded', async () => {
    const slow = await startSimulator({ port: 0, processingMs: 60_000 });
    try {
      writeFiles(dir, { 'a.png': tinyPng('alpha') });
      const controller = new AbortController();
      const running = runCli(
        [
          'transcribe',
          'a.png',
          '-f',
          'docx',
          '--out',
          'out/',
          '--base-url',
          slow.url,
          '--poll-interval',
          '0.05',
        ],
        { cwd: dir, signal: controller.signal, env: { HANDWRITING_OCR_API_TOKEN: slow.token } },
      );
      await waitUntil(() => slow.documents.length === 1);
      controller.abort();
      const r = await running;
      expect(r.code).toBe(130);
      const id = slow.documents[0]?.id;
      // Paste-ready: the format, the place and the API this run used.
      expect(r.stderr).toContain(
        `a.png was uploaded as ${id}: fetch it later with 'hwocr documents download ${id} --wait --format docx --out out/a.docx --base-url ${slow.url}'`,
      );
      expect(lines(r.stderr).at(-1)).toBe('hwocr: interrupted');
    } finally {
      await slow.close();
    }
  });

  it('Ctrl-C with --json: the results hold the id; stderr only the JSON error, code interrupted', async () => {
    const slow = await startSimulator({ port: 0, processingMs: 60_000 });
    try {
      writeFiles(dir, { 'a.png': tinyPng('alpha') });
      const controller = new AbortController();
      const running = runCli(['--json', 'transcribe', 'a.png', '--poll-interval', '0.05'], {
        cwd: dir,
        signal: controller.signal,
        env: { HANDWRITING_OCR_API_TOKEN: slow.token, HANDWRITING_OCR_BASE_URL: slow.url },
      });
      await waitUntil(() => slow.documents.length === 1);
      controller.abort();
      const r = await running;
      expect(r.code).toBe(130);
      expect(JSON.parse(r.stdout).results).toEqual([
        expect.objectContaining({
          file: 'a.png',
          id: slow.documents[0]?.id,
          status: 'failed',
          error: 'interrupted',
        }),
      ]);
      expect(lines(r.stderr).map((l) => JSON.parse(l))).toEqual([
        { error: 'interrupted', code: 'interrupted', status: null },
      ]);
    } finally {
      await slow.close();
    }
  });

  it('a wait timeout names the document, in the unit typed (seconds), so it can be fetched later', async () => {
    const slow = await startSimulator({ port: 0, processingMs: 60_000 });
    try {
      writeFiles(dir, { 'a.png': tinyPng('alpha') });
      const r = await runCli(['transcribe', 'a.png', '--timeout', '0.3', '--poll-interval', '0.05'], {
        cwd: dir,
        env: { HANDWRITING_OCR_API_TOKEN: slow.token, HANDWRITING_OCR_BASE_URL: slow.url },
      });
      expect(r.code).toBe(1);
      expectOneErrorLine(
        r,
        /^hwocr: a\.png: document (\w+) was not processed within 0\.3 s \(--timeout\); last status: \w+\. It may still finish: 'hwocr documents download \1 --wait --format txt'\.$/,
      );
      expect(r.stderr).not.toContain(' ms');
    } finally {
      await slow.close();
    }
  });
});

describe('usage errors exit 2 with one line and a hint, and send nothing', () => {
  it.each([
    [['transcribe'], /missing required argument 'files'.*\(see 'hwocr transcribe --help'\)$/],
    [['transcribe', 'a.png', '--bogus'], /unknown option '--bogus'/],
    [['transcribe', 'a.png', '--format', 'pdf'], /argument 'pdf' is invalid/],
    [
      ['transcribe', 'a.png', '--action', 'tables', '--format', 'txt'],
      /--format txt is not offered for --action tables/,
    ],
    [['transcribe', 'a.png', '--concurrency', '0'], /--concurrency.*positive integer/],
    [['transcribe', 'a.png', '--concurrency', 'two'], /positive integer/],
    [['transcribe', 'missing.png'], /no such file: missing\.png/],
    [['transcribe', 'a.png', 'b.png'], /several files need --out/],
    [['transcribe', 'a.png', '--delete-after', '10'], /300 to 1209600/],
    [['credits', 'topup', '500'], /buying 500 credits charges your payment method: add --yes to confirm/],
    [
      ['credits', 'topup', '150', '--yes'],
      /^hwocr: the amount must be a positive multiple of 100 \(got 150\)/,
    ],
    [['documents', 'get', '../x'], /"\.\.\/x" is not a document id: ids are letters and digits only/],
    [['documents', 'get', 'abc_def'], /not a document id/], // the SDK's rule: letters and digits only
    [['documents', 'list', '--per-page', '500'], /1 to 200/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j', async (argv, pattern) => {
    writeFiles(dir, { 'a.png': tinyPng('x'), 'b.png': tinyPng('y') });
    const balance = sim.credits;
    const r = await hwocr(argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expectOneErrorLine(r, pattern);
    expect(r.stderr).toMatch(/\(see 'hwocr.*--help'\)\n$/);
    expect(sim.requests).toEqual([]);
    expect(sim.credits).toBe(balance);
  });

  it('no token: names the variable and --token-file', async () => {
    writeFiles(dir, { 'a.png': tinyPng('x') });
    const r = await runCli(['transcribe', 'a.png'], { cwd: dir, env: { HANDWRITING_OCR_BASE_URL: sim.url } });
    expect(r.code).toBe(2);
    expectOneErrorLine(r, /no API token: set HANDWRITING_OCR_API_TOKEN or pass --token-file <path>/);
    expect(sim.requests).toEqual([]);
  });

  it('an unreadable --token-file is a usage error; a readable one works', async () => {
    const missing = await runCli(['me', '--token-file', 'nope'], {
      cwd: dir,
      env: { HANDWRITING_OCR_BASE_URL: sim.url },
    });
    expect(missing.code).toBe(2);
    expectOneErrorLine(missing, /cannot read token file nope \(ENOENT\)/);
    writeFileSync(join(dir, 'token'), `${sim.token}\n`);
    const ok = await runCli(['me', '--token-file', 'token'], {
      cwd: dir,
      env: { HANDWRITING_OCR_BASE_URL: sim.url },
    });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('a clear-text base URL off loopback is refused before anything is sent', async () => {
    const r = await hwocr(['me', '--base-url', 'http://api.example.com/v3']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(sim.token);
  });

  it('a group without its subcommand shows its help on stderr and exits 2; --help exits 0', async () => {
    const group = await hwocr(['documents']);
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('Usage: hwocr documents');
    const help = await hwocr(['transcribe', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--concurrency <n>');
    expect(help.stdout).toContain('Formats by action');
    const version = await hwocr(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('documents', () => {
  async function upload(names: string[]): Promise<string[]> {
    writeFiles(dir, Object.fromEntries(names.map((n) => [n, tinyPng(`text of ${n}`)])));
    const r = await hwocr(['--json', 'transcribe', ...names, '--out', 'up/', ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout).results.map((x: { id: string }) => x.id);
  }

  it('list: aligned lines, --json the page, --all every page', async () => {
    const ids = await upload(['one.png', 'two.png', 'three.png']);
    const plain = await hwocr(['documents', 'list', '--per-page', '2']);
    expect(plain.code, plain.stderr).toBe(0);
    const rows = lines(plain.stdout);
    expect(rows[0]).toMatch(/^ID\s+STATUS\s+ACTION\s+PAGES\s+CREATED\s+FILE$/);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/^\w+\s+processed\s+transcribe\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\w+\.png$/);
    expect(plain.stderr).toContain('page 1 of 2 (3 documents); --page 2 for more, or --all');

    const page = JSON.parse(
      (await hwocr(['documents', 'list', '--json', '--per-page', '2', '--page', '2'])).stdout,
    );
    expect(page).toMatchObject({ current_page: 2, last_page: 2, total: 3 });
    expect(page.documents).toHaveLength(1);

    const all = JSON.parse((await hwocr(['docs', 'list', '--all', '--per-page', '1', '--json'])).stdout);
    expect(all.documents.map((d: { id: string }) => d.id).sort()).toEqual([...ids].sort());
  });

  it('get, download (stdout, --out, --json) and delete', async () => {
    const [id] = (await upload(['note.png'])) as [string];
    const get = await hwocr(['documents', 'get', id]);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toMatch(new RegExp(`^id\\s+${id}$`, 'm'));
    expect(get.stdout).toMatch(/^status\s+processed$/m);
    expect(get.stdout).toMatch(/^formats\s+txt, docx, json$/m);
    expect(JSON.parse((await hwocr(['documents', 'get', id, '--json'])).stdout)).toMatchObject({
      id,
      status: 'processed',
    });

    const txt = await hwocr(['documents', 'download', id]);
    expect(txt.code, txt.stderr).toBe(0);
    expect(txt.stdout.trim()).toBe('text of note.png');

    const docx = await hwocr(['documents', 'download', id, '-f', 'docx', '--out', 'n.docx']);
    expect(docx.code, docx.stderr).toBe(0);
    expect(readFileSync(join(dir, 'n.docx')).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(docx.stderr).toBe('wrote n.docx\n');

    const intoDir = await hwocr(['documents', 'download', id, '-f', 'json', '--out', 'dl/', '--json']);
    expect(JSON.parse(intoDir.stdout)).toEqual({ id, format: 'json', output: join('dl', `${id}.json`) });
    expect(existsSync(join(dir, 'dl', `${id}.json`))).toBe(true);

    const embedded = JSON.parse((await hwocr(['documents', 'download', id, '--json'])).stdout);
    expect(embedded).toEqual({ id, format: 'txt', content: expect.stringContaining('text of note.png') });

    // Checked against the document's action before downloading, naming the formats it offers.
    sim.clearRequests();
    const wrong = await hwocr(['documents', 'download', id, '-f', 'xlsx', '--out', 'x.xlsx']);
    expect(wrong.code).toBe(2);
    expectOneErrorLine(wrong, /^hwocr: A "transcribe" document offers txt, docx, json; not xlsx\./);
    expect(sim.requests.map((q) => q.route)).toEqual(['GET /documents/{id}']);
    expect(existsSync(join(dir, 'x.xlsx'))).toBe(false);

    const del = await hwocr(['documents', 'delete', id]);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toBe(`deleted ${id}\n`);
    const gone = await hwocr(['documents', 'get', id]);
    expect(gone.code).toBe(1);
    expectOneErrorLine(gone, /^hwocr: 404 Not Found: Document not found\.$/);
  });

  it("get shows a failed document's error", async () => {
    writeFiles(dir, { 'fail.png': tinyPng('x') });
    const r = await hwocr(['--json', 'transcribe', 'fail.png', ...FAST]);
    const id = JSON.parse(r.stdout).results[0].id as string;
    const get = await hwocr(['documents', 'get', id]);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toMatch(/^status\s+failed$/m);
    expect(get.stdout).toMatch(/^error\s+The scan is blank\.$/m);
  });

  it('download of a document still processing says so; --wait waits', async () => {
    const slow = await startSimulator({ port: 0, processingMs: 300 });
    try {
      writeFiles(dir, { 'a.png': tinyPng('later') });
      const env = { HANDWRITING_OCR_API_TOKEN: slow.token, HANDWRITING_OCR_BASE_URL: slow.url };
      const client = new HandwritingOCR({ apiToken: slow.token, baseUrl: slow.url });
      const { id } = await client.documents.upload({ file: join(dir, 'a.png'), action: 'transcribe' });
      const early = await runCli(['documents', 'download', id, '-f', 'txt'], { cwd: dir, env });
      expect(early.code).toBe(1);
      expectOneErrorLine(early, new RegExp(`^hwocr: Document ${id} is still processing.*--wait`));
      const waited = await runCli(['documents', 'download', id, '--wait', '--poll-interval', '0.05'], {
        cwd: dir,
        env,
      });
      expect(waited.code, waited.stderr).toBe(0);
      expect(waited.stdout.trim()).toBe('later');
    } finally {
      await slow.close();
    }
  });
});

describe('account', () => {
  it('me: never prints the token, in plain or JSON output', async () => {
    const plain = await hwocr(['me']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^email\s+user@example\.com$/m);
    expect(plain.stdout).toMatch(/^credits\s+1000$/m);
    // The SDK's marker, the same in logs and in the CLI.
    expect(plain.stdout).toMatch(/^token\s+\[REDACTED\]$/m);
    const json = await hwocr(['me', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      email: 'user@example.com',
      balance: 1000,
      token: '[REDACTED]',
    });
    for (const r of [plain, json]) expect(r.stdout + r.stderr).not.toContain(sim.token);
    expect(plain.stdout).not.toMatch(/^blocked/m); // shown only when true
  });

  it('me: says so when the account is blocked', async () => {
    const blocked = await startSimulator({ user: { blocked: true } });
    try {
      const r = await runCli(['me'], {
        cwd: dir,
        env: { HANDWRITING_OCR_API_TOKEN: blocked.token, HANDWRITING_OCR_BASE_URL: blocked.url },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^blocked\s+yes$/m);
    } finally {
      await blocked.close();
    }
  });

  it('credits topup --yes buys; payment trouble is exit 1 with what to do', async () => {
    const ok = await hwocr(['credits', 'topup', '500', '--yes']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('bought 500 credits for $4.99; balance 1500\n');
    expect(sim.credits).toBe(1500);

    const again = await hwocr(['credits', 'topup', '100', '-y']);
    expect(again.code).toBe(1);
    expectOneErrorLine(again, /^hwocr: 429 Too Many Requests: .*Try again in \d+ (seconds|minutes)\.$/);

    sim.reset();
    sim.setPaymentOutcome('requires_action');
    const sca = await hwocr(['credits', 'topup', '100', '--yes']);
    expect(sca.code).toBe(1);
    expect(sca.stdout).toBe('');
    expectOneErrorLine(
      sca,
      /^hwocr: 402 Payment Required: .* Confirm the payment at https:\/\/\S+, then try again\.$/,
    );
  });

  it('--json: errors are JSON as well ({ error, code, status }), on stderr', async () => {
    sim.setPaymentOutcome('requires_action');
    const sca = await hwocr(['credits', 'topup', '100', '--yes', '--json']);
    expect(sca.code).toBe(1);
    expect(sca.stdout).toBe('');
    expect(JSON.parse(sca.stderr)).toEqual({
      error: expect.stringMatching(/^402 Payment Required: .* Confirm the payment at https:\/\/\S+/),
      code: 'payment_required',
      status: 402,
    });
    const usage = await hwocr(['credits', 'topup', '150', '--yes', '--json']);
    expect([usage.code, JSON.parse(usage.stderr)]).toEqual([
      2,
      { error: 'the amount must be a positive multiple of 100 (got 150)', code: 'usage', status: null },
    ]);
    const parse = await hwocr(['--json', 'documents', 'list', '--bogus']);
    expect([parse.code, JSON.parse(parse.stderr).code]).toEqual([2, 'usage']);
    const missing = await hwocr(['--json', 'documents', 'get', 'abcde12345']);
    expect([missing.code, JSON.parse(missing.stderr)]).toEqual([
      1,
      { error: '404 Not Found: Document not found.', code: 'not_found', status: 404 },
    ]);
  });

  it('a wrong token: exit 1, a hint, and the token in no output (not even with --debug)', async () => {
    const wrong = 'not-the-right-token-123456';
    const r = await hwocr(['me', '--debug'], { env: { HANDWRITING_OCR_API_TOKEN: wrong } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^hwocr: 401 Unauthorized: .*\(check HANDWRITING_OCR_API_TOKEN or --token-file\)$/m,
    );
    expect(r.stderr).toMatch(/\n\s+at /); // --debug: the stack
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  it('nothing listening (the connection is refused at once) is a connection failure, exit 1', async () => {
    const r = await hwocr(['me'], { env: { HANDWRITING_OCR_BASE_URL: 'http://127.0.0.1:9/v3' } });
    expect(r.code).toBe(1);
    expectOneErrorLine(r, /^hwocr: .*(connect|ECONNREFUSED|Connection)/i);
  });

  it('a server that never answers: --wait --timeout 1 gives up at the deadline, exit 1', async () => {
    sim.faults.inject({ route: 'GET /documents/{id}', kind: 'hang', times: Number.POSITIVE_INFINITY });
    const r = await hwocr(['documents', 'download', 'abcde12345', '--wait', '--timeout', '1']);
    expect(r.code).toBe(1);
    expectOneErrorLine(r, /^hwocr: .*abcde12345.* not processed within 1 s \(--timeout\)/);
    expect(sim.requests.map((q) => [q.route, q.fault])).toContainEqual(['GET /documents/{id}', 'hang']);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
