// `npm run bench:batch`: 1,000 small files through `hwocr transcribe --out DIR` against the simulator
// (processing 200 ms, uploads limited to 20 a second and answered 429 with Retry-After past that), with one
// `kill -9` of the CLI in the middle (once half the files are processed) and a rerun of the same command with
// --retry-unknown. Once polling, once in webhook mode.
// Prints: wall time against the least possible under the limit, polls per document, duplicate uploads,
// lost results and the CLI's peak RSS. Not part of `npm test` (about two minutes).
//
// BENCH_FILES=200 npm run bench:batch   for a quicker look.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { samplePng, startSimulator } from '../src/testing/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Number(process.env.BENCH_FILES ?? 1000);
const RATE = 20; // uploads a second
const PROCESSING_MS = 200;
const SECRET = 'bench-webhook-secret';

interface Figures {
  mode: string;
  wallS: number;
  leastS: number;
  pollsPerDoc: number;
  duplicates: number;
  lost: number;
  peakRssMb: number;
  rateLimited: number;
  killedAfter: number;
  recovered: number;
  unknownAtKill: number;
  rerunExit: number | null;
}

async function benchOnce(mode: 'polling' | 'webhook', bin: string): Promise<Figures> {
  const sim = await startSimulator({
    processingMs: PROCESSING_MS,
    uploadsPerSecond: RATE,
    credits: FILES * 2,
    webhookSecret: SECRET,
  });
  const dir = mkdtempSync(join(tmpdir(), 'hwocr-bench-batch-'));
  try {
    mkdirSync(join(dir, 'in'));
    const names = Array.from({ length: FILES }, (_, i) => `scan-${String(i).padStart(5, '0')}`);
    for (const name of names) writeFileSync(join(dir, 'in', `${name}.png`), samplePng(`text of ${name}`));
    const port = mode === 'webhook' ? await freePort() : 0;
    const argv = [
      'transcribe',
      ...names.map((n) => join('in', `${n}.png`)),
      '--out',
      'out/',
      '-c',
      '4',
      '--max-concurrency',
      '16',
      ...(mode === 'webhook'
        ? ['--webhook-listen', String(port), '--webhook-url', `http://127.0.0.1:${port}/`]
        : []),
    ];
    const env = {
      ...process.env,
      HANDWRITING_OCR_API_TOKEN: sim.token,
      HANDWRITING_OCR_BASE_URL: sim.url,
      HANDWRITING_OCR_WEBHOOK_SECRET: SECRET,
    };
    let peakKb = 0;
    const run = (killAt?: number, retry = false): Promise<number | null> =>
      new Promise((done) => {
        const child: ChildProcess = spawn(
          process.execPath,
          [bin, ...argv, ...(retry ? ['--retry-unknown'] : [])],
          {
            cwd: dir,
            env,
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        );
        const spawnedAt = Date.now();
        let stderr = '';
        child.stderr?.on('data', (c: Buffer) => {
          stderr = (stderr + c.toString()).slice(-4000);
        });
        const watch = setInterval(() => {
          peakKb = Math.max(peakKb, peakRssKb(child.pid));
          // The balance is cheap to read (sim.documents copies every document): one page per file processed.
          if (killAt !== undefined && FILES * 2 - sim.credits >= killAt) child.kill('SIGKILL');
        }, 20);
        child.on('exit', (code) => {
          clearInterval(watch);
          const exitAt = Date.now();
          // Where the time went: start-up, the upload phase (against the limit), and the tail after it.
          const posts = sim.requests.filter((r) => r.route === 'POST /documents' && r.at >= spawnedAt);
          const accepted = posts.filter((r) => r.status === 201);
          const first = posts[0]?.at ?? exitAt;
          const lastAccepted = accepted.at(-1)?.at ?? first;
          const span = (lastAccepted - first) / 1000;
          console.log(
            `   exit ${code ?? 'SIGKILL'} after ${((exitAt - spawnedAt) / 1000).toFixed(1)} s: start-up ${((first - spawnedAt) / 1000).toFixed(1)} s, ` +
              `${accepted.length} uploads in ${span.toFixed(1)} s (${(accepted.length / Math.max(span, 0.001)).toFixed(1)}/s), ` +
              `then ${((exitAt - lastAccepted) / 1000).toFixed(1)} s to the end`,
          );
          const last = stderr.trim().split('\n').slice(-2).join('\n   ');
          if (last) console.log(`   ${last}`);
          done(code);
        });
      });

    const started = performance.now();
    console.log(`${mode}: ${FILES} files, kill -9 once ${Math.floor(FILES / 2)} are processed`);
    await run(Math.floor(FILES / 2));
    const killedAfter = sim.documents.length;
    // Files the kill left as `uploading` (unknown outcome): their last journal line.
    const lastState = new Map<string, string>();
    for (const line of readFileSync(join(dir, 'out', '.hwocr-journal.jsonl'), 'utf8')
      .split('\n')
      .slice(1)) {
      if (line.endsWith('}')) {
        const r = JSON.parse(line) as { file: string; state: string };
        lastState.set(r.file, r.state);
      }
    }
    const unknownAtKill = [...lastState.values()].filter((state) => state === 'uploading').length;
    // The rerun: the same command. A kill mid-upload leaves uploads of unknown outcome; the rerun looks for
    // them among the account's documents, and --retry-unknown uploads again those it does not find.
    const rerunExit = await run(undefined, true);
    const wallS = (performance.now() - started) / 1000;

    const perName = new Map<string, number>();
    for (const doc of sim.documents) perName.set(doc.fileName, (perName.get(doc.fileName) ?? 0) + 1);
    const duplicates = [...perName.values()].reduce((sum, n) => sum + n - 1, 0);
    const lost = names.filter((n) => {
      const out = join(dir, 'out', `${n}.txt`);
      return !existsSync(out) || readFileSync(out, 'utf8').trim() !== `text of ${n}`;
    }).length;
    const polls = sim.requests.filter((r) => r.route === 'GET /documents/{id}').length;
    const journal = readFileSync(join(dir, 'out', '.hwocr-journal.jsonl'), 'utf8');
    return {
      mode,
      wallS,
      // The bucket starts full (RATE uploads at once), then RATE a second; the last one still needs processing.
      leastS: (FILES - RATE) / RATE + PROCESSING_MS / 1000,
      pollsPerDoc: polls / FILES,
      duplicates,
      lost,
      peakRssMb: peakKb / 1024,
      rateLimited: sim.requests.filter((r) => r.route === 'POST /documents' && r.status === 429).length,
      killedAfter,
      recovered: journal.split('\n').filter((l) => l.includes('"recovered":true')).length,
      unknownAtKill,
      rerunExit,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The peak resident set (VmHWM) of a live process, in kB (0 when gone or not on Linux). */
function peakRssKb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

// The CLI as users run it: bundled (tsx would add seconds of compiling to each start on a busy machine).
// Inside the project (.tmp/ is ignored by git), so that its imports resolve from node_modules.
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const binDir = mkdtempSync(join(ROOT, '.tmp', 'bench-bin-'));
await build({
  entry: { cli: join(ROOT, 'src/cli/index.ts') },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: binDir,
  config: false,
  silent: true,
});
const results: Figures[] = [];
try {
  for (const mode of ['polling', 'webhook'] as const)
    results.push(await benchOnce(mode, join(binDir, 'cli.js')));
} finally {
  rmSync(binDir, { recursive: true, force: true });
}

console.log(
  `\n${FILES} files, simulator: ${PROCESSING_MS} ms processing, ${RATE} uploads/s (429 + Retry-After past it), one kill -9 + rerun\n`,
);
console.log(
  '| mode | wall time | least possible | ratio (goal <= 1.2) | polls/doc (goal <= 3; 0 webhook) | duplicate uploads | lost results | peak RSS | 429s | unknown at the kill | of them found |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${r.mode} | ${r.wallS.toFixed(1)} s | ${r.leastS.toFixed(1)} s | ${(r.wallS / r.leastS).toFixed(2)}× | ${r.pollsPerDoc.toFixed(2)} | ${r.duplicates} | ${r.lost} | ${r.peakRssMb.toFixed(0)} MB | ${r.rateLimited} | ${r.unknownAtKill} | ${r.recovered} |`,
  );
}
const failed = results.filter(
  (r) => r.wallS / r.leastS > 1.2 || r.pollsPerDoc > 3 || r.duplicates > 0 || r.lost > 0 || r.rerunExit !== 0,
);
if (failed.length > 0) {
  console.log(`\ngoals missed: ${failed.map((r) => r.mode).join(', ')}`);
  process.exitCode = 1;
}
