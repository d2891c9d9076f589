// Runs the revision corpus (fixtures/spec-corpus.ts): every revision of the real spec classified as its row
// expects, every category and level exercised, and the README's category table in step with the code.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MERGED, ROOT, readJson, UPSTREAM } from '../../scripts/lib/pipeline.js';
import {
  CATEGORIES,
  CATEGORY_LEVELS,
  diffSpecs,
  type Level,
  type OpenApiDoc,
  type SpecChange,
} from '../../scripts/lib/spec-diff.js';
import { CORPUS, type PatchOp, type Revision } from './fixtures/spec-corpus.js';

const bases: Record<Revision['base'], OpenApiDoc> = {
  upstream: await readJson(UPSTREAM),
  merged: await readJson(MERGED),
};

type Container = Record<string, unknown> | unknown[];

/** The parent of the pointer's last token, and that token; throws when the parent does not exist. */
function locate(doc: unknown, pointer: string): [Container, string] {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = tokens.pop();
  let cur = doc;
  for (const t of tokens) {
    cur = (cur as Record<string, unknown> | undefined)?.[t];
    if (typeof cur !== 'object' || cur === null) throw new Error(`${pointer}: no ${t}`);
  }
  if (last === undefined) throw new Error(`${pointer}: cannot patch the root`);
  return [cur as Container, last];
}

function get(doc: unknown, pointer: string): unknown {
  const [parent, key] = locate(doc, pointer);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw new Error(`${pointer}: nothing there`);
  return value;
}

function remove(doc: unknown, pointer: string): unknown {
  const value = get(doc, pointer);
  const [parent, key] = locate(doc, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return value;
}

function add(doc: unknown, pointer: string, value: unknown) {
  const [parent, key] = locate(doc, pointer);
  if (!Array.isArray(parent)) parent[key] = value;
  else if (key === '-') parent.push(value);
  else parent.splice(Number(key), 0, value);
}

/** RFC 6902 on a copy, strict: a fixture whose target is gone fails instead of silently changing nothing. */
// (A dozen lines, so no dependency for it.)
function applyPatch(base: OpenApiDoc, ops: PatchOp[]): OpenApiDoc {
  const doc = structuredClone(base);
  for (const op of ops) {
    if (op.op === 'add') add(doc, op.path, structuredClone(op.value));
    else if (op.op === 'remove') remove(doc, op.path);
    else if (op.op === 'replace') {
      get(doc, op.path);
      const [parent, key] = locate(doc, op.path);
      if (Array.isArray(parent)) parent[Number(key)] = structuredClone(op.value);
      else parent[key] = structuredClone(op.value);
    } else if (op.op === 'move') add(doc, op.path, remove(doc, op.from));
    else add(doc, op.path, structuredClone(get(doc, op.from)));
  }
  return doc;
}

const where = (c: SpecChange) => (c.operation === undefined ? c.location : `${c.operation} | ${c.location}`);
const byText = (x: string[], y: string[]) => x.join(' ').localeCompare(y.join(' '));
const results = new Map<string, SpecChange[]>();

describe('spec-diff corpus: revisions of the real spec', () => {
  it.each(CORPUS.map((row) => [row.name, row] as const))('%s', (name, row) => {
    const base = row.before ? applyPatch(bases[row.base], row.before) : bases[row.base];
    const { changes, problems } = diffSpecs(base, applyPatch(base, row.patch));
    results.set(name, changes);
    const got = changes.map((c) => [c.level, c.category, where(c)]).sort(byText);
    expect(got, `fixture ${name}: changes`).toEqual([...row.changes].sort(byText));
    const gotProblems = problems.map((p) => [p.severity, p.category, p.document]).sort(byText);
    expect(gotProblems, `fixture ${name}: problems`).toEqual([...(row.problems ?? [])].sort(byText));
  });

  it('has at least 50 revisions, each named once', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CORPUS.map((r) => r.name)).size).toBe(CORPUS.length);
  });

  it('exercises every category, and every change has a level its category allows and a direction', () => {
    const seen = new Set(CORPUS.flatMap((r) => r.changes.map(([, category]) => category)));
    expect(CATEGORIES.filter((c) => !seen.has(c))).toEqual([]);
    for (const [name, changes] of results) {
      for (const c of changes) {
        const allowed: readonly Level[] = CATEGORY_LEVELS[c.category];
        expect(allowed, `fixture ${name}: ${c.category} at ${c.level}`).toContain(c.level);
        expect(['sends', 'receives'], `fixture ${name}`).toContain(c.direction);
      }
    }
  });

  it('lists every place a shared-schema change is felt', () => {
    const [change] = results.get('m-response-enum-value-added-in-a-shared-schema') ?? [];
    expect(change?.schema).toBe('DocumentStatus');
    expect(new Set(change?.usedBy?.map((p) => p.operation))).toEqual(
      new Set([
        'POST /documents',
        'GET /documents/{id}',
        'GET /documents/{id}.{format}',
        'POST webhook:document-processed',
      ]),
    );
    expect(change?.usedBy).toContainEqual({
      operation: 'POST webhook:document-processed',
      location: 'request body application/json: (action=transcribe).status',
    });
  });
});

describe('README: the category table', () => {
  it('lists every category with exactly the levels it can take', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const rows = new Map<string, string>();
    for (const m of readme.matchAll(/^\| `([a-z-]+)` +\| ([^|]+)\|/gm))
      rows.set(m[1] as string, m[2] as string);
    for (const category of CATEGORIES) {
      const cell = rows.get(category);
      expect(cell, `README row for ${category}`).toBeDefined();
      const levels = [...(cell ?? '').matchAll(/(potentially breaking|non-breaking|breaking|notice)/g)].map(
        (x) => (x[1] as string).replace(' ', '-'),
      );
      expect(new Set(levels), `README levels for ${category}`).toEqual(new Set(CATEGORY_LEVELS[category]));
    }
  });
});
