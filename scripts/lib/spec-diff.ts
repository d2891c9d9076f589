// Classifies the changes between two OpenAPI 3.x documents by what they do to a CLIENT of the API, for the
// `npm run spec:update` report. No maintained JS tool diffs OpenAPI 3.1 (type arrays, `const`), hence this.
//
// Direction matters: a change is judged by whether the client writes the value (parameters, request bodies,
// webhook responses) or reads it (responses, webhook payloads). Widening what the client may send is safe,
// widening what it receives is not (typed clients switch exhaustively), and vice versa for narrowing.

export const CATEGORIES = [
  'operation-added',
  'operation-removed',
  'parameter-added-required',
  'parameter-added-optional',
  'parameter-removed',
  'parameter-became-required',
  'parameter-became-optional',
  'parameter-type-changed',
  'request-body-changed',
  'request-property-required-added',
  'request-property-removed',
  'request-property-added-optional',
  'request-property-became-optional',
  'request-property-type-changed',
  'enum-value-added',
  'enum-value-removed',
  'response-property-removed',
  'response-property-type-changed',
  'response-property-added',
  'response-property-became-optional',
  'status-code-added',
  'status-code-removed',
  'content-type-added',
  'content-type-removed',
  'security-changed',
] as const;

export type Category = (typeof CATEGORIES)[number];

export interface SpecChange {
  category: Category;
  breaking: boolean;
  /** e.g. 'GET /documents/{id}' or 'POST webhook:document-processed'; absent for document-wide changes. */
  operation?: string;
  /** Human path, e.g. 'response 200 application/json: documents[].status'. */
  location: string;
  message: string;
}

/** A parsed OpenAPI document; only the parts the differ reads are typed. */
export type OpenApiDoc = Record<string, unknown>;

export type Bump = 'major' | 'minor' | 'patch';

type Obj = Record<string, unknown>;
/** Who produces the value: the client ('request') or the server ('response'). */
type Dir = 'request' | 'response';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const MAX_DEPTH = 64;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const sorted = (xs: Iterable<string>) => [...xs].sort();

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stable(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

// ---------------------------------------------------------------------------------------------------------
// $ref resolution

function pointer(doc: Obj, ref: string): unknown {
  let cur: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    if (raw === '') continue;
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    cur = isObj(cur) ? cur[key] : Array.isArray(cur) ? cur[Number(key)] : undefined;
  }
  return cur;
}

interface Resolved {
  node: Obj;
  /** The first `$ref` followed, used to stop on recursive schemas. */
  ref?: string;
}

/** Follows local `$ref`s; 3.1 allows siblings next to `$ref`, which override the target's keywords. */
function deref(doc: Obj, value: unknown): Resolved {
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
    node = asObj(pointer(doc, ref));
  }
  return { node: Object.keys(siblings).length > 0 ? { ...node, ...siblings } : node, ref: first };
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** Folds `allOf` into one schema so inherited properties compare like declared ones. */
function mergeAllOf(doc: Obj, schema: Obj, seen: ReadonlySet<string> = new Set()): Obj {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  let merged: Obj = rest;
  for (const part of allOf) {
    const r = deref(doc, part);
    if (r.ref && seen.has(r.ref)) continue;
    merged = mergeTwo(merged, mergeAllOf(doc, r.node, r.ref ? new Set([...seen, r.ref]) : seen));
  }
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

function resolveSchema(doc: Obj, value: unknown): Resolved {
  const r = deref(doc, value);
  return { node: mergeAllOf(doc, r.node, r.ref ? new Set([r.ref]) : new Set()), ref: r.ref };
}

// ---------------------------------------------------------------------------------------------------------
// JSON Schema helpers

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const unionOf = (s: Obj): { kind: 'oneOf' | 'anyOf'; branches: unknown[] } | undefined =>
  Array.isArray(s.oneOf)
    ? { kind: 'oneOf', branches: s.oneOf }
    : Array.isArray(s.anyOf)
      ? { kind: 'anyOf', branches: s.anyOf }
      : undefined;

/** The JSON types a schema admits; undefined means any. `withUnions` also folds in oneOf/anyOf branches. */
function typeSet(doc: Obj, s: Obj, withUnions: boolean, depth = 0): Set<string> | undefined {
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
  if (types && s.nullable === true) types.add('null'); // OpenAPI 3.0 spelling of ['x', 'null']
  return types;
}

const admits = (set: Set<string>, t: string) => set.has(t) || (t === 'integer' && set.has('number'));

/** Is every value of type-set `a` also valid for `b`? */
function within(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (!b) return true;
  if (!a) return false;
  return [...a].every((t) => admits(b, t));
}

const sameTypes = (a: Set<string> | undefined, b: Set<string> | undefined) =>
  (!a && !b) || (!!a && !!b && a.size === b.size && within(a, b) && within(b, a));

const overlaps = (a: Set<string> | undefined, b: Set<string> | undefined) =>
  !a || !b || [...a].some((t) => admits(b, t)) || [...b].some((t) => admits(a, t));

const fmtTypes = (t: Set<string> | undefined) => (t ? sorted(t).join(' | ') : 'any');

function enumValues(s: Obj): unknown[] | undefined {
  if ('const' in s) return [s.const];
  return Array.isArray(s.enum) ? s.enum : undefined;
}

const fmtValues = (vs: unknown[]) => vs.map((v) => (typeof v === 'string' ? `'${v}'` : stable(v))).join(', ');

/** Properties the client sees in this direction (readOnly ones are never sent, writeOnly never received). */
function visibleProps(doc: Obj, s: Obj, dir: Dir): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [name, raw] of Object.entries(asObj(s.properties))) {
    const p = deref(doc, raw).node;
    if (dir === 'request' ? p.readOnly === true : p.writeOnly === true) continue;
    out.set(name, raw);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The walk

type Say = (category: Category, breaking: boolean, location: string, message: string) => void;

/** The two documents, and where to report changes (bound to one operation, or to the whole document). */
interface Ctx {
  before: Obj;
  after: Obj;
  say: Say;
}

/** Where a schema sits: which way the data flows, and the location prefix. */
interface Scope extends Ctx {
  dir: Dir;
  /** Parameters report type changes as `parameter-type-changed` at any depth. */
  role: 'parameter' | 'body';
  where: string;
}

const at = (s: Scope, path: string) => (path ? `${s.where}: ${path}` : s.where);
const child = (path: string, name: string) => (path ? `${path}.${name}` : name);
const flow = (dir: Dir) => (dir === 'request' ? 'sent by the client' : 'received by the client');

function typeCategory(s: Scope): Category {
  if (s.role === 'parameter') return 'parameter-type-changed';
  return s.dir === 'request' ? 'request-property-type-changed' : 'response-property-type-changed';
}

function compareSchema(s: Scope, bRaw: unknown, aRaw: unknown, path: string, stack: ReadonlySet<string>) {
  const { before, after } = s;
  const rb = resolveSchema(before, bRaw);
  const ra = resolveSchema(after, aRaw);
  // Recursive schemas: stop when this pair of $refs is already being compared further up.
  const key = rb.ref || ra.ref ? `${rb.ref ?? ''}|${ra.ref ?? ''}` : undefined;
  if ((key && stack.has(key)) || stack.size > MAX_DEPTH) return;
  const inner = key ? new Set([...stack, key]) : stack;
  const b = rb.node;
  const a = ra.node;

  // A $ref we cannot follow (another file): all we can tell is whether it points elsewhere now.
  if (typeof b.$ref === 'string' || typeof a.$ref === 'string') {
    if (b.$ref !== a.$ref) {
      s.say(
        typeCategory(s),
        true,
        at(s, path),
        `schema changed from ${String(b.$ref ?? 'inline')} to ${String(a.$ref ?? 'inline')}`,
      );
    }
    return;
  }

  const bu = unionOf(b);
  const au = unionOf(a);
  // With a union on both sides, branches are compared one by one; otherwise the union counts as its types.
  const withUnions = !(bu && au);
  const bt = typeSet(before, b, withUnions);
  const ut = typeSet(after, a, withUnions);
  if (!sameTypes(bt, ut)) {
    const safe = s.dir === 'request' ? within(bt, ut) : within(ut, bt);
    const why = safe
      ? s.dir === 'request'
        ? 'widened; what clients send today stays valid'
        : 'narrowed; every value clients handle today stays possible'
      : s.dir === 'request'
        ? 'values clients send today may be rejected'
        : 'clients may receive values their types do not allow';
    s.say(
      typeCategory(s),
      !safe,
      at(s, path),
      `type changed from ${fmtTypes(bt)} to ${fmtTypes(ut)} (${flow(s.dir)}): ${why}`,
    );
  }
  if (!overlaps(bt, ut)) return; // a different kind of value altogether: its insides do not compare

  compareEnums(s, b, a, path);
  if (bu && au) {
    compareUnions(s, b, a, bu, au, path, inner);
  } else if (bu || au) {
    // An object split into variants (or variants folded into one): compare the plain side with each variant.
    // Scalar unions are covered by the type comparison above.
    if (bu && objectish(bt))
      for (const x of variants(before, b, bu)) compareSchema(s, x.schema, a, `${path}(${x.key})`, inner);
    if (au && objectish(ut))
      for (const x of variants(after, a, au)) compareSchema(s, b, x.schema, `${path}(${x.key})`, inner);
    return;
  }

  if (isObj(b.properties) || isObj(a.properties)) compareProperties(s, b, a, path, inner);
  if (b.items !== undefined && a.items !== undefined && !Array.isArray(b.items) && !Array.isArray(a.items)) {
    compareSchema(s, b.items, a.items, `${path}[]`, inner);
  }
  if (isObj(b.additionalProperties) && isObj(a.additionalProperties)) {
    compareSchema(s, b.additionalProperties, a.additionalProperties, `${path}{}`, inner);
  }
}

function compareEnums(s: Scope, b: Obj, a: Obj, path: string) {
  const be = enumValues(b);
  const ae = enumValues(a);
  if (!be && !ae) return;
  const loc = at(s, path);
  const reads = s.dir === 'response';
  if (be && !ae) {
    const why = reads
      ? 'typed clients that switch exhaustively must handle any value'
      : 'clients may send any value';
    s.say(
      'enum-value-added',
      reads,
      loc,
      `enum restriction removed (was ${fmtValues(be)}; ${flow(s.dir)}): ${why}`,
    );
    return;
  }
  if (!be && ae) {
    const why = reads
      ? 'the server now sends fewer values'
      : 'other values clients send today will be rejected';
    s.say(
      'enum-value-removed',
      !reads,
      loc,
      `values now restricted to ${fmtValues(ae)} (${flow(s.dir)}): ${why}`,
    );
    return;
  }
  const bk = new Map((be ?? []).map((v) => [stable(v), v]));
  const ak = new Map((ae ?? []).map((v) => [stable(v), v]));
  const added = [...ak].filter(([k]) => !bk.has(k)).map(([, v]) => v);
  const removed = [...bk].filter(([k]) => !ak.has(k)).map(([, v]) => v);
  if (added.length > 0) {
    const why = reads ? 'typed clients that switch exhaustively must handle it' : 'clients may now send it';
    s.say('enum-value-added', reads, loc, `enum value ${fmtValues(added)} added (${flow(s.dir)}): ${why}`);
  }
  if (removed.length > 0) {
    const why = reads ? 'the server no longer sends it' : 'clients sending it will be rejected';
    s.say(
      'enum-value-removed',
      !reads,
      loc,
      `enum value ${fmtValues(removed)} removed (${flow(s.dir)}): ${why}`,
    );
  }
}

function compareProperties(s: Scope, b: Obj, a: Obj, path: string, stack: ReadonlySet<string>) {
  const bp = visibleProps(s.before, b, s.dir);
  const ap = visibleProps(s.after, a, s.dir);
  const breq = new Set(asArr(b.required));
  const areq = new Set(asArr(a.required));
  for (const name of sorted(new Set([...bp.keys(), ...ap.keys()]))) {
    const p = child(path, name);
    const say = (category: Category, breaking: boolean, message: string) =>
      s.say(category, breaking, at(s, p), message);
    const was = bp.has(name) ? breq.has(name) : undefined; // undefined: absent, else whether required
    const is = ap.has(name) ? areq.has(name) : undefined;
    if (s.dir === 'request') {
      if (is === undefined)
        say(
          'request-property-removed',
          true,
          'property removed: requests that still send it may be rejected or no longer type-check',
        );
      else if (was === undefined && is)
        say('request-property-required-added', true, 'new required property: existing requests omit it');
      else if (was === undefined) say('request-property-added-optional', false, 'new optional property');
      else if (!was && is)
        say(
          'request-property-required-added',
          true,
          'property became required: existing requests may omit it',
        );
      else if (was && !is) say('request-property-became-optional', false, 'property became optional');
    } else {
      if (is === undefined)
        say('response-property-removed', true, 'property removed: clients reading it get undefined');
      else if (was === undefined)
        say('response-property-added', false, `new property (${is ? 'required' : 'optional'})`);
      else if (was && !is)
        say(
          'response-property-became-optional',
          true,
          'property no longer required: clients must handle it being absent',
        );
    }
    if (was !== undefined && is !== undefined) compareSchema(s, bp.get(name), ap.get(name), p, stack);
  }
}

interface Branch {
  key: string;
  /** True when keyed by a discriminator value: then a new branch is like a new enum value. */
  tagged: boolean;
  schema: unknown;
}

/** The property every branch pins with `const` (or a one-value enum): an implicit discriminator. */
function constProps(doc: Obj, branches: unknown[]): Set<string> {
  let common: Set<string> | undefined;
  for (const b of branches) {
    const props = asObj(resolveSchema(doc, b).node.properties);
    const pinned = new Set(
      Object.keys(props).filter((k) => enumValues(resolveSchema(doc, props[k]).node)?.length === 1),
    );
    common = common ? new Set([...common].filter((k) => pinned.has(k))) : pinned;
  }
  return common ?? new Set();
}

function branchesOf(doc: Obj, s: Obj, kind: string, branches: unknown[], prop: string | undefined): Branch[] {
  const disc = asObj(s.discriminator);
  const mapping = asObj(disc.mapping);
  const out: Branch[] = [];
  const used = new Set<string>();
  branches.forEach((raw, i) => {
    const ref = isObj(raw) && typeof raw.$ref === 'string' ? raw.$ref : undefined;
    let key: string | undefined;
    let tagged = false;
    if (prop) {
      const mapped = Object.keys(mapping).find(
        (k) => ref && (mapping[k] === ref || mapping[k] === refName(ref)),
      );
      const pinned = enumValues(
        resolveSchema(doc, asObj(resolveSchema(doc, raw).node.properties)[prop]).node,
      );
      const value =
        mapped ??
        (pinned?.length === 1 ? String(pinned[0]) : undefined) ??
        (ref && disc.propertyName ? refName(ref) : undefined);
      if (value !== undefined) {
        key = `${prop}=${value}`;
        tagged = true;
      }
    }
    const title = resolveSchema(doc, raw).node.title;
    key ??= ref ? refName(ref) : typeof title === 'string' ? title : `${kind}[${i}]`;
    if (used.has(key)) key = `${key}#${i}`;
    used.add(key);
    out.push({ key, tagged, schema: raw });
  });
  return out;
}

const objectish = (t: Set<string> | undefined) => !t || t.has('object');

/** The branches of a union, each merged with the keywords its parent declares beside `oneOf`/`anyOf`. */
function variants(doc: Obj, s: Obj, u: { kind: string; branches: unknown[] }): Branch[] {
  const { oneOf: _o, anyOf: _a, discriminator: _d, ...shared } = s;
  const named = asObj(s.discriminator).propertyName;
  const prop = typeof named === 'string' ? named : sorted(constProps(doc, u.branches))[0];
  return branchesOf(doc, s, u.kind, u.branches, prop).map((x) => ({
    ...x,
    schema: { allOf: [shared, x.schema] },
  }));
}

function compareUnions(
  s: Scope,
  b: Obj,
  a: Obj,
  bu: { kind: string; branches: unknown[] },
  au: { kind: string; branches: unknown[] },
  path: string,
  stack: ReadonlySet<string>,
) {
  const { before, after } = s;
  const named = asObj(a.discriminator).propertyName ?? asObj(b.discriminator).propertyName;
  const implicit = [...constProps(before, bu.branches)]
    .filter((p) => constProps(after, au.branches).has(p))
    .sort()[0];
  const prop = typeof named === 'string' ? named : implicit;
  const bb = new Map(branchesOf(before, b, bu.kind, bu.branches, prop).map((x) => [x.key, x]));
  const ab = new Map(branchesOf(after, a, au.kind, au.branches, prop).map((x) => [x.key, x]));
  const loc = at(s, path);
  const reads = s.dir === 'response';
  for (const key of sorted(new Set([...bb.keys(), ...ab.keys()]))) {
    const was = bb.get(key);
    const is = ab.get(key);
    if (was && is) {
      compareSchema(s, was.schema, is.schema, `${path}(${key})`, stack);
    } else if (is) {
      const why = reads ? 'clients must handle a new shape' : 'clients may now send it';
      const category = is.tagged ? 'enum-value-added' : typeCategory(s);
      s.say(category, reads, loc, `${au.kind} variant ${key} added (${flow(s.dir)}): ${why}`);
    } else if (was) {
      const why = reads ? 'the server no longer sends it' : 'clients sending it will be rejected';
      const category = was.tagged ? 'enum-value-removed' : typeCategory(s);
      s.say(category, !reads, loc, `${bu.kind} variant ${key} removed (${flow(s.dir)}): ${why}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Operations

interface Operation {
  label: string;
  item: Obj;
  op: Obj;
  webhook: boolean;
}

/** Operations keyed so that a renamed path parameter (`{id}` → `{documentId}`) still pairs them up. */
function operations(doc: Obj): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [path, raw] of Object.entries(asObj(doc.paths))) {
    const item = deref(doc, raw).node;
    for (const m of METHODS) {
      if (isObj(item[m])) {
        const label = `${m.toUpperCase()} ${path}`;
        out.set(`${m} ${path.replace(/\{[^}]*\}/g, '{}')}`, { label, item, op: item[m], webhook: false });
      }
    }
  }
  for (const [name, raw] of Object.entries(asObj(doc.webhooks))) {
    const item = deref(doc, raw).node;
    for (const m of METHODS) {
      if (isObj(item[m])) {
        const label = `${m.toUpperCase()} webhook:${name}`;
        out.set(`webhook ${m} ${name}`, { label, item, op: item[m], webhook: true });
      }
    }
  }
  return out;
}

interface Param {
  name: string;
  in: string;
  required: boolean;
  node: Obj;
}

// OpenAPI ignores these header parameters: they are set by content negotiation and security schemes.
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

function parameters(doc: Obj, o: Operation): Map<string, Param> {
  const out = new Map<string, Param>();
  // Operation-level parameters override path-level ones with the same name and location.
  for (const raw of [...asArr(o.item.parameters), ...asArr(o.op.parameters)]) {
    const node = deref(doc, raw).node;
    if (typeof node.name !== 'string' || typeof node.in !== 'string') continue;
    const name = node.in === 'header' ? node.name.toLowerCase() : node.name;
    if (node.in === 'header' && IGNORED_HEADERS.has(name)) continue;
    out.set(`${node.in} ${name}`, {
      name: node.name,
      in: node.in,
      required: node.in === 'path' || node.required === true,
      node,
    });
  }
  return out;
}

function paramSchema(p: Param): unknown {
  if (p.node.schema !== undefined) return p.node.schema;
  const first = Object.values(asObj(p.node.content))[0];
  return asObj(first).schema;
}

function serialization(p: Param): string {
  const style =
    typeof p.node.style === 'string'
      ? p.node.style
      : p.in === 'query' || p.in === 'cookie'
        ? 'form'
        : 'simple';
  const explode = typeof p.node.explode === 'boolean' ? p.node.explode : style === 'form';
  return `style ${style}, explode ${explode}`;
}

function compareParameters(ctx: Ctx, b: Operation, a: Operation, dir: Dir) {
  const bp = parameters(ctx.before, b);
  const ap = parameters(ctx.after, a);
  // Webhook parameters are sent by the server: for the receiving client the judgements flip.
  const sends = dir === 'request';
  for (const key of sorted(new Set([...bp.keys(), ...ap.keys()]))) {
    const was = bp.get(key);
    const is = ap.get(key);
    const p = (is ?? was) as Param;
    const loc = `${p.in} parameter ${p.name}`;
    const say = (category: Category, breaking: boolean, message: string) =>
      ctx.say(category, breaking, loc, message);
    if (!is) {
      say(
        'parameter-removed',
        true,
        sends
          ? 'parameter removed: clients that send it may be rejected and typed calls no longer compile'
          : 'parameter removed: clients relying on it no longer get it',
      );
    } else if (!was) {
      if (!is.required) say('parameter-added-optional', false, 'new optional parameter');
      else
        say(
          'parameter-added-required',
          sends,
          sends ? 'new required parameter: existing calls omit it' : 'new required parameter',
        );
    } else {
      if (!was.required && is.required) {
        say(
          'parameter-became-required',
          sends,
          sends ? 'parameter became required: existing calls may omit it' : 'parameter became required',
        );
      } else if (was.required && !is.required) {
        say(
          'parameter-became-optional',
          !sends,
          sends
            ? 'parameter became optional'
            : 'parameter became optional: clients must handle it being absent',
        );
      }
      if (serialization(was) !== serialization(is)) {
        say(
          'parameter-type-changed',
          true,
          `serialization changed from ${serialization(was)} to ${serialization(is)}`,
        );
      }
      const scope: Scope = { ...ctx, dir, role: 'parameter', where: loc };
      compareSchema(scope, paramSchema(was), paramSchema(is), '', new Set());
    }
  }
}

/** Media types keyed without parameters (`; charset=utf-8`), lower-cased. */
function media(content: unknown): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const [type, value] of Object.entries(asObj(content))) {
    out.set(type.split(';')[0]?.trim().toLowerCase() ?? type, asObj(value));
  }
  return out;
}

function compareContent(ctx: Ctx, dir: Dir, where: string, bContent: unknown, aContent: unknown) {
  const bm = media(bContent);
  const am = media(aContent);
  const body = where.startsWith('request') ? 'request' : 'response';
  for (const type of sorted(new Set([...bm.keys(), ...am.keys()]))) {
    const loc = `${where} ${type}`;
    const was = bm.get(type);
    const is = am.get(type);
    if (was && !is) {
      const why =
        body === 'request' ? 'clients sending it will be rejected' : 'clients expecting it will not get it';
      ctx.say('content-type-removed', true, loc, `${body} content type removed: ${why}`);
    } else if (is && !was) {
      ctx.say('content-type-added', false, loc, `${body} content type added`);
    } else if (was && is) {
      compareBodySchema(ctx, dir, loc, was.schema, is.schema);
    }
  }
}

function compareBodySchema(ctx: Ctx, dir: Dir, loc: string, b: unknown, a: unknown) {
  if (b === undefined && a === undefined) return;
  if (b === undefined) {
    // Going from "anything" to a declared shape: a reader only gains types, a writer must now conform.
    if (dir === 'response')
      ctx.say('response-property-added', false, loc, 'schema added (the body was undocumented)');
    else
      ctx.say(
        'request-property-type-changed',
        true,
        loc,
        'schema added (the body was undocumented): requests must now conform to it',
      );
    return;
  }
  if (a === undefined) {
    if (dir === 'response')
      ctx.say('response-property-removed', true, loc, 'schema removed: typed clients lose the body type');
    else ctx.say('request-property-type-changed', false, loc, 'schema removed: any body is accepted');
    return;
  }
  compareSchema({ ...ctx, dir, role: 'body', where: loc }, b, a, '', new Set());
}

function compareRequestBody(ctx: Ctx, b: Operation, a: Operation, dir: Dir) {
  const rb = b.op.requestBody === undefined ? undefined : deref(ctx.before, b.op.requestBody).node;
  const ra = a.op.requestBody === undefined ? undefined : deref(ctx.after, a.op.requestBody).node;
  const sends = dir === 'request';
  if (!rb && !ra) return;
  if (!rb && ra) {
    const required = ra.required === true;
    ctx.say(
      'request-body-changed',
      sends && required,
      'request body',
      `request body added (${required ? 'required' : 'optional'})`,
    );
  } else if (rb && !ra) {
    ctx.say(
      'request-body-changed',
      true,
      'request body',
      sends ? 'request body removed: clients sending one may be rejected' : 'request body removed',
    );
  } else if (rb && ra) {
    if (rb.required !== true && ra.required === true) {
      ctx.say('request-body-changed', sends, 'request body', 'request body became required');
    } else if (rb.required === true && ra.required !== true) {
      ctx.say('request-body-changed', !sends, 'request body', 'request body became optional');
    }
  }
  compareContent(ctx, dir, 'request body', rb?.content, ra?.content);
}

const isSuccess = (code: string) => code.startsWith('2');

function compareResponses(ctx: Ctx, b: Operation, a: Operation, dir: Dir) {
  const norm = (o: Obj) => new Map(Object.entries(asObj(o.responses)).map(([k, v]) => [k.toUpperCase(), v]));
  const br = norm(b.op);
  const ar = norm(a.op);
  const hadSuccess = [...br.keys()].some(isSuccess);
  for (const code of sorted(new Set([...br.keys(), ...ar.keys()]))) {
    const loc = `response ${code}`;
    if (!ar.has(code)) {
      if (isSuccess(code)) {
        ctx.say(
          'status-code-removed',
          true,
          loc,
          `success response ${code} removed: clients that handle it lose its body type`,
        );
      } else {
        ctx.say(
          'status-code-removed',
          false,
          loc,
          `error response ${code} no longer documented: existing error handling keeps working`,
        );
      }
    } else if (!br.has(code)) {
      const note =
        isSuccess(code) && hadSuccess ? ': a second success shape, check clients that assume one' : '';
      ctx.say('status-code-added', false, loc, `response ${code} added${note}`);
    } else {
      const rb = deref(ctx.before, br.get(code)).node;
      const ra = deref(ctx.after, ar.get(code)).node;
      // Responses flow the other way from requests: for a webhook the client writes them.
      compareContent(ctx, dir === 'request' ? 'response' : 'request', loc, rb.content, ra.content);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Security

const ANONYMOUS = 'anonymous';

/** Each alternative as `scheme[scope1,scope2] + other`; `{}` (or no requirement at all) is anonymous. */
function alternatives(reqs: unknown[]): Set<string> {
  if (reqs.length === 0) return new Set([ANONYMOUS]);
  const out = new Set<string>();
  for (const r of reqs) {
    const parts = Object.entries(asObj(r))
      .map(([name, scopes]) => {
        const s = asArr(scopes).map(String).sort();
        return s.length > 0 ? `${name}[${s.join(',')}]` : name;
      })
      .sort();
    out.add(parts.length > 0 ? parts.join(' + ') : ANONYMOUS);
  }
  return out;
}

function compareSecurity(ctx: Ctx, location: string, b: unknown[], a: unknown[]) {
  const was = alternatives(b);
  const is = alternatives(a);
  if (sorted(was).join('|') === sorted(is).join('|')) return;
  const lost = [...was].filter((x) => !is.has(x));
  // Breaking only when a way of authenticating that worked before is gone and nothing anonymous replaces it.
  const breaking = lost.length > 0 && !is.has(ANONYMOUS);
  const why = breaking
    ? 'requests authenticated the old way may be rejected'
    : is.has(ANONYMOUS)
      ? 'authentication is no longer required'
      : 'existing credentials keep working';
  ctx.say(
    'security-changed',
    breaking,
    location,
    `security changed from ${sorted(was).join(' or ')} to ${sorted(is).join(' or ')}: ${why}`,
  );
}

function compareSecuritySchemes(ctx: Ctx) {
  const schemes = (d: Obj) => asObj(asObj(d.components).securitySchemes);
  const bs = schemes(ctx.before);
  const as = schemes(ctx.after);
  for (const name of sorted(Object.keys(bs))) {
    if (!(name in as)) continue; // a scheme no longer defined shows up as changed requirements
    const { description: _b, ...was } = deref(ctx.before, bs[name]).node;
    const { description: _a, ...is } = deref(ctx.after, as[name]).node;
    if (stable(was) !== stable(is)) {
      ctx.say(
        'security-changed',
        true,
        `security scheme ${name}`,
        `scheme definition changed from ${stable(was)} to ${stable(is)}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Entry points

/** Every client-visible change from `before` to `after`, sorted. Pure: reads the documents, nothing else. */
export function diffSpecs(before: OpenApiDoc, after: OpenApiDoc): SpecChange[] {
  const out: SpecChange[] = [];
  const ctxFor = (operation?: string): Ctx => ({
    before,
    after,
    say: (category, breaking, location, message) =>
      out.push({ category, breaking, ...(operation === undefined ? {} : { operation }), location, message }),
  });
  const bo = operations(before);
  const ao = operations(after);
  const globalSecurity = (d: Obj) => asArr(d.security);

  for (const key of new Set([...bo.keys(), ...ao.keys()])) {
    const b = bo.get(key);
    const a = ao.get(key);
    if (!a || !b) {
      const o = (a ?? b) as Operation;
      const what = `${o.webhook ? 'webhook' : 'operation'} ${a ? 'added' : 'removed'}${opId(o)}`;
      ctxFor(o.label).say(a ? 'operation-added' : 'operation-removed', !a, o.label, what);
      continue;
    }
    const ctx = ctxFor(a.label);
    // A webhook's request is written by the server and read by the client.
    const dir: Dir = a.webhook ? 'response' : 'request';
    compareParameters(ctx, b, a, dir);
    compareRequestBody(ctx, b, a, dir);
    compareResponses(ctx, b, a, dir);
    // Document-wide security is compared once below; here only where an operation overrides it.
    if (!a.webhook && (Array.isArray(b.op.security) || Array.isArray(a.op.security))) {
      const eff = (o: Operation, d: Obj) =>
        Array.isArray(o.op.security) ? o.op.security : globalSecurity(d);
      compareSecurity(ctx, 'security', eff(b, before), eff(a, after));
    }
  }
  const doc = ctxFor();
  compareSecurity(doc, 'security (document-wide)', globalSecurity(before), globalSecurity(after));
  compareSecuritySchemes(doc);
  return sortChanges(dedupe(out));
}

const opId = (o: Operation) =>
  typeof o.op.operationId === 'string' ? ` (operationId ${o.op.operationId})` : '';

function dedupe(changes: SpecChange[]): SpecChange[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const k = stable(c);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const METHOD_ORDER = new Map<string, number>(METHODS.map((m, i) => [m.toUpperCase(), i]));

/** Orders operations by path, then method in the usual order; document-wide changes first. */
function operationKey(op: string | undefined): string {
  if (op === undefined) return '';
  const space = op.indexOf(' ');
  const method = op.slice(0, space);
  return `${op.slice(space + 1)}\u0000${String(METHOD_ORDER.get(method) ?? 9)}`;
}

const compareText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

function sortChanges(changes: SpecChange[]): SpecChange[] {
  return [...changes].sort(
    (x, y) =>
      compareText(operationKey(x.operation), operationKey(y.operation)) ||
      compareText(x.location, y.location) ||
      compareText(x.category, y.category) ||
      compareText(x.message, y.message),
  );
}

// Non-breaking changes that only take something away (a documented error, a value the server no longer
// sends) give clients nothing new to use: a patch. Anything else non-breaking adds capability: a minor.
const SUBTRACTIVE = new Set<Category>([
  'status-code-removed',
  'enum-value-removed',
  'response-property-type-changed',
]);

export function suggestBump(changes: readonly SpecChange[]): Bump {
  if (changes.some((c) => c.breaking)) return 'major';
  if (changes.some((c) => !SUBTRACTIVE.has(c.category))) return 'minor';
  return 'patch';
}

export interface ReportOptions {
  title: string;
  fromLabel: string;
  toLabel: string;
}

function section(changes: SpecChange[]): string[] {
  if (changes.length === 0) return ['_None._', ''];
  const groups = new Map<string, SpecChange[]>();
  for (const c of sortChanges(changes)) {
    const g = c.operation ?? 'Document-wide';
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  const lines: string[] = [];
  for (const [group, items] of groups) {
    lines.push(`### ${group}`, '');
    for (const c of items) lines.push(`- [${c.category}] ${c.location} — ${c.message}`);
    lines.push('');
  }
  return lines;
}

/** The markdown report: header, counts, suggested bump, then breaking and non-breaking changes by operation. */
export function formatReport(changes: readonly SpecChange[], opts: ReportOptions): string {
  const breaking = changes.filter((c) => c.breaking);
  const safe = changes.filter((c) => !c.breaking);
  const lines = [
    `# ${opts.title}`,
    '',
    `Comparing \`${opts.fromLabel}\` → \`${opts.toLabel}\`.`,
    '',
    changes.length === 0
      ? 'No client-visible changes.'
      : `${changes.length} change(s): ${breaking.length} breaking, ${safe.length} non-breaking.`,
    '',
    `Suggested version bump: **${suggestBump(changes)}**`,
    '',
    `## Breaking (${breaking.length})`,
    '',
    ...section(breaking),
    `## Non-breaking (${safe.length})`,
    '',
    ...section(safe),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
