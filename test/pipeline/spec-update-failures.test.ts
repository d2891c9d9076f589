// `npm run spec:update` end to end, in a scratch copy of the project (the real repository is never touched): an
// update that fails — early (overlay drift) or in the middle (src/ no longer compiles against the regenerated
// types) — must leave every file exactly as it was.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  removeProject,
  type ScratchProject,
  scratchProject,
  tree,
  update,
} from './helpers/spec-update-project.js';

let project: ScratchProject;
beforeAll(async () => {
  project = await scratchProject();
});
afterAll(() => removeProject(project));

describe('npm run spec:update, failing', () => {
  it('refuses an overlay that no longer applies, reports the drift, and changes nothing', async () => {
    const before = await tree(project.dir);
    const next = structuredClone(project.upstream);
    delete next.paths['/credits/topup'];
    const { code, out } = await update(project.dir, next);
    expect(code).toBe(1);
    expect(out).toContain('[operation-removed] POST /credits/topup');
    expect(out).toContain('### Unmatched (2)');
    expect(out).toContain("$.paths['/credits/topup'].post.responses");
    expect(out).toContain('✖ overlay failed');
    expect(out).toContain('The previous spec and generated files were restored');
    expect(await tree(project.dir)).toEqual(before);
  }, 60_000);

  it('restores everything when src/ stops compiling against the regenerated types', async () => {
    // A helper that reads `file_name` as a string; the new upstream makes it an integer.
    await writeFile(
      join(project.dir, 'src/planted-helper.ts'),
      "import type { components } from '../generated/openapi.js';\n" +
        "export const name: components['schemas']['Document']['file_name'] = 'scan.pdf';\n",
    );
    const before = await tree(project.dir);
    const next = structuredClone(project.upstream);
    next.components.schemas.Document.properties.file_name = { type: 'integer', example: 7 };
    for (const doc of next.paths['/documents'].get.responses['200'].content['application/json'].example
      .documents) {
      doc.file_name = 7;
    }
    const { code, out } = await update(project.dir, next);
    expect(code).toBe(1);
    expect(out).toContain('response-property-type-changed');
    expect(out).toContain('✖ typecheck failed');
    expect(out).toContain('src/planted-helper.ts');
    expect(await tree(project.dir)).toEqual(before);
  }, 90_000);
});
