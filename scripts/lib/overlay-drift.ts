// After an upstream bump, checks the project's Overlay against the new vendor document: actions whose target
// is gone (the overlay no longer applies) and actions upstream has caught up with (the overlay should shrink
// as upstream improves).
import { type OpenApiDoc, type OverlayAction, type OverlayDoc, openapiFormat } from './overlay.js';

export type { OpenApiDoc, OverlayAction, OverlayDoc };

export interface DriftedAction {
  /** Position in the overlay's `actions` (0-based). */
  index: number;
  target: string;
  description: string | undefined;
}

export interface OverlayDrift {
  /** Targets that match nothing, evaluated in order (earlier actions applied first, as when merging). */
  unmatched: DriftedAction[];
  /** Actions whose `update` the new upstream already contains at every node the target matches. */
  redundant: DriftedAction[];
}

const { openapiOverlay, resolveJsonPath } = openapiFormat;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isParameter = (v: unknown): v is { name: unknown; in: unknown } => isObj(v) && !!v.name && !!v.in;

/**
 * Does `node` already hold everything `update` would merge into it? Mirrors openapi-format's merge: objects
 * merge key by key, array items are appended (parameters merged by `name` + `in`), scalars replace.
 */
export function containsUpdate(node: unknown, update: unknown): boolean {
  if (isObj(update)) {
    return isObj(node) && Object.entries(update).every(([k, v]) => k in node && containsUpdate(node[k], v));
  }
  if (Array.isArray(update)) {
    if (!Array.isArray(node)) return false;
    return update.every((item) =>
      node.some((have) =>
        isParameter(item) && isParameter(have)
          ? item.name === have.name && item.in === have.in && containsUpdate(have, item)
          : containsUpdate(have, item),
      ),
    );
  }
  return Object.is(node, update);
}

const describe = (action: OverlayAction, index: number): DriftedAction => ({
  index,
  target: action.target,
  description: action.description,
});

/** Compares `overlay` with a new `upstream`; neither argument is modified. */
export async function overlayDrift(upstream: OpenApiDoc, overlay: OverlayDoc): Promise<OverlayDrift> {
  const actions = overlay.actions ?? [];
  // The engine mutates the document it is given; the identity of action objects maps results to indexes.
  const set = { ...overlay, actions: [...actions] };
  const { resultData } = await openapiOverlay(structuredClone(upstream), { overlaySet: set });
  const unused = new Set(resultData.unusedActions);
  const unmatched = actions.flatMap((a, i) => (unused.has(a) ? [describe(a, i)] : []));

  // Redundancy is judged against the pristine upstream: what the vendor ships, not what earlier actions made.
  const pristine = structuredClone(upstream);
  const redundant = actions.flatMap((a, i) => {
    if (unused.has(a) || a.remove === true || !('update' in a)) return [];
    const nodes = a.target === '$' ? [{ value: pristine }] : resolveJsonPath(pristine, a.target);
    return nodes.length > 0 && nodes.every((n) => containsUpdate(n.value, a.update)) ? [describe(a, i)] : [];
  });
  return { unmatched, redundant };
}

const line = (d: DriftedAction) =>
  `- actions[${d.index}] \`${d.target}\`${d.description ? ` — ${d.description}` : ''}`;

/** Markdown section for the spec-update report. */
export function formatOverlayDrift(drift: OverlayDrift, title = 'Overlay drift'): string {
  const lines = [`## ${title}`, ''];
  if (drift.unmatched.length === 0 && drift.redundant.length === 0) {
    lines.push('Every overlay action still applies, and none is already in upstream.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`### Unmatched (${drift.unmatched.length})`, '');
  if (drift.unmatched.length === 0) lines.push('_None._');
  else {
    lines.push('The target matches nothing in the new upstream: update the target or delete the action.', '');
    lines.push(...drift.unmatched.map(line));
  }
  lines.push('', `### Redundant (${drift.redundant.length})`, '');
  if (drift.redundant.length === 0) lines.push('_None._');
  else {
    lines.push('Upstream now already has what the action adds: delete the action.', '');
    lines.push(...drift.redundant.map(line));
  }
  return `${lines.join('\n')}\n`;
}
