// The merged document's lint gate: findings name the document `npm run generate` writes and a JSON path an
// overlay action can target, never the scratch file the lint ran on (it is deleted before anyone reads them).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  json,
  jsonPath,
  lintMerged,
  MERGED,
  OVERLAY,
  readJson,
  StageError,
} from '../../scripts/lib/pipeline.js';

const scratch = mkdtempSync(join(tmpdir(), 'hwocr-lint-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('lint merged', () => {
  it('writes JSON paths as overlay targets', () => {
    expect(jsonPath(['paths', '/documents/{id}', 'get', 'responses', '200'])).toBe(
      "$.paths['/documents/{id}'].get.responses['200']",
    );
  });

  it('passes the committed merged document', async () => {
    await expect(lintMerged(MERGED)).resolves.toBeUndefined();
  }, 60_000);

  it('names the merged document and the JSON path of a finding, not the scratch file', async () => {
    const doc = await readJson(MERGED);
    const me = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/users/me'];
    delete me?.get?.operationId;
    const file = join(scratch, 'handwriting-ocr.v3.json');
    writeFileSync(file, json(doc));
    const error = await lintMerged(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StageError);
    const { message, hint } = error as StageError;
    expect(message).toContain(`${MERGED} (as this run would write it): 1 finding`);
    expect(message).toContain('operation-operationId');
    expect(message).toContain("at $.paths['/users/me'].get");
    expect(message).not.toContain(scratch);
    expect(hint).toContain(OVERLAY);
  }, 60_000);
});
