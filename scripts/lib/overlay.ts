// Applies openapi/overlay.yaml to the vendor's document with openapi-format, and refuses to apply an overlay
// whose actions no longer match: after an upstream bump, drift must fail loudly, not vanish silently.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { parse } from 'yaml';

export type OpenApiDoc = Record<string, unknown>;

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

export interface OverlayDoc {
  overlay: string;
  info?: { title?: string; version?: string };
  actions: OverlayAction[];
}

interface OverlayResult {
  data: OpenApiDoc;
  resultData: { unusedActions: OverlayAction[]; totalActions: number };
}

const require = createRequire(import.meta.url);
/** openapi-format (CommonJS): its overlay engine and JSONPath resolver, typed for what this project uses. */
export const openapiFormat = require('openapi-format') as {
  openapiOverlay(doc: OpenApiDoc, options: { overlaySet: OverlayDoc }): Promise<OverlayResult>;
  resolveJsonPath(doc: OpenApiDoc, path: string): Array<{ value: unknown }>;
};

export class OverlayDriftError extends Error {
  constructor(readonly unmatched: OverlayAction[]) {
    const list = unmatched
      .map((a) => `  - ${a.target}${a.description ? `  (${a.description})` : ''}`)
      .join('\n');
    super(
      `${unmatched.length} overlay action(s) matched nothing in the upstream document:\n${list}\n` +
        'The upstream spec changed under the overlay. Update or delete these actions in openapi/overlay.yaml ' +
        '(if upstream now has the fix, delete the action).',
    );
    this.name = 'OverlayDriftError';
  }
}

/** Reads an Overlay document; YAML merge keys (`<<: *anchor`) are honoured. */
export async function readOverlay(file: string): Promise<OverlayDoc> {
  const overlay = parse(await readFile(file, 'utf8'), { merge: true }) as OverlayDoc;
  if (!overlay || typeof overlay.overlay !== 'string' || !Array.isArray(overlay.actions)) {
    throw new Error(`${file} is not an OpenAPI Overlay document (needs \`overlay:\` and \`actions:\`).`);
  }
  return overlay;
}

/** Applies the overlay to a copy of `upstream`; throws OverlayDriftError when any action matched nothing. */
export async function applyOverlay(upstream: OpenApiDoc, overlay: OverlayDoc): Promise<OpenApiDoc> {
  const { data, resultData } = await openapiFormat.openapiOverlay(structuredClone(upstream), {
    overlaySet: overlay,
  });
  if (resultData.unusedActions.length > 0) throw new OverlayDriftError(resultData.unusedActions);
  return data;
}
