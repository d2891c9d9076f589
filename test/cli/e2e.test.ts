// The real bin as a spawned process (node --import tsx src/cli/index.ts) against simulators started here:
// exit codes, files, stdout, --json, no escape codes on pipes, no token in any output, topup refused.
// Spawns are slow (~0.5 s each), so they all start at once and the tests assert on their results.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandwritingOCR } from '../../src/index.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import { hasAnsi, ROOT, type RunResult, spawnCli, spawnTs, tempDir, tinyPng, writeFiles } from './helpers.js';

let sim: Simulator;
let topupSim: Simulator;
let dir: string;
let cleanup: () => void;
const results: Record<string, RunResult> = {};

beforeAll(async () => {
  [sim, topupSim] = await Promise.all([
    startSimulator({
      port: 0,
      processingMs: 0,
      transcribe: (i) => (i.fileName.includes('fail') ? 'failed' : undefined),
    }),
    startSimulator({ port: 0, processingMs: 0 }),
  ]);
  ({ dir, cleanup } = tempDir());
  writeFiles(dir, {
    'a.png': tinyPng('alpha text'),
    'b.png': tinyPng('beta text'),
    'fail.png': tinyPng('x'),
  });
  const env = (s: Simulator) => ({ HANDWRITING_OCR_API_TOKEN: s.token, HANDWRITING_OCR_BASE_URL: s.url });
  const runs: Record<string, Promise<RunResult>> = {
    sample: spawnCli(['transcribe', join(ROOT, 'examples/sample-note.png'), '--poll-interval', '0.05'], {
      cwd: dir,
      env: env(sim),
    }),
    batch: spawnCli(
      ['transcribe', 'a.png', 'b.png', 'fail.png', '--out', 'out/', '--json', '--poll-interval', '0.05'],
      {
        cwd: dir,
        env: env(sim),
      },
    ),
    me: spawnCli(['me'], { cwd: dir, env: env(sim) }),
    notFound: spawnCli(['documents', 'get', 'zzzzzzzzzz', '--base-url', sim.url], {
      cwd: dir,
      env: { HANDWRITING_OCR_API_TOKEN: sim.token },
    }),
    topup: spawnCli(['credits', 'topup', '500'], { cwd: dir, env: env(topupSim) }),
    usage: spawnCli(['transcribe'], { cwd: dir, env: env(sim) }),
    demo: runDemo(),
  };
  await Promise.all(
    Object.entries(runs).map(async ([name, p]) => {
      results[name] = await p;
    }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([sim?.close(), topupSim?.close()]);
  cleanup?.();
});

/** `tsx scripts/demo.ts`, as `npm run demo` runs it. */
const runDemo = (): Promise<RunResult> => spawnTs(join(ROOT, 'scripts/demo.ts'));

const get = (name: string): RunResult => results[name] as RunResult;
const errorLines = (r: RunResult) => r.stderr.split('\n').filter((l) => l.startsWith('hwocr:'));

describe('hwocr as a process', () => {
  it('transcribe one file: exit 0, the transcript on stdout, plain progress without escapes', async () => {
    const r = get('sample');
    expect(r.code, r.stderr).toBe(0);
    const doc = sim.documents.find((d) => d.fileName === 'sample-note.png');
    const client = new HandwritingOCR({ apiToken: sim.token, baseUrl: sim.url });
    const transcript = await client.documents.download(doc?.id ?? '', 'txt');
    expect(transcript.trim().length).toBeGreaterThan(0);
    expect(r.stdout).toBe(transcript);
    expect(r.stderr).toMatch(/sample-note\.png: uploading\n/);
    expect(r.stderr).toMatch(/sample-note\.png: done/);
    expect(hasAnsi(r.stdout)).toBe(false);
    expect(hasAnsi(r.stderr)).toBe(false);
  });

  it('transcribe several files: one output per input, --json shape, exit 1 when one fails', () => {
    const r = get('batch');
    expect(r.code).toBe(1);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.hwocr-journal.jsonl', 'a.txt', 'b.txt']);
    expect(readFileSync(join(dir, 'out', 'a.txt'), 'utf8').trim()).toBe('alpha text');
    expect(readFileSync(join(dir, 'out', 'b.txt'), 'utf8').trim()).toBe('beta text');
    const body = JSON.parse(r.stdout) as { results: Record<string, unknown>[] };
    expect(body.results).toEqual([
      {
        file: 'a.png',
        id: expect.any(String),
        status: 'processed',
        format: 'txt',
        output: join('out', 'a.txt'),
      },
      {
        file: 'b.png',
        id: expect.any(String),
        status: 'processed',
        format: 'txt',
        output: join('out', 'b.txt'),
      },
      {
        file: 'fail.png',
        id: expect.any(String),
        status: 'failed',
        format: 'txt',
        error: expect.any(String),
      },
    ]);
    expect(errorLines(r)).toEqual([`hwocr: 1 of 3 files failed: fail.png: ${body.results[2]?.error}`]);
    expect(hasAnsi(r.stdout + r.stderr)).toBe(false);
  });

  it('me: the token is printed as *** and nowhere in clear', () => {
    const r = get('me');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^token\s+\*\*\*$/m);
    expect(r.stdout + r.stderr).not.toContain(sim.token);
  });

  it('an API error: exit 1 and one readable line, no stack', () => {
    const r = get('notFound');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('hwocr: 404 Not Found: Document not found.\n');
  });

  it('credits topup without --yes: exit 2, and nothing was sent', () => {
    const r = get('topup');
    expect(r.code).toBe(2);
    expect(errorLines(r)).toEqual([
      "hwocr: buying 500 credits charges your payment method: add --yes to confirm (see 'hwocr credits topup --help')",
    ]);
    expect(topupSim.requests).toEqual([]);
    expect(topupSim.credits).toBe(1000);
  });

  it('a usage error: exit 2 with a hint to --help', () => {
    const r = get('usage');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("hwocr: missing required argument 'files' (see 'hwocr transcribe --help')\n");
  });

  it('npm run demo (scripts/demo.ts): its own simulator, the sample transcribed, exit 0', () => {
    const r = get('demo');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/simulator listening on http:\/\/127\.0\.0\.1:\d+\/v3/);
    expect(r.stderr).toMatch(/sample-note\.png: done/);
    expect(r.stdout).toBe(get('sample').stdout);
    expect(hasAnsi(r.stdout + r.stderr)).toBe(false);
  });

  it('no output from any run carries the token', () => {
    for (const r of Object.values(results)) {
      expect(r.stdout + r.stderr).not.toContain(sim.token);
      expect(r.stdout + r.stderr).not.toContain(topupSim.token);
    }
  });
});
