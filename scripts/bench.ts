// Benchmark: what the SDK costs per request over bare openapi-fetch (the headline: the helpers' own cost) and
// over raw fetch (a reference), and how much memory an upload of a 20 MB file from a path takes.
// `npm run bench` (options: --runs N --rounds N --requests N --only latency|memory).
//
// The API stand-in runs in a child process (keep-alive node:http) so its work does not share the client's event
// loop. Each latency run is a fresh process: variants run interleaved, round by round in rotating order, after a
// warm-up, and a run's figure is the median per-request time over its rounds. The spread printed is over the
// runs (3 by default): min, median and max of each figure and ratio, ratios taken within a run. The memory
// figure comes from a fresh child process with --expose-gc per run.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { HandwritingOCR } from '../src/index.js';

const TOKEN = 'bench-token-0123456789';
const FILE_BYTES = 20 * 1024 * 1024;

// Plain JS so the child needs no TypeScript loader.
const SERVER = `
const http = require('node:http');
const user = JSON.stringify({ id: 'rjq89y8DRY', name: 'Bench', email: 'b@example.com', balance: 11020, token: '${TOKEN}' });
const doc = JSON.stringify({ id: 'k2D9ZRz9Ob', file_name: 'a.pdf', action: 'transcribe', page_count: 1, status: 'processed',
  results: [{ page_number: 1, transcript: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.' }] });
const server = http.createServer((req, res) => {
  if (req.method === 'POST') {
    let n = 0;
    req.on('data', (c) => { n += c.length; });
    req.on('end', () => { res.writeHead(201, { 'content-type': 'application/json' }); res.end(JSON.stringify({ id: 'up' + n, status: 'queued' })); });
    return;
  }
  const body = req.url.endsWith('/users/me') ? user : doc;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}/v3`, child };
}

type Variant = { name: string; run: () => Promise<unknown> };

// µs per request: wall time, and this process's CPU time (the client's own cost, less sensitive to a busy machine).
async function timeRequests(variant: Variant, n: number): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) await variant.run();
  const wall = ((performance.now() - start) * 1000) / n;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / n };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One latency run's medians: request → variant → µs per request (wall, and this process's CPU). */
type LatencyRun = Record<string, Record<string, { wall: number; cpu: number }>>;

/** One latency run, in this process (`--latency-run`): the medians over `rounds` of `requests` each. */
async function latencyRun(url: string, rounds: number, requests: number): Promise<LatencyRun> {
  const headers = { Authorization: `Bearer ${TOKEN}` };
  const bare = createClient<paths>({ baseUrl: url, headers });
  const sdk = new HandwritingOCR({ apiToken: TOKEN, baseUrl: url });
  // A reference, not the headline: bare openapi-fetch with what the SDK must do for its per-attempt timeout (an
  // AbortController, a timer, the signal on the request). Node's fetch makes a request follow its signal (a
  // WeakRef, a FinalizationRegistry entry, a listener), a cost the bare call never pays.
  const withTimeout = <T>(call: (signal: AbortSignal) => Promise<T>) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    return call(controller.signal).finally(() => clearTimeout(timer));
  };
  const groups: { label: string; variants: Variant[] }[] = [
    {
      label: 'GET /users/me',
      variants: [
        { name: 'raw fetch', run: () => fetch(`${url}/users/me`, { headers }).then((r) => r.json()) },
        { name: 'openapi-fetch', run: () => bare.GET('/users/me') },
        {
          name: 'openapi-fetch + timeout',
          run: () => withTimeout((signal) => bare.GET('/users/me', { signal })),
        },
        { name: 'SDK', run: () => sdk.users.me() },
      ],
    },
    {
      label: 'GET /documents/{id}',
      variants: [
        {
          name: 'raw fetch',
          run: () => fetch(`${url}/documents/k2D9ZRz9Ob`, { headers }).then((r) => r.json()),
        },
        {
          name: 'openapi-fetch',
          run: () => bare.GET('/documents/{id}', { params: { path: { id: 'k2D9ZRz9Ob' } } }),
        },
        {
          name: 'openapi-fetch + timeout',
          run: () =>
            withTimeout((signal) =>
              bare.GET('/documents/{id}', { params: { path: { id: 'k2D9ZRz9Ob' } }, signal }),
            ),
        },
        { name: 'SDK', run: () => sdk.documents.retrieve('k2D9ZRz9Ob') },
      ],
    },
  ];
  const result: LatencyRun = {};
  for (const group of groups) {
    const samples = new Map<string, { wall: number[]; cpu: number[] }>(
      group.variants.map((v) => [v.name, { wall: [], cpu: [] }]),
    );
    const warmup = Math.max(2, Math.floor(rounds / 4));
    for (let round = 0; round < warmup + rounds; round++) {
      // Rotate the order each round so no variant always runs first (or right after GC pressure of another).
      for (let k = 0; k < group.variants.length; k++) {
        const variant = group.variants[(round + k) % group.variants.length] as Variant;
        const t = await timeRequests(variant, requests);
        const bucket = samples.get(variant.name);
        if (round >= warmup && bucket) {
          bucket.wall.push(t.wall);
          bucket.cpu.push(t.cpu);
        }
      }
    }
    result[group.label] = Object.fromEntries(
      [...samples].map(([name, b]) => [name, { wall: median(b.wall), cpu: median(b.cpu) }]),
    );
  }
  return result;
}

/** `runs` latency runs, each in a fresh process, one after the other. */
async function latencyRuns(
  url: string,
  runs: number,
  rounds: number,
  requests: number,
): Promise<LatencyRun[]> {
  const self = fileURLToPath(import.meta.url);
  const results: LatencyRun[] = [];
  for (let i = 0; i < runs; i++) {
    const args = [
      '--import',
      'tsx',
      self,
      '--latency-run',
      url,
      '--rounds',
      String(rounds),
      '--requests',
      String(requests),
    ];
    results.push(JSON.parse(await childOutput(args)) as LatencyRun);
  }
  return results;
}

/** min / median / max of a figure over runs. */
function spread(values: number[], digits: number, unit = ''): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (n: number | undefined) => `${(n ?? Number.NaN).toFixed(digits)}${unit}`;
  return `${f(median(values))} (${f(sorted[0])}–${f(sorted[sorted.length - 1])})`;
}

/** The latency table (median over runs, min–max in brackets) and the headline ratio, SDK ÷ openapi-fetch. */
function latencyReport(runs: LatencyRun[]): { table: string; worst: number } {
  const rows: string[][] = [];
  let worst = 0;
  for (const label of Object.keys(runs[0] ?? {})) {
    const of = (variant: string, key: 'wall' | 'cpu') =>
      runs.map((r) => r[label]?.[variant]?.[key] ?? Number.NaN);
    const ratio = (a: number[], b: number[]) => a.map((x, i) => x / (b[i] as number));
    const sdkVsBare = ratio(of('SDK', 'wall'), of('openapi-fetch', 'wall'));
    worst = Math.max(worst, median(sdkVsBare));
    rows.push([
      label,
      spread(of('raw fetch', 'wall'), 0),
      spread(of('openapi-fetch', 'wall'), 0),
      spread(of('SDK', 'wall'), 0),
      spread(sdkVsBare, 3, '×'),
      spread(ratio(of('SDK', 'cpu'), of('openapi-fetch', 'cpu')), 3, '×'),
      spread(ratio(of('SDK', 'wall'), of('openapi-fetch + timeout', 'wall')), 3, '×'),
      spread(ratio(of('openapi-fetch', 'wall'), of('raw fetch', 'wall')), 3, '×'),
      spread(ratio(of('SDK', 'wall'), of('raw fetch', 'wall')), 3, '×'),
    ]);
  }
  const head = [
    'request',
    'raw fetch µs',
    'bare openapi-fetch µs',
    'SDK µs',
    'SDK ÷ openapi-fetch',
    '(client CPU)',
    'SDK ÷ (openapi-fetch + timeout)',
    'openapi-fetch ÷ raw',
    'SDK ÷ raw',
  ];
  return { table: table(head, rows), worst };
}

// Runs in a fresh child (`--rss`): uploads the file and samples RSS and off-heap ArrayBuffer memory while it is
// sent. RSS also moves with V8's own young-generation growth (it doubles its semi-spaces under a high allocation
// rate), so it is noisy; ArrayBuffer memory is where the file's bytes would sit if anything buffered them.
async function rssChild(url: string, file: string, mode: Mode, eagerGc: boolean): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const sdk = new HandwritingOCR({ apiToken: TOKEN, baseUrl: url });
  // Warm the code paths with a tiny upload so module loading is not counted as upload memory.
  await sdk.documents.upload({ file: new Uint8Array(Buffer.from('%PDF-1.7\n')), action: 'transcribe' });
  gc?.();
  await new Promise((r) => setTimeout(r, 50));
  gc?.();
  const base = process.memoryUsage();
  let rss = base.rss;
  let buffers = base.arrayBuffers;
  const sample = () => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss);
    buffers = Math.max(buffers, now.arrayBuffers);
  };
  // Eager mode collects every 10 ms, so the figure is memory the upload holds on to rather than garbage that V8
  // has not collected yet (it lets tens of MB of spent ArrayBuffers pile up before a full GC).
  const timer = setInterval(
    () => {
      if (eagerGc) gc?.();
      sample();
    },
    eagerGc ? 10 : 2,
  );
  const started = performance.now();
  if (mode === 'sdk-path') {
    await sdk.documents.upload({ file, action: 'transcribe' });
  } else {
    const { readFile } = await import('node:fs/promises');
    await sdk.documents.upload({ file: await readFile(file), action: 'transcribe' });
  }
  const ms = performance.now() - started;
  clearInterval(timer);
  sample();
  const result: MemResult = { rss: rss - base.rss, buffers: buffers - base.arrayBuffers, ms };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

type Mode = 'sdk-path' | 'read-whole';
type MemResult = { rss: number; buffers: number; ms: number };

async function rss(url: string, mode: Mode, file: string, eagerGc: boolean): Promise<MemResult> {
  const self = fileURLToPath(import.meta.url);
  const args = ['--expose-gc', '--import', 'tsx', self, '--rss', url, file, mode, eagerGc ? 'eager' : 'lazy'];
  return JSON.parse(await childOutput(args)) as MemResult;
}

/** Runs `node ...args` and returns the last line it printed. */
async function childOutput(args: string[]): Promise<string> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`bench child exited with ${code}`);
  return out.trim().split('\n').pop() ?? '{}';
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      rss: { type: 'boolean', default: false },
      'latency-run': { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '20' },
      requests: { type: 'string', default: '200' },
      only: { type: 'string' }, // 'latency' or 'memory'
    },
  });
  if (values.rss) {
    const [url, file, mode, gcMode] = positionals as [string, string, Mode, string];
    await rssChild(url, file, mode, gcMode === 'eager');
    return;
  }
  if (values['latency-run']) {
    const [url] = positionals as [string];
    const run = await latencyRun(url, Number(values.rounds), Number(values.requests));
    process.stdout.write(`${JSON.stringify(run)}\n`);
    return;
  }
  const runs = Number(values.runs);
  const { url, child } = await startServer();
  const dir = await mkdtemp(join(tmpdir(), 'hwocr-bench-'));
  try {
    if (values.only !== 'memory') {
      const report = latencyReport(
        await latencyRuns(url, runs, Number(values.rounds), Number(values.requests)),
      );
      console.log(
        `\nPer-request time, loopback keep-alive, sequential: ${runs} runs (fresh processes), each the median of ${values.rounds} rounds × ${values.requests} requests; median over runs (min–max)`,
      );
      console.log(report.table);
      const verdict = report.worst <= 1.1 ? 'within' : 'OVER';
      console.log(
        `\nHeadline: the SDK costs ${report.worst.toFixed(3)}× bare openapi-fetch per request (worst request, median over runs): ${verdict} the 1.10× goal.`,
      );
    }
    if (values.only === 'latency') return;

    const file = join(dir, 'upload.pdf');
    const bytes = Buffer.alloc(FILE_BYTES, 0x20);
    bytes.write('%PDF-1.7\n', 0, 'latin1');
    await writeFile(file, bytes);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const ratio = (n: number) => `${(n / FILE_BYTES).toFixed(3)}×`;
    const memRows: string[][] = [];
    for (const [label, mode] of [
      ['SDK, file path (streamed)', 'sdk-path'],
      ['reference: readFile → bytes', 'read-whole'],
    ] as const) {
      for (const eager of [false, true]) {
        const results: MemResult[] = [];
        for (let i = 0; i < runs; i++) results.push(await rss(url, mode, file, eager));
        const rssGrowth = median(results.map((r) => r.rss));
        const buffers = median(results.map((r) => r.buffers));
        memRows.push([
          label,
          eager ? 'gc() every 10 ms' : 'V8 default',
          `${mb(rssGrowth)} (${ratio(rssGrowth)})`,
          results.map((r) => ratio(r.rss)).join(' '),
          `${mb(buffers)} (${ratio(buffers)})`,
          median(results.map((r) => r.ms)).toFixed(0),
        ]);
      }
    }
    console.log(
      `\nMemory while uploading a ${mb(FILE_BYTES)} MB file: growth over a gc'd baseline, fresh process per run, median of ${runs}`,
    );
    console.log(
      table(
        [
          'upload',
          'GC',
          'peak RSS MB (× file)',
          'RSS × file, each run',
          'peak ArrayBuffers MB (× file)',
          'ms',
        ],
        memRows,
      ),
    );
  } finally {
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
