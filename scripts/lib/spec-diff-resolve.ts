// Reading schemas the way the differ compares them: local `$ref`s followed, `allOf` folded into one schema
// (remembering which named schema declared each property), and the set of JSON types a schema admits.
import { asArr, asObj, isObj, type Obj } from './spec-diff-model.js';

export const MAX_DEPTH = 64;

// Resolved pointers per document: a large document follows the same few `$ref`s thousands of times.
const pointers = new WeakMap<Obj, Map<string, unknown>>();

/** The value at a local JSON pointer (`#/components/schemas/X`), or undefined. */
export function pointer(doc: Obj, ref: string): unknown {
  let known = pointers.get(doc);
  if (!known) {
    known = new Map();
    pointers.set(doc, known);
  }
  if (known.has(ref)) return known.get(ref);
  let cur: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    if (raw === '') continue;
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    cur = isObj(cur) ? cur[key] : Array.isArray(cur) ? cur[Number(key)] : undefined;
  }
  known.set(ref, cur);
  return cur;
}

export interface Resolved {
  node: Obj;
  /** The first `$ref` followed, used to name shared schemas and to stop on recursive ones. */
  ref?: string;
  /** A `$ref` led nowhere: the document problem is reported separately, the walk skips this node. */
  missing?: boolean;
}

/** Follows local `$ref`s; 3.1 allows siblings next to `$ref`, which override the target's keywords. */
export function deref(doc: Obj, value: unknown): Resolved {
  let node = asObj(value);
  let first: string | undefined;
  let siblings: Obj = {};
  const seen = new Set<string>();
  while (typeof node.$ref === 'string' && node.$ref.startsWith('#')) {
    const { $ref: ref, ...rest } = node;
    first ??= ref;
    siblings = { ...rest, ...siblings };
    if (seen.has(ref)) return { node: {}, ref: first }; // a $ref chain that loops describes nothing
    seen.add(ref);
    const target = pointer(doc, ref);
    if (target === undefined) return { node: {}, ref: first, missing: true };
    node = asObj(target);
  }
  return { node: Object.keys(siblings).length > 0 ? { ...node, ...siblings } : node, ref: first };
}

export const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** For an allOf-merged schema: the named schema each inherited property was declared in. */
const origins = new WeakMap<Obj, Map<string, string>>();
export const originOf = (merged: Obj, property: string) => origins.get(merged)?.get(property);

/** Folds `allOf` into one schema so inherited properties compare like declared ones. */
function mergeAllOf(doc: Obj, schema: Obj, seen: ReadonlySet<string>): Obj {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  let merged: Obj = rest;
  const origin = new Map<string, string>();
  for (const part of allOf) {
    const r = deref(doc, part);
    if (r.missing || (r.ref && seen.has(r.ref))) continue;
    const sub = mergeAllOf(doc, r.node, r.ref ? new Set([...seen, r.ref]) : seen);
    const have = asObj(merged.properties);
    for (const name of Object.keys(asObj(sub.properties))) {
      const from = originOf(sub, name) ?? (r.ref ? refName(r.ref) : undefined);
      // A property constrained by two parts belongs to neither alone: it stays with the schema being merged.
      if (name in have || from === undefined) origin.delete(name);
      else origin.set(name, from);
    }
    merged = mergeTwo(merged, sub);
  }
  origins.set(merged, origin);
  return merged;
}

function mergeTwo(x: Obj, y: Obj): Obj {
  const out: Obj = { ...y, ...x };
  if (isObj(x.properties) || isObj(y.properties)) {
    const props: Obj = { ...asObj(y.properties) };
    for (const [k, v] of Object.entries(asObj(x.properties))) {
      // Both parts constrain the property: keep both, the walker merges them again.
      props[k] = k in props ? { allOf: [v, props[k]] } : v;
    }
    out.properties = props;
  }
  if (Array.isArray(x.required) || Array.isArray(y.required)) {
    out.required = [...new Set([...asArr(x.required), ...asArr(y.required)])];
  }
  return out;
}

export function resolveSchema(doc: Obj, value: unknown): Resolved {
  const r = deref(doc, value);
  if (r.missing) return r;
  return { node: mergeAllOf(doc, r.node, r.ref ? new Set([r.ref]) : new Set()), ref: r.ref };
}

// ---------------------------------------------------------------------------------------------------------
// JSON types

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** `nullable` means something only in OpenAPI 3.0; in 3.1 it is an unknown keyword (a document problem). */
export const honoursNullable = (doc: Obj) => typeof doc.openapi === 'string' && doc.openapi.startsWith('3.0');

export type Union = { kind: 'oneOf' | 'anyOf'; branches: unknown[] };

export const unionOf = (s: Obj): Union | undefined =>
  Array.isArray(s.oneOf)
    ? { kind: 'oneOf', branches: s.oneOf }
    : Array.isArray(s.anyOf)
      ? { kind: 'anyOf', branches: s.anyOf }
      : undefined;

/** The JSON types a schema admits; undefined means any. `withUnions` also folds in oneOf/anyOf branches. */
export function typeSet(doc: Obj, s: Obj, withUnions: boolean, depth = 0): Set<string> | undefined {
  let types: Set<string> | undefined;
  if (typeof s.type === 'string') types = new Set([s.type]);
  else if (Array.isArray(s.type)) types = new Set(s.type.filter((t): t is string => typeof t === 'string'));
  else if ('const' in s) types = new Set([jsonType(s.const)]);
  else if (Array.isArray(s.enum)) types = new Set(s.enum.map(jsonType));
  else if (isObj(s.properties) || isObj(s.additionalProperties)) types = new Set(['object']);
  else if (s.items !== undefined) types = new Set(['array']);
  else {
    const union = withUnions && depth < MAX_DEPTH ? unionOf(s) : undefined;
    if (union) {
      types = new Set();
      for (const b of union.branches) {
        const t = typeSet(doc, resolveSchema(doc, b).node, true, depth + 1);
        if (!t) return undefined;
        for (const x of t) types.add(x);
      }
    }
  }
  if (types && s.nullable === true && honoursNullable(doc)) types.add('null'); // 3.0 for ['x', 'null']
  return types;
}

const admits = (set: Set<string>, t: string) => set.has(t) || (t === 'integer' && set.has('number'));

/** Is every value of type-set `a` also valid for `b`? */
export function within(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (!b) return true;
  if (!a) return false;
  return [...a].every((t) => admits(b, t));
}

export const sameTypes = (a: Set<string> | undefined, b: Set<string> | undefined) =>
  (!a && !b) || (!!a && !!b && a.size === b.size && within(a, b) && within(b, a));

export const overlaps = (a: Set<string> | undefined, b: Set<string> | undefined) =>
  !a || !b || [...a].some((t) => admits(b, t)) || [...b].some((t) => admits(a, t));

export const fmtTypes = (t: Set<string> | undefined) => (t ? [...t].sort().join(' | ') : 'any');

export function enumValues(s: Obj): unknown[] | undefined {
  if ('const' in s) return [s.const];
  return Array.isArray(s.enum) ? s.enum : undefined;
}
