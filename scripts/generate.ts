// `npm run generate`: lint upstream → apply overlay → lint merged → openapi-typescript → @hey-api/openapi-ts
// → format → typecheck. `npm run generate -- --check` regenerates into a temporary place and fails when
// generated/ or the merged spec differ from what is committed (CI runs it).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  diffAgainstTree,
  emit,
  json,
  lintMerged,
  lintOwasp,
  lintUpstream,
  MERGED,
  merge,
  ROOT,
  removeStale,
  StageError,
  stage,
  typecheck,
  writeFiles,
} from './lib/pipeline.js';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'hwocr-generate-'));
  try {
    await stage(
      'lint upstream',
      () => lintUpstream(),
      (r) => `(report) ${r}`,
    );
    const merged = await stage('apply overlay', () => merge());
    const mergedText = json(merged);
    const mergedFile = join(scratch, 'handwriting-ocr.v3.json');
    await writeFile(mergedFile, mergedText);
    await stage(
      'lint merged',
      () => lintMerged(mergedFile),
      () => '0 errors, 0 warnings',
    );
    await stage(
      'owasp (advisory)',
      () => lintOwasp(mergedFile),
      (r) => r,
    );
    const files = await stage(
      'emit + format',
      () => emit(mergedFile),
      (f) => `${f.size} files`,
    );
    files.set(MERGED, mergedText);

    if (values.check) {
      const differ = await stage('compare', () => diffAgainstTree(files));
      if (differ.length) {
        throw new StageError(
          'check',
          `Committed output is not what the pipeline produces:\n${differ.map((p) => `  - ${p}`).join('\n')}`,
          'Run `npm run generate` and commit the result.',
        );
      }
      console.log('generated/ and the merged spec are up to date.');
      return;
    }
    await stage('write', async () => {
      await writeFiles(files);
      await removeStale(files);
    });
    await stage('typecheck', () => typecheck());
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const started = performance.now();
main().then(
  () => console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s (${ROOT})`),
  (err: unknown) => {
    if (err instanceof StageError) {
      console.error(`\n✖ ${err.stage} failed\n${err.message}\n\n→ ${err.hint}`);
    } else {
      console.error(err);
    }
    process.exitCode = 1;
  },
);
