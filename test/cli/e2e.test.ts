// The real bin as a spawned process (node --import tsx src/cli/index.ts) against simulators started here:
// exit codes, files, stdout, --json, no escape codes on pipes, no token in any output, topup refused.
// Spawns are slow (~0.5 s each), so they all start at once and the tests assert on their results.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandwritingOCR } from '../../src/index.js';
import { type Simulator, startSimulator } from '../../src/testing/index.js';
import {
  hasAnsi,
  ROOT,
  type RunResult,
  spawnCli,
  spawnNode,
  spawnTs,
  tempDir,
  tinyPng,
  writeFiles,
} from './helpers.js';

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
  const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`m${i}.png`, tinyPng(`many ${i}`)]));
  writeFiles(dir, many);
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
    // 12 files in flight at once: each listens on the run's abort signal while it waits.
    many: spawnCli(
      ['transcribe', ...Object.keys(many), '--out', 'many/', '-c', '12', '-q', '--poll-interval', '0.05'],
      { cwd: dir, env: env(sim) },
    ),
    help: spawnBin(['--help']),
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

/** `node bin/hwocr.js …`, the bin as npm links it (it runs the CLI from source in a checkout). */
function spawnBin(argv: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return spawnNode([join(ROOT, 'bin/hwocr.js'), ...argv], { cwd: dir, env: { ...cleanEnv(), ...env } });
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.HANDWRITING_OCR_API_TOKEN;
  delete env.HANDWRITING_OCR_BASE_URL;
  return env;
}

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
    // --json: the error is JSON too, one line on stderr.
    expect(JSON.parse(r.stderr)).toEqual({
      error: `1 of 3 files failed (fail.png): ${body.results[2]?.error}`,
      code: 'failed',
      status: null,
    });
    expect(hasAnsi(r.stdout + r.stderr)).toBe(false);
  });

  it('me: the token is printed as [REDACTED] and nowhere in clear', () => {
    const r = get('me');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^token\s+\[REDACTED\]$/m);
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
    expect(r.stderr).toMatch(
      /simulator listening on http:\/\/127\.0\.0\.1:\d+\/v3 \(token: hwocr-simulator-token\)/,
    );
    // What to run by hand afterwards: commands that work as they are against `hwocr simulator`.
    expect(r.stderr).toContain('  npx hwocr simulator\n');
    expect(r.stderr).toContain(
      'export HANDWRITING_OCR_BASE_URL=http://127.0.0.1:4780/v3 HANDWRITING_OCR_API_TOKEN=hwocr-simulator-token',
    );
    expect(r.stderr).toMatch(/sample-note\.png: done/);
    expect(r.stdout).toBe(get('sample').stdout);
    expect(hasAnsi(r.stdout + r.stderr)).toBe(false);
  });

  it('bin/hwocr.js runs from source in a checkout: --help works with no build', () => {
    const r = get('help');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: hwocr /);
    expect(r.stdout).toMatch(/^\s+simulator \[options\]/m);
  });

  it('a batch of 12 files in flight at once prints no MaxListenersExceededWarning', () => {
    const r = get('many');
    expect(r.code, r.stderr).toBe(0);
    // Every output, and the batch journal beside them (`--out DIR` is a resumable batch).
    expect(readdirSync(join(dir, 'many')).sort()).toEqual(
      ['.hwocr-journal.jsonl', ...Array.from({ length: 12 }, (_, i) => `m${i}.txt`)].sort(),
    );
    expect(r.stderr).not.toMatch(/MaxListenersExceededWarning|Warning/);
    expect(r.stderr).toBe('');
  });

  it('no output from any run carries the token', () => {
    for (const r of Object.values(results)) {
      expect(r.stdout + r.stderr).not.toContain(sim.token);
      expect(r.stdout + r.stderr).not.toContain(topupSim.token);
    }
  });
});

describe('hwocr simulator as a process', () => {
  /** Starts `hwocr simulator …`; resolves with the child and its first stdout line. */
  function startSimulatorProcess(argv: string[]) {
    const child = spawn(process.execPath, [join(ROOT, 'bin/hwocr.js'), 'simulator', ...argv], {
      cwd: ROOT,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const firstLine = new Promise<string>((resolveLine, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c;
        const end = stdout.indexOf('\n');
        if (end >= 0) resolveLine(stdout.slice(0, end));
      });
      child.on('close', (code) => reject(new Error(`exited ${code} before printing: ${stderr}`)));
    });
    const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    return { child, firstLine, exit, output: () => ({ stdout, stderr }) };
  }

  it('--json: one JSON line (url, token), serves the API and the control API, SIGTERM exits 0', async () => {
    const proc = startSimulatorProcess(['--port', '0', '--json', '--processing-ms', '0', '--credits', '42']);
    try {
      const info = JSON.parse(await proc.firstLine) as { url: string; token: string; controlUrl: string };
      expect(info).toEqual({
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v3$/),
        token: 'hwocr-simulator-token',
        port: expect.any(Number),
        controlUrl: info.url.replace(/\/v3$/, '/_simulator'),
      });
      const r = await spawnCli(
        ['transcribe', join(ROOT, 'examples/sample-note.png'), '--poll-interval', '0.05'],
        {
          cwd: dir,
          env: { HANDWRITING_OCR_API_TOKEN: info.token, HANDWRITING_OCR_BASE_URL: info.url },
        },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(get('sample').stdout);
      const auth = { authorization: `Bearer ${info.token}` };
      const log = (await (await fetch(`${info.controlUrl}/requests`, { headers: auth })).json()) as {
        requests: { route: string }[];
      };
      expect(log.requests.map((q) => q.route)).toContain('POST /documents');
      const credits = (await (await fetch(`${info.controlUrl}/credits`, { headers: auth })).json()) as {
        credits: number;
      };
      expect(credits.credits).toBe(41); // --credits 42, one page transcribed
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exit).toBe(0);
  }, 30_000);

  it('prints the base URL and the token for people; Ctrl-C (SIGINT) exits 0', async () => {
    const proc = startSimulatorProcess(['--port', '0', '--token', 'my-test-token']);
    const first = await proc.firstLine;
    expect(first).toMatch(/^Handwriting OCR simulator listening on http:\/\/127\.0\.0\.1:\d+\/v3$/);
    await new Promise((r) => setTimeout(r, 100));
    expect(proc.output().stdout).toContain('token: my-test-token');
    expect(proc.output().stdout).toContain('export HANDWRITING_OCR_API_TOKEN=my-test-token');
    proc.child.kill('SIGINT');
    expect(await proc.exit).toBe(0);
  }, 30_000);

  it('a port in use: exit 1 and what to do', async () => {
    const busy = await startSimulator({ port: 0 });
    try {
      const r = await spawnBin(['simulator', '--port', String(busy.port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `hwocr: port ${busy.port} on 127.0.0.1 is in use: choose another with --port N, or --port 0 for a free one\n`,
      );
    } finally {
      await busy.close();
    }
  }, 30_000);
});
