// Benchmark: what the SDK costs over raw fetch and bare openapi-fetch per request, and how much memory an
// upload of a 20 MB file from a path takes. `npx tsx scripts/bench.ts` (options: --rounds N --requests N).
//
// The API stand-in runs in a child process (keep-alive node:http) so its work does not share the client's event
// loop. Variants run interleaved, round by round in rotating order, after a warm-up; each figure is the median
// per-request time over rounds. The memory figure comes from a fresh child process with --expose-gc.
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

async function latency(url: string, rounds: number, requests: number) {
  const headers = { Authorization: `Bearer ${TOKEN}` };
  const bare = createClient<paths>({ baseUrl: url, headers });
  const sdk = new HandwritingOCR({ apiToken: TOKEN, baseUrl: url });
  const groups: { label: string; variants: Variant[] }[] = [
    {
      label: 'GET /users/me',
      variants: [
        { name: 'raw fetch', run: () => fetch(`${url}/users/me`, { headers }).then((r) => r.json()) },
        { name: 'openapi-fetch', run: () => bare.GET('/users/me') },
        { name: 'SDK users.me()', run: () => sdk.users.me() },
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
        { name: 'SDK documents.retrieve()', run: () => sdk.documents.retrieve('k2D9ZRz9Ob') },
      ],
    },
  ];
  const rows: string[][] = [];
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
    const base = samples.get('raw fetch');
    const baseWall = median(base?.wall ?? []);
    const baseCpu = median(base?.cpu ?? []);
    for (const variant of group.variants) {
      const bucket = samples.get(variant.name);
      const wall = median(bucket?.wall ?? []);
      const cpu = median(bucket?.cpu ?? []);
      rows.push([
        group.label,
        variant.name,
        wall.toFixed(1),
        `${(wall / baseWall).toFixed(3)}×`,
        cpu.toFixed(1),
        `${(cpu / baseCpu).toFixed(3)}×`,
      ]);
    }
  }
  return rows;
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
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`rss child exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as MemResult;
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
      rounds: { type: 'string', default: '20' },
      requests: { type: 'string', default: '200' },
      only: { type: 'string' }, // 'latency' or 'memory'
      'memory-runs': { type: 'string', default: '3' },
    },
  });
  if (values.rss) {
    const [url, file, mode, gcMode] = positionals as [string, string, Mode, string];
    await rssChild(url, file, mode, gcMode === 'eager');
    return;
  }
  const { url, child } = await startServer();
  const dir = await mkdtemp(join(tmpdir(), 'hwocr-bench-'));
  try {
    if (values.only !== 'memory') {
      const rows = await latency(url, Number(values.rounds), Number(values.requests));
      console.log(
        `\nPer-request time, loopback keep-alive, sequential, median of ${values.rounds} rounds × ${values.requests}`,
      );
      console.log(
        table(['request', 'variant', 'wall µs/req', 'wall vs raw', 'client CPU µs/req', 'CPU vs raw'], rows),
      );
    }
    if (values.only === 'latency') return;

    const file = join(dir, 'upload.pdf');
    const bytes = Buffer.alloc(FILE_BYTES, 0x20);
    bytes.write('%PDF-1.7\n', 0, 'latin1');
    await writeFile(file, bytes);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const ratio = (n: number) => `${(n / FILE_BYTES).toFixed(3)}×`;
    const runs = Number(values['memory-runs']);
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
