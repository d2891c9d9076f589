// Generated code is committed, so generating must be deterministic: two runs, byte-identical output, equal to
// what is in git (CI also runs `npm run generate -- --check`).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffAgainstTree, emit, json, MERGED, merge } from '../../scripts/lib/pipeline.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hwocr-repro-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('generation', () => {
  it('gives byte-identical output twice, equal to the committed generated/', async () => {
    const mergedFile = join(scratch, 'merged.json');
    const mergedText = json(await merge());
    await writeFile(mergedFile, mergedText);
    const first = await emit(mergedFile);
    const second = await emit(mergedFile);
    expect([...second]).toEqual([...first]);
    expect([...first.keys()].sort()).toEqual(['generated/hey-api/zod.gen.ts', 'generated/openapi.ts']);
    first.set(MERGED, mergedText);
    expect(await diffAgainstTree(first)).toEqual([]);
  });

  it('notices a stale or edited generated file', async () => {
    const expected = new Map([['generated/openapi.ts', '// not what is committed\n']]);
    const differ = await diffAgainstTree(expected);
    expect(differ).toContain('generated/openapi.ts');
    expect(differ).toContain('generated/hey-api/zod.gen.ts (stale)');
  });
});
