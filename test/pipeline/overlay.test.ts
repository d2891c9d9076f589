// The overlay holds every correction; after an upstream bump it must fail loudly rather than drift silently.
import { describe, expect, it } from 'vitest';
import { applyOverlay, OverlayDriftError, readOverlay } from '../../scripts/lib/overlay.js';
import {
  json,
  MERGED,
  merge,
  OVERLAY,
  ROOT,
  readJson,
  StageError,
  UPSTREAM,
} from '../../scripts/lib/pipeline.js';

describe('openapi/overlay.yaml', () => {
  it('is an Overlay 1.0 document whose every action matches the vendor document', async () => {
    const overlay = await readOverlay(`${ROOT}/${OVERLAY}`);
    expect(overlay.overlay).toMatch(/^1\.0\./);
    expect(overlay.actions.length).toBeGreaterThan(10);
    for (const action of overlay.actions) expect(action.description, action.target).toBeTruthy();
    // applyOverlay throws OverlayDriftError if any action matched nothing.
    await expect(applyOverlay(await readJson(UPSTREAM), overlay)).resolves.toBeTypeOf('object');
  });

  it('produces exactly the committed merged document, and the same one twice', async () => {
    const first = json(await merge());
    const second = json(await merge());
    expect(second).toBe(first);
    expect(first).toBe(`${JSON.stringify(await readJson(MERGED), null, 2)}\n`);
  });

  it('leaves the vendor document untouched', async () => {
    const upstream = await readJson(UPSTREAM);
    const before = JSON.stringify(upstream);
    await applyOverlay(upstream, await readOverlay(`${ROOT}/${OVERLAY}`));
    expect(JSON.stringify(upstream)).toBe(before);
  });

  it('fails, naming the action, when a target no longer matches (upstream drift)', async () => {
    const bumped = await readJson(UPSTREAM);
    delete (bumped.paths as Record<string, unknown>)['/credits/topup'];
    const overlay = await readOverlay(`${ROOT}/${OVERLAY}`);
    const error = await applyOverlay(bumped, overlay).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverlayDriftError);
    const drift = error as OverlayDriftError;
    expect(drift.unmatched.map((a) => a.target)).toEqual([
      "$.paths['/credits/topup'].post.requestBody.content['multipart/form-data'].schema.properties.amount",
      "$.paths['/credits/topup'].post.responses",
    ]);
    expect(drift.message).toContain('Update or delete these actions in openapi/overlay.yaml');
  });

  it('reports drift as a pipeline stage failure that says what to fix', async () => {
    const error = await merge(UPSTREAM, 'test/pipeline/fixtures/drifted-overlay.yaml').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StageError);
    expect((error as StageError).stage).toBe('overlay');
    expect((error as StageError).message).toContain("$.paths['/documents/{id}/thumbnails']");
    expect((error as StageError).hint).toBe('Fix test/pipeline/fixtures/drifted-overlay.yaml.');
  });
});
