// `npm run spec:update` end to end, in a scratch copy of the project: a compatible bump goes through
// regeneration, the typecheck and the contract suite. (The failing updates are in spec-update-failures.test.ts,
// a file of its own so both can run at once.)
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MERGED, UPSTREAM } from '../../scripts/lib/pipeline.js';
import { removeProject, type ScratchProject, scratchProject, update } from './helpers/spec-update-project.js';

let project: ScratchProject;
beforeAll(async () => {
  project = await scratchProject();
});
afterAll(() => removeProject(project));

describe('npm run spec:update', () => {
  it('takes a compatible bump through regeneration, typecheck and the contract suite, and suggests the bump', async () => {
    const next = structuredClone(project.upstream);
    next.info.version = '3.1';
    next.paths['/documents'].get.parameters.push({
      name: 'status',
      in: 'query',
      required: false,
      schema: { type: 'string', enum: ['queued', 'processed'] },
    });
    const { code, out } = await update(project.dir, next);
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
    expect(await readFile(join(project.dir, UPSTREAM), 'utf8')).toBe(`${JSON.stringify(next, null, 2)}\n`);
    const merged = JSON.parse(await readFile(join(project.dir, MERGED), 'utf8'));
    expect(merged.paths['/documents'].get.parameters.map((p: { name: string }) => p.name)).toContain(
      'status',
    );
    expect(await readFile(join(project.dir, 'generated/openapi.ts'), 'utf8')).toContain(
      "status?: 'queued' | 'processed'",
    );
  }, 120_000);
});
