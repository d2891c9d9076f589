// A scratch copy of the project (node_modules linked) for running `npm run spec:update` end to end without
// touching the real repository. Each test file gets its own copy, so the files can run in parallel.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listFiles, MERGED, ROOT, UPSTREAM } from '../../../scripts/lib/pipeline.js';

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
// test/setup: the contract project's setup file (vitest.config.ts) lives there.
const DIRS = ['openapi', 'generated', 'scripts', 'src', 'contract-tests', 'test/setup'];

/** A scratch project and the vendor's document as it stands in it. */
export interface ScratchProject {
  dir: string;
  // biome-ignore lint/suspicious/noExplicitAny: fixtures edit arbitrary JSON.
  upstream: Record<string, any>;
}

/** The spec and generated files of the scratch project, path → content. */
export async function tree(project: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const path of [UPSTREAM, MERGED, ...(await listFiles('generated', project))]) {
    files.set(path, await readFile(join(project, path), 'utf8'));
  }
  return files;
}

/** Runs `spec:update` in the scratch project with `spec` as the new upstream document. */
export async function update(project: string, spec: unknown) {
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

/** Copies what spec:update needs into a new temp directory, linking node_modules. */
export async function scratchProject(): Promise<ScratchProject> {
  const dir = await mkdtemp(join(tmpdir(), 'hwocr-spec-update-'));
  for (const f of COPY) await cp(join(ROOT, f), join(dir, f));
  for (const d of DIRS) await cp(join(ROOT, d), join(dir, d), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { dir, upstream: JSON.parse(await readFile(join(dir, UPSTREAM), 'utf8')) };
}

export const removeProject = (project: ScratchProject) => rm(project.dir, { recursive: true, force: true });
