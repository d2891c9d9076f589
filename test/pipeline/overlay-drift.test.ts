// Overlay drift after an upstream bump: actions that no longer match, and actions upstream made redundant.
import { describe, expect, it } from 'vitest';
import {
  containsUpdate,
  formatOverlayDrift,
  type OpenApiDoc,
  type OverlayDoc,
  overlayDrift,
} from '../../scripts/lib/overlay-drift.js';
import { readJson, UPSTREAM } from '../../scripts/lib/pipeline.js';

type Obj = Record<string, unknown>;

const upstream: OpenApiDoc = await readJson(UPSTREAM);

function at(doc: Obj, ...keys: string[]): Obj {
  let cur = doc;
  for (const k of keys) {
    const next = cur[k];
    if (typeof next !== 'object' || next === null) throw new Error(`${keys.join('.')}: no object at ${k}`);
    cur = next as Obj;
  }
  return cur;
}

const listParams = (doc: Obj) => at(doc, 'paths', '/documents', 'get').parameters as Obj[];

/** A small overlay in the style of openapi/overlay.yaml; every action applies to today's upstream. */
const overlay: OverlayDoc = {
  overlay: '1.0.0',
  info: { title: 'corrections', version: '1.0.0' },
  actions: [
    {
      target: '$.components.parameters.DocumentId.schema',
      description: 'Ids are alphanumeric.',
      update: { pattern: '^[A-Za-z0-9]+$' },
    },
    {
      target: "$.paths['/documents'].get.parameters[?(@.name == 'page')].schema",
      description: 'Pages count from 1.',
      update: { minimum: 1 },
    },
    {
      target: "$.paths['/documents/{id}'].get.parameters[?(@.name == 'format')]",
      description: 'The format is a path extension.',
      remove: true,
    },
    {
      target: '$.components.schemas',
      description: 'Name the status enum.',
      update: { DocumentStatus: { type: 'string', enum: ['queued', 'processing', 'processed', 'failed'] } },
    },
    {
      // Targets a node only the previous action creates: must be evaluated after it.
      target: '$.components.schemas.DocumentStatus',
      description: 'Older accounts report `new`.',
      update: { enum: ['new'] },
    },
  ],
};

/** Upstream after a bump, mutated by `change`. */
function bumped(change: (doc: Obj) => void): OpenApiDoc {
  const doc = structuredClone(upstream);
  change(doc);
  return doc;
}

describe('overlayDrift', () => {
  it('reports nothing for an overlay that still applies, evaluating actions in order', async () => {
    expect(await overlayDrift(upstream, overlay)).toEqual({ unmatched: [], redundant: [] });
  });

  it('reports an action whose target is gone after the bump as unmatched', async () => {
    const next = bumped((doc) => {
      const op = at(doc, 'paths', '/documents/{id}', 'get');
      op.parameters = (op.parameters as Obj[]).filter((p) => p.name !== 'format');
    });
    expect(await overlayDrift(next, overlay)).toEqual({
      unmatched: [
        {
          index: 2,
          target: "$.paths['/documents/{id}'].get.parameters[?(@.name == 'format')]",
          description: 'The format is a path extension.',
        },
      ],
      redundant: [],
    });
  });

  it('reports an action whose update upstream already has as redundant', async () => {
    const next = bumped((doc) => {
      const page = listParams(doc).find((p) => p.name === 'page') as Obj;
      at(page, 'schema').minimum = 1;
    });
    expect(await overlayDrift(next, overlay)).toEqual({
      unmatched: [],
      redundant: [
        {
          index: 1,
          target: "$.paths['/documents'].get.parameters[?(@.name == 'page')].schema",
          description: 'Pages count from 1.',
        },
      ],
    });
  });

  it('judges redundancy against upstream, not against what earlier actions created', async () => {
    // Action 4 only re-states part of what action 3 adds; upstream has neither, so neither is redundant.
    const dup: OverlayDoc = {
      ...overlay,
      actions: [
        ...overlay.actions,
        { target: '$.components.schemas.DocumentStatus', update: { type: 'string' } },
      ],
    };
    expect((await overlayDrift(upstream, dup)).redundant).toEqual([]);
  });

  it('is not redundant while upstream has only part of the update', async () => {
    const next = bumped((doc) => {
      at(doc, 'components', 'schemas').DocumentStatus = { type: 'string', enum: ['queued', 'processed'] };
    });
    const drift = await overlayDrift(next, overlay);
    expect(drift.redundant).toEqual([]);
    expect(drift.unmatched).toEqual([]);
  });

  it('does not modify its arguments', async () => {
    const doc = structuredClone(upstream);
    const ov = structuredClone(overlay);
    await overlayDrift(doc, ov);
    expect(doc).toEqual(upstream);
    expect(ov).toEqual(overlay);
  });
});

describe('containsUpdate', () => {
  it('objects: every key of the update, recursively', () => {
    expect(containsUpdate({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBe(true);
    expect(containsUpdate({ a: 1, b: { c: 2 } }, { b: { c: 3 } })).toBe(false);
    expect(containsUpdate({ a: 1 }, { b: undefined })).toBe(false);
    expect(containsUpdate('scalar', { a: 1 })).toBe(false);
  });

  it('arrays: every item present (merge appends), parameters matched by name and location', () => {
    expect(containsUpdate(['id', 'status', 'action'], ['action', 'id'])).toBe(true);
    expect(containsUpdate(['id'], ['id', 'status'])).toBe(false);
    const params = [
      { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
      { name: 'page', in: 'header', schema: { type: 'string' } },
    ];
    expect(containsUpdate(params, [{ name: 'page', in: 'query', schema: { minimum: 1 } }])).toBe(true);
    expect(containsUpdate(params, [{ name: 'page', in: 'header', schema: { minimum: 1 } }])).toBe(false);
  });

  it('scalars: equal values only', () => {
    expect(containsUpdate(null, null)).toBe(true);
    expect(containsUpdate(1, '1')).toBe(false);
  });
});

describe('formatOverlayDrift', () => {
  it('lists unmatched and redundant actions with their index, target and description', () => {
    const text = formatOverlayDrift({
      unmatched: [{ index: 2, target: '$.a', description: 'Why a.' }],
      redundant: [{ index: 5, target: '$.b', description: undefined }],
    });
    expect(text).toBe(
      [
        '## Overlay drift',
        '',
        '### Unmatched (1)',
        '',
        'The target matches nothing in the new upstream: update the target or delete the action.',
        '',
        '- actions[2] `$.a` — Why a.',
        '',
        '### Redundant (1)',
        '',
        'Upstream now already has what the action adds: delete the action.',
        '',
        '- actions[5] `$.b`',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is no drift', () => {
    expect(formatOverlayDrift({ unmatched: [], redundant: [] })).toContain(
      'Every overlay action still applies',
    );
  });
});
