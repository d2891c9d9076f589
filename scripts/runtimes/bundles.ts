// Bundlers, as a user's app would run them over the installed package: the bundle checks (a library that is
// `export * from 'handwriting-ocr'` must build with zero warnings and no `node:*` left in the output) and the
// scenario's bundles for Chromium (esbuild and Vite) and for workerd (a module Worker).
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { vite, type WebpackStats, webpack } from './tools.js';

/** The outcome of one bundle check. */
export interface CheckResult {
  name: string;
  version: string;
  ms: number;
  /** What went wrong; absent when the build succeeded with no warning and no `node:*`. */
  detail?: string;
}

/** The label of a bundle check's row (what `--only` matches). */
export const CHECK_LABEL = "bundle of `export * from 'handwriting-ocr'`";

/**
 * Builds `export * from 'handwriting-ocr'` with each bundler whose row `wanted` accepts, from `consumer` (where the
 * tarball is installed).
 */
export async function bundleChecks(
  consumer: string,
  wanted: (label: string) => boolean,
): Promise<CheckResult[]> {
  const dir = join(consumer, 'checks');
  await mkdir(dir, { recursive: true });
  const entry = join(dir, 'entry.mjs');
  await writeFile(entry, "export * from 'handwriting-ocr';\n");
  const versions = {
    esbuild: esbuild.version,
    vite: (await vite()).version,
    webpack: (await webpack()).version,
  };
  const checks: [string, string, string, (outDir: string) => Promise<string[]>][] = [
    [
      'esbuild --platform=browser',
      versions.esbuild,
      'esbuild-browser',
      (out) => esbuildWarnings(entry, out, 'browser'),
    ],
    [
      'esbuild --platform=neutral',
      versions.esbuild,
      'esbuild-neutral',
      (out) => esbuildWarnings(entry, out, 'neutral'),
    ],
    ['Vite (library build)', versions.vite, 'vite', (out) => viteLibWarnings(dir, entry, out)],
    ['webpack (production, target web)', versions.webpack, 'webpack', (out) => webpackWarnings(dir, out)],
  ];
  const results: CheckResult[] = [];
  for (const [name, version, out, build] of checks) {
    if (!wanted(`${name} ${CHECK_LABEL}`)) continue;
    const started = performance.now();
    const outDir = join(dir, out);
    try {
      const warnings = await build(outDir);
      const nodeImports = await nodeSpecifiers(outDir);
      const problems = [
        ...warnings.map((w) => `warning: ${w}`),
        ...(nodeImports.length ? [`node:* in the output: ${nodeImports.join(', ')}`] : []),
      ];
      results.push({
        name,
        version,
        ms: performance.now() - started,
        detail: problems.join('; ') || undefined,
      });
    } catch (err) {
      results.push({
        name,
        version,
        ms: performance.now() - started,
        detail: `build failed: ${firstLines(err)}`,
      });
    }
  }
  return results;
}

async function esbuildWarnings(
  entry: string,
  outdir: string,
  platform: 'browser' | 'neutral',
): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    splitting: true,
    platform,
    outdir,
    logLevel: 'silent',
  });
  return result.warnings.map((w) => w.text);
}

async function viteLibWarnings(root: string, entry: string, outDir: string): Promise<string[]> {
  const warnings: string[] = [];
  const { build, createLogger } = await vite();
  const logger = createLogger('warn');
  logger.warn = (msg) => void warnings.push(msg);
  logger.warnOnce = (msg) => void warnings.push(msg);
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    customLogger: logger,
    build: { lib: { entry, formats: ['es'], fileName: 'index' }, outDir, emptyOutDir: true },
  });
  return warnings;
}

async function webpackWarnings(context: string, outDir: string): Promise<string[]> {
  const run = await webpack();
  return new Promise((resolve, reject) => {
    run(
      {
        mode: 'production',
        context,
        entry: './entry.mjs',
        target: 'web',
        output: { path: outDir, filename: 'index.js', library: { type: 'module' } },
        experiments: { outputModule: true },
      },
      (err: Error | null, stats?: WebpackStats) => {
        if (err) return reject(err);
        const info = stats?.toJson({ all: false, errors: true, warnings: true });
        if (info?.errors?.length) return reject(new Error(info.errors.map((e) => e.message).join('\n')));
        resolve((info?.warnings ?? []).map((w) => w.message));
      },
    );
  });
}

/** `node:*` specifiers left in the JavaScript files of a build. */
async function nodeSpecifiers(dir: string): Promise<string[]> {
  const found = new Set<string>();
  for (const file of await readdir(dir, { recursive: true })) {
    if (!/\.(m?js|cjs)$/.test(file)) continue;
    const code = await readFile(join(dir, file), 'utf8');
    for (const m of code.matchAll(/["'`](node:[\w/]+)["'`]/g)) found.add(`${m[1]} (${file})`);
  }
  return [...found];
}

/** The scenario for Chromium, bundled by esbuild: `<dir>/index.html` + `bundle.js`. */
export async function esbuildPage(consumer: string, dir: string): Promise<void> {
  await esbuild.build({
    entryPoints: [join(consumer, 'browser.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(dir, 'bundle.js'),
    logLevel: 'silent',
  });
  const html = await readFile(join(consumer, 'index.html'), 'utf8');
  await writeFile(join(dir, 'index.html'), html.replace('./browser.mjs', './bundle.js'));
}

/**
 * The scenario for Chromium, bundled by Vite with no configuration: `index.html` in the root is the entry and
 * the build goes to `<root>/dist`, which it returns.
 */
export async function vitePage(consumer: string): Promise<string> {
  await (await vite()).build({ root: consumer, configFile: false, logLevel: 'error' });
  return join(consumer, 'dist');
}

/**
 * The scenario as a module Worker, bundled as wrangler does (esbuild; the `workerd`, `worker` and `browser`
 * conditions). With `nodejs_compat`, `node:*` imports stay for workerd to provide.
 */
export async function workerBundle(consumer: string, outfile: string, nodejsCompat: boolean): Promise<void> {
  await esbuild.build({
    entryPoints: [join(consumer, 'worker.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: nodejsCompat ? ['node:*'] : [],
    outfile,
    logLevel: 'silent',
  });
}

/** An error's first lines (esbuild and webpack errors can be long). */
export function firstLines(err: unknown, lines = 3): string {
  const e = err as { errors?: { text: string }[]; message?: string };
  const text = e.errors?.length ? e.errors.map((x) => x.text).join('; ') : (e.message ?? String(err));
  return text.split('\n').slice(0, lines).join(' ').slice(0, 400);
}
