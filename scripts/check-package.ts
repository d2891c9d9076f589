// `npm run check:package`: builds, then checks what `npm pack` would publish, the way a consumer meets it:
// publint, @arethetypeswrong/cli, the main entry's purity (no zod, no top-level node:*), and a smoke test that
// installs the packed tarball into a temporary project, imports it by `import` and by `require`, type-checks a
// strict consumer file against the published types, and runs the `hwocr` bin.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules/.bin');

async function step(name: string, work: () => Promise<string | undefined>): Promise<void> {
  const started = performance.now();
  try {
    const note = await work();
    console.log(`✔ ${name} (${Math.round(performance.now() - started)} ms)${note ? `: ${note}` : ''}`);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    console.error(`✖ ${name}\n${[e.stdout, e.stderr].filter(Boolean).join('\n') || e.message}`);
    process.exit(1);
  }
}

const sh = (cmd: string, args: string[], cwd = ROOT) =>
  run(cmd, args, { cwd, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, npm_config_fund: 'false' } });

/** Static imports at the top of a built module, bare ones too (dynamic `import()` inside functions is allowed). */
const staticImports = (code: string) =>
  [...code.matchAll(/^\s*(?:import|export)\s(?:[^;'"]*?from\s*)?['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');

/** The chunks .size-limit.json leaves out of the up-front budget (its `./name-*` ignores): they must load lazily. */
async function lazyChunks(): Promise<RegExp[]> {
  const budgets = JSON.parse(await readFile(join(ROOT, '.size-limit.json'), 'utf8')) as {
    ignore?: string[];
  }[];
  const globs = budgets.flatMap((b) => b.ignore ?? []).filter((g) => g.startsWith('./'));
  return globs.map((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`));
}

async function main() {
  await step('build (tsup)', async () => {
    await sh(join(BIN, 'tsup'), []);
    return undefined;
  });

  await step('publint', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    const { messages } = await publint({ pkgDir: ROOT, level: 'suggestion', strict: true });
    if (messages.length) throw new Error(messages.map((m) => `- ${formatMessage(m, pkg)}`).join('\n'));
    return 'no problems';
  });

  await step('@arethetypeswrong/cli', async () => {
    // node16 profile: the package supports Node >= 20.19, whose resolver reads `exports`.
    // attw exits non-zero on any problem; its table is only worth printing then.
    await sh(join(BIN, 'attw'), ['--pack', '.', '--profile', 'node16', '--format', 'ascii']);
    return 'no problems (node16 + bundler resolution, ESM and CJS)';
  });

  await step('main entry: no zod, no top-level node:*', async () => {
    // The ESM entry and the chunks it imports statically (code splitting); lazily loaded chunks may use node:*.
    const lazyPatterns = await lazyChunks();
    if (lazyPatterns.length === 0) throw new Error('.size-limit.json names no lazily loaded chunk');
    const files = ['dist/index.cjs'];
    for (const queue = ['dist/index.js']; queue.length; ) {
      const file = queue.shift() as string;
      if (files.includes(file)) continue;
      files.push(file);
      const code = await readFile(join(ROOT, file), 'utf8');
      for (const s of staticImports(code)) if (s.startsWith('./')) queue.push(join('dist', s));
    }
    for (const file of files) {
      const code = await readFile(join(ROOT, file), 'utf8');
      const esm = staticImports(code);
      const cjs = [...code.matchAll(/^(?:var|const|let)\s[^=]+=\s*require\(['"]([^'"]+)['"]\)/gm)].map(
        (m) => m[1],
      );
      // A chunk that .size-limit.json leaves out of the up-front budget must be loaded lazily, never statically.
      const lazy = esm.filter((s) => lazyPatterns.some((re) => re.test(s)));
      if (lazy.length)
        throw new Error(`${file} imports ${lazy.join(', ')} statically; it must load on first use`);
      const bad = [...esm, ...cjs].filter((s) => s === 'zod' || s?.startsWith('node:') || s === 'commander');
      if (bad.length) throw new Error(`${file} imports ${bad.join(', ')} at top level`);
      if (/\bfrom\s*['"]zod['"]|require\(['"]zod['"]\)/.test(code)) throw new Error(`${file} references zod`);
    }
    return `${files.length} files`;
  });

  const consumer = await mkdtemp(join(tmpdir(), 'hwocr-consumer-'));
  try {
    let tarball = '';
    await step('npm pack', async () => {
      const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', consumer]);
      const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
      if (!info) throw new Error('npm pack printed nothing');
      tarball = join(consumer, info.filename);
      const files = info.files.map((f) => f.path).sort();
      const unexpected = files.filter(
        (f) =>
          // entries, the bin (bin/hwocr.js, which loads dist/cli.js), the ESM chunks (code shared between entries;
          // io.ts and webhook-delivery.ts, loaded lazily), and the declaration chunks tsup shares between entries
          !/^bin\/hwocr\.js$|^dist\/(index|testing|schemas|batch)\.(js|cjs)$|^dist\/cli\.js$|^dist\/(chunk|io|webhook-delivery)-\w+\.js$|^dist\/[\w-]+\.d\.c?ts$/.test(
            f,
          ) && !['package.json', 'README.md', 'openapi/handwriting-ocr.v3.json'].includes(f),
      );
      if (unexpected.length)
        throw new Error(`the tarball holds files a user does not need: ${unexpected.join(', ')}`);
      return `${files.length} files`;
    });

    await step('consumer: install the tarball', async () => {
      await writeFile(
        join(consumer, 'package.json'),
        '{ "name": "consumer", "private": true, "type": "module" }\n',
      );
      await sh('npm', ['install', '--no-audit', '--prefer-offline', tarball], consumer);
      return undefined;
    });

    await step('consumer: import (ESM) and require (CJS)', async () => {
      await writeFile(
        join(consumer, 'esm.mjs'),
        `import { HandwritingOCR, NotFoundError, HandwritingOCRError, parseWebhook } from 'handwriting-ocr';
import { startSimulator } from 'handwriting-ocr/testing';
const sim = await startSimulator({ port: 0 });
const client = new HandwritingOCR({ apiToken: sim.token, baseUrl: sim.url });
const me = await client.users.me();
await client.documents.retrieve('missing0001').catch((e) => { if (!(e instanceof NotFoundError && e instanceof HandwritingOCRError)) throw e; });
await sim.close();
const hook = await parseWebhook('{"id":"abcde12345","status":"processed"}');
if (hook.id !== 'abcde12345') throw new Error('bad webhook');
console.log('esm ok', typeof me.balance);
`,
      );
      await writeFile(
        join(consumer, 'cjs.cjs'),
        `const { HandwritingOCR, APIError, parseWebhook } = require('handwriting-ocr');
const { zDocumentResult } = require('handwriting-ocr/schemas');
if (typeof HandwritingOCR !== 'function' || typeof APIError !== 'function') throw new Error('bad exports');
if (typeof zDocumentResult.parse !== 'function') throw new Error('bad schemas');
// parseWebhook loads its module on first use: check that works from require() too.
parseWebhook('{"id":"abcde12345","status":"processed"}').then(
  (doc) => {
    if (doc.id !== 'abcde12345') throw new Error('bad webhook');
    console.log('cjs ok');
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
`,
      );
      const esm = await sh('node', ['esm.mjs'], consumer);
      const cjs = await sh('node', ['cjs.cjs'], consumer);
      // A promise that never settles ends the process quietly: require the last line.
      if (!esm.stdout.includes('esm ok') || !cjs.stdout.includes('cjs ok'))
        throw new Error('a smoke test did not finish');
      return `${esm.stdout.trim()}; ${cjs.stdout.trim()}`;
    });

    await step('consumer: strict TypeScript against the published types', async () => {
      await writeFile(
        join(consumer, 'consumer.ts'),
        `import { HandwritingOCR, type DocumentResult, RateLimitError } from 'handwriting-ocr';
const client = new HandwritingOCR({ apiToken: 'x', baseUrl: 'http://127.0.0.1:1/v3' });
export async function use(id: string): Promise<number> {
  const text: string = await client.documents.download(id, 'txt');
  const bytes: Uint8Array = await client.documents.download(id, 'docx');
  const doc: DocumentResult = await client.documents.download(id, 'json');
  if (doc.action === 'transcribe') return (doc.results ?? []).length + text.length + bytes.length;
  try { await client.users.me(); } catch (e) { if (e instanceof RateLimitError) return e.retryAfterMs ?? 0; }
  return 0;
}
`,
      );
      await writeFile(
        join(consumer, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            lib: ['ES2023', 'DOM'],
            noEmit: true,
            skipLibCheck: false,
            types: [],
          },
          files: ['consumer.ts'],
        }),
      );
      await sh(join(BIN, 'tsc'), ['-p', join(consumer, 'tsconfig.json')], consumer);
      return undefined;
    });

    await step('consumer: the hwocr bin runs', async () => {
      const { stdout } = await sh(join(consumer, 'node_modules/.bin/hwocr'), ['--help'], consumer);
      if (!stdout.includes('transcribe')) throw new Error(`unexpected --help output:\n${stdout}`);
      return undefined;
    });
  } finally {
    await rm(consumer, { recursive: true, force: true });
  }
}

await main();
