// `npm run generate`: lint upstream → apply overlay → lint merged → openapi-typescript → @hey-api/openapi-ts
// → format → typecheck. `npm run generate -- --check` regenerates into a temporary place and fails when
// generated/ or the merged spec differ from what is committed (CI runs it).
import { parseArgs } from 'node:util';
import {
  build,
  diffAgainstTree,
  lintUpstream,
  merge,
  ROOT,
  StageError,
  stage,
  typecheck,
  writeOutput,
} from './lib/pipeline.js';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

async function main(): Promise<void> {
  await stage(
    'lint upstream',
    () => lintUpstream(),
    (r) => `(report) ${r}`,
  );
  const merged = await stage('apply overlay', () => merge());
  const files = await build(merged, { owasp: true });
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
  await stage('write', () => writeOutput(files));
  await stage('typecheck', () => typecheck());
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
