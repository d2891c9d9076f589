// `npm run spec:update` end to end, in a scratch copy of the project (node_modules linked), so the real
// repository is never touched: an update that fails — early (overlay drift) or in the middle (src/ no longer
// compiles against the regenerated types) — must leave every file exactly as it was.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, MERGED, ROOT, UPSTREAM } from '../../scripts/lib/pipeline.js';

const run = promisify(execFile);
const COPY = [
  'package.json',
  '.gitignore',
  'tsconfig.json',
  'biome.json',
  'vitest.config.ts',
  '.spectral.yaml',
  '.spectral-owasp.yaml',
];
const DIRS = ['openapi', 'generated', 'scripts', 'src', 'contract-tests'];

let project: string;
// biome-ignore lint/suspicious/noExplicitAny: fixtures edit arbitrary JSON.
let upstream: Record<string, any>;

async function tree(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const path of [UPSTREAM, MERGED, ...(await listFiles('generated', project))]) {
    files.set(path, await readFile(join(project, path), 'utf8'));
  }
  return files;
}

async function update(spec: unknown) {
  const file = join(project, 'next.json');
  await writeFile(file, `${JSON.stringify(spec, null, 2)}\n`);
  return run(join(project, 'node_modules/.bin/tsx'), ['scripts/spec-update.ts', file], {
    cwd: project,
    env: { ...process.env, INIT_CWD: project },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'hwocr-spec-update-'));
  for (const f of COPY) await cp(join(ROOT, f), join(project, f));
  for (const d of DIRS) await cp(join(ROOT, d), join(project, d), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'));
  upstream = JSON.parse(await readFile(join(project, UPSTREAM), 'utf8'));
});
afterAll(() => rm(project, { recursive: true, force: true }));

describe('npm run spec:update', () => {
  it('takes a compatible bump through regeneration, typecheck and the contract suite, and suggests the bump', async () => {
    const next = structuredClone(upstream);
    next.info.version = '3.1';
    next.paths['/documents'].get.parameters.push({
      name: 'status',
      in: 'query',
      required: false,
      schema: { type: 'string', enum: ['queued', 'processed'] },
    });
    const { code, out } = await update(next);
    expect(code, out).toBe(0);
    for (const stage of [
      'apply overlay',
      'lint merged',
      'emit \\+ format',
      'typecheck src/',
      'contract suite',
    ]) {
      expect(out).toMatch(new RegExp(`✔ ${stage} `));
    }
    expect(out).toContain('[parameter-added-optional] query parameter status');
    expect(out).toContain('Suggested version bump: minor.');
    expect(await readFile(join(project, UPSTREAM), 'utf8')).toBe(`${JSON.stringify(next, null, 2)}\n`);
    const merged = JSON.parse(await readFile(join(project, MERGED), 'utf8'));
    expect(merged.paths['/documents'].get.parameters.map((p: { name: string }) => p.name)).toContain(
      'status',
    );
    expect(await readFile(join(project, 'generated/openapi.ts'), 'utf8')).toContain(
      "status?: 'queued' | 'processed'",
    );
    // The other cases start from the vendor's document again.
    await cp(join(ROOT, 'openapi'), join(project, 'openapi'), { recursive: true });
    await cp(join(ROOT, 'generated'), join(project, 'generated'), { recursive: true });
  }, 120_000);

  it('refuses an overlay that no longer applies, reports the drift, and changes nothing', async () => {
    const before = await tree();
    const next = structuredClone(upstream);
    delete next.paths['/credits/topup'];
    const { code, out } = await update(next);
    expect(code).toBe(1);
    expect(out).toContain('[operation-removed] POST /credits/topup');
    expect(out).toContain('### Unmatched (2)');
    expect(out).toContain("$.paths['/credits/topup'].post.responses");
    expect(out).toContain('✖ overlay failed');
    expect(out).toContain('The previous spec and generated files were restored');
    expect(await tree()).toEqual(before);
  }, 60_000);

  it('restores everything when src/ stops compiling against the regenerated types', async () => {
    // A helper that reads `file_name` as a string; the new upstream makes it an integer.
    await writeFile(
      join(project, 'src/planted-helper.ts'),
      "import type { components } from '../generated/openapi.js';\n" +
        "export const name: components['schemas']['Document']['file_name'] = 'scan.pdf';\n",
    );
    const before = await tree();
    const next = structuredClone(upstream);
    next.components.schemas.Document.properties.file_name = { type: 'integer', example: 7 };
    for (const doc of next.paths['/documents'].get.responses['200'].content['application/json'].example
      .documents) {
      doc.file_name = 7;
    }
    const { code, out } = await update(next);
    expect(code).toBe(1);
    expect(out).toContain('response-property-type-changed');
    expect(out).toContain('✖ typecheck failed');
    expect(out).toContain('src/planted-helper.ts');
    expect(await tree()).toEqual(before);
  }, 90_000);
});
