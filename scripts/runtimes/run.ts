// `npm run test:runtimes`: the packed package, as users install it, runs one scenario (scenario.ts) in every runtime
// the README names (Node 20/22/24 ESM and CJS, Bun, Deno, workerd with and without nodejs_compat, Chromium with an
// esbuild and a Vite bundle), each against a fresh simulator hosted here; and the bundle checks build
// `export * from 'handwriting-ocr'` with esbuild, Vite and webpack. Prints a table (also reports/runtimes.md)
// and exits non-zero on any failure not listed in known-failures.ts.
//
// Options: `--only=deno,chromium` runs the rows whose label contains one of the words (case-insensitive).
// Runtime binaries are cached in .cache/runtimes (or $HWOCR_RUNTIMES_CACHE); work files go to .tmp/runtimes.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import type * as Testing from '../../src/testing/index.js';
import { binary, chromium, PINNED, type Pinned } from './binaries.js';
import { bundleChecks, CHECK_LABEL, esbuildPage, firstLines, vitePage, workerBundle } from './bundles.js';
import { exec, runChromium, runProcess, runWorkerd } from './cells.js';
import { type Backend, startBackend } from './control.js';
import { label, type Row, resultText, table, verdict } from './report.js';
import { STEPS, type StepResult } from './scenario.js';

const sh = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const WORK = join(ROOT, '.tmp/runtimes');
const CONSUMER = join(WORK, 'consumer');
const CACHE = resolve(process.env.HWOCR_RUNTIMES_CACHE ?? join(ROOT, '.cache/runtimes'));
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
  .map((w) => w.trim().toLowerCase())
  .filter(Boolean);
const wanted = (label: string) => !only || only.some((w) => label.toLowerCase().includes(w));

/** How a row of the matrix gets ready: its version, an optional page to serve, and how to run the scenario. */
interface Cell {
  runtime: string;
  variant: string;
  /** The runtime's version (its binary fetched or installed first). */
  version(): Promise<string>;
  /** Builds what the row needs: a page to serve, if any, and how to run the scenario. */
  setup(): Promise<{ staticDir?: string; run(backend: Backend): Promise<StepResult[]> }>;
}

const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
};
const versionOf = async (bin: string, pattern = /(\d+\.\d+\.\d+)/) =>
  pattern.exec((await exec(bin, ['--version'], { timeoutMs: 30_000 })).stdout)?.[1] ?? '?';
const pinnedBin = (p: Pinned) => once(() => binary(CACHE, p));

function cells(): Cell[] {
  const node22 = pinnedBin(PINNED.node22);
  const node24 = pinnedBin(PINNED.node24);
  const bun = pinnedBin(PINNED.bun);
  const deno = pinnedBin(PINNED.deno);
  const workerdBin = pinnedBin(PINNED.workerd);
  const chromiumBin = once(chromium);
  const nodeCells = (label: string, bin: () => Promise<string>): Cell[] =>
    (['ESM', 'CJS'] as const).map((variant) => ({
      runtime: 'Node',
      variant,
      version: async () => versionOf(await bin()).then((v) => (label === '20' ? `${v} (the machine's)` : v)),
      async setup() {
        const path = await bin();
        const entry = variant === 'ESM' ? 'process.mjs' : 'process.cjs';
        return { run: (backend) => runProcess(path, [entry], CONSUMER, backend) };
      },
    }));
  const workerd = (nodejsCompat: boolean): Cell => ({
    runtime: 'workerd',
    variant: nodejsCompat ? 'module Worker, nodejs_compat' : 'module Worker, no nodejs_compat',
    version: async () => (await workerdBin()) && PINNED.workerd.version,
    async setup() {
      const path = await workerdBin();
      const bundle = join(WORK, nodejsCompat ? 'worker-compat.js' : 'worker-plain.js');
      await workerBundle(CONSUMER, bundle, nodejsCompat);
      return { run: (backend) => runWorkerd(path, bundle, nodejsCompat, backend) };
    },
  });
  const page = (variant: string, build: () => Promise<string>): Cell => ({
    runtime: 'Chromium',
    variant,
    version: async () => versionOf(await chromiumBin(), /(\d+\.\d+\.\d+\.\d+)/),
    async setup() {
      const path = await chromiumBin();
      return { staticDir: await build(), run: (backend) => runChromium(path, backend) };
    },
  });
  return [
    ...nodeCells('20', async () => process.execPath),
    ...nodeCells('22', node22),
    ...nodeCells('24', node24),
    ...(['ESM', 'CJS'] as const).map(
      (variant): Cell => ({
        runtime: 'Bun',
        variant,
        version: async () => versionOf(await bun()),
        async setup() {
          const path = await bun();
          const entry = variant === 'ESM' ? 'process.mjs' : 'process.cjs';
          return { run: (backend) => runProcess(path, [entry], CONSUMER, backend) };
        },
      }),
    ),
    {
      runtime: 'Deno',
      variant: 'ESM, --allow-net=127.0.0.1',
      version: async () => versionOf(await deno()),
      async setup() {
        const path = await deno();
        // Only the network, only loopback: no env, read, write or run permission; anything else is refused.
        const args = [
          'run',
          '--no-prompt',
          '--allow-net=127.0.0.1',
          '--no-lock',
          '--node-modules-dir=manual',
        ];
        const env = { DENO_DIR: join(CACHE, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
        return { run: (backend) => runProcess(path, [...args, 'process.mjs'], CONSUMER, backend, env) };
      },
    },
    workerd(true),
    workerd(false),
    page('page bundled by esbuild', async () => {
      const dir = join(WORK, 'page-esbuild');
      await esbuildPage(CONSUMER, dir);
      return dir;
    }),
    page('page bundled by Vite', () => vitePage(CONSUMER)),
  ];
}

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await work();
  console.log(`✔ ${name} (${Math.round(performance.now() - started)} ms)`);
  return value;
}

/** Builds, packs and installs the package into a consumer project, with the scenario and its entry shims. */
async function prepareConsumer(): Promise<void> {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(CONSUMER, { recursive: true });
  await step('build (tsup)', () => sh('npm', ['run', 'build'], { cwd: ROOT }));
  const tarball = await step('npm pack', async () => {
    const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', WORK], { cwd: ROOT });
    return join(WORK, (JSON.parse(stdout) as { filename: string }[])[0]?.filename ?? '');
  });
  await writeFile(
    join(CONSUMER, 'package.json'),
    '{ "name": "runtimes-consumer", "private": true, "type": "module" }\n',
  );
  await step('install the tarball into a consumer project', () =>
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: CONSUMER }),
  );
  // The one scenario, as an ES module and as CommonJS (it imports nothing: the entries hand it the package).
  for (const format of ['esm', 'cjs'] as const) {
    await esbuild.build({
      entryPoints: [join(import.meta.dirname, 'scenario.ts')],
      format,
      platform: 'neutral',
      target: 'es2022',
      outfile: join(CONSUMER, format === 'esm' ? 'scenario.mjs' : 'scenario.cjs'),
      logLevel: 'warning',
    });
  }
  const entries = join(import.meta.dirname, 'entries');
  for (const file of await readdir(entries)) await copyFile(join(entries, file), join(CONSUMER, file));
}

/** Runs one cell: setup, a fresh simulator and control server, the scenario, and the verdict. */
async function runCell(testing: typeof Testing, cell: Cell): Promise<Row> {
  const started = performance.now();
  const row: Row = { runtime: cell.runtime, version: '?', variant: cell.variant, failures: [], ms: 0 };
  let backend: Backend | undefined;
  try {
    row.version = await cell.version();
    const ready = await cell.setup().catch((err: unknown) => {
      throw new Error(`setup: ${firstLines(err)}`);
    });
    backend = await startBackend(testing, ready.staticDir);
    const steps = await ready.run(backend);
    row.passed = steps.filter((s) => s.result === 'pass').length;
    const names = steps.map((s) => s.name).join();
    if (names !== STEPS.join()) row.failures.push(`ran the steps ${names}, not ${STEPS.join()}`);
    for (const s of steps) if (s.result === 'fail') row.failures.push(`${s.name}: ${s.detail}`);
  } catch (err) {
    row.failures.push(firstLines(err, 6));
  } finally {
    await backend?.close();
    row.ms = performance.now() - started;
  }
  return row;
}

async function main(): Promise<void> {
  const started = performance.now();
  await prepareConsumer();
  const testing = (await import(
    pathToFileURL(join(CONSUMER, 'node_modules/handwriting-ocr/dist/testing.js')).href
  )) as typeof Testing;

  const rows: Row[] = [];
  const report = (row: Row) => {
    rows.push(row);
    const mark = { pass: '✔', known: '○', xpass: '✖', fail: '✖' }[verdict(row)];
    console.log(`${mark} ${label(row)} ${row.version} (${Math.round(row.ms)} ms): ${resultText(row)}`);
    for (const f of row.failures) console.log(`    ${f}`);
  };

  const selected = cells().filter((cell) => wanted(`${cell.runtime} ${cell.variant}`));
  // Fetch the binaries all at once (network-bound) while the bundle checks and first rows run; a failure shows
  // in its row.
  for (const cell of selected) cell.version().catch(() => undefined);
  for (const check of await bundleChecks(CONSUMER, wanted)) {
    report({
      runtime: check.name,
      version: check.version,
      variant: CHECK_LABEL,
      failures: check.detail ? [check.detail] : [],
      ms: check.ms,
    });
  }
  for (const cell of selected) report(await runCell(testing, cell));

  const text = table(rows);
  console.log(`\n${text}\n`);
  await mkdir(join(ROOT, 'reports'), { recursive: true });
  await writeFile(join(ROOT, 'reports/runtimes.md'), `${text}\n`);
  const count = (...v: string[]) => rows.filter((r) => v.includes(verdict(r))).length;
  const bad = count('fail', 'xpass');
  const seconds = Math.round((performance.now() - started) / 1000);
  console.log(
    `rows: ${count('pass')} passed, ${count('known')} known failures, ${bad} failed (${seconds} s)`,
  );
  if (rows.length === 0) throw new Error(`--only=${only?.join()} matched no row`);
  process.exitCode = bad ? 1 : 0;
}

await main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
