// Compares two JSON Schemas (a parameter, a body, a header) by what the change does to a client.
//
// Direction matters: a change is judged by whether the client writes the value (parameters, request bodies,
// webhook responses) or reads it (responses, webhook payloads). Widening what the client may send is safe,
// widening what it receives is not (typed clients switch exhaustively), and vice versa for narrowing.
//
// Every change is said at a Path that knows the innermost named schema it happened in, so a change in a
// shared schema can be reported once. A named pair of schemas compared once is remembered (with the changes
// found, relative to it) and replayed at its next use: a large document with shared schemas stays fast.
import {
  asArr,
  asObj,
  type Category,
  isObj,
  type Level,
  type Obj,
  sorted,
  stable,
} from './spec-diff-model.js';
import {
  deref,
  enumValues,
  fmtTypes,
  MAX_DEPTH,
  originOf,
  overlaps,
  type Resolved,
  refName,
  resolveSchema,
  sameTypes,
  typeSet,
  type Union,
  unionOf,
  within,
} from './spec-diff-resolve.js';

/** Who produces the value: the client ('request') or the server ('response'). */
export type Dir = 'request' | 'response';

/**
 * Where inside a schema: `full` from the place the walk started (`.documents[].status`), and `rel` from the
 * innermost named schema `frame` (`DocumentStatus`, `''`). Segments: `.name`, `[]` (items), `{}`
 * (additionalProperties), `(variant)`.
 */
export interface Path {
  full: string;
  frame?: string;
  rel: string;
}

export const ROOT: Path = { full: '', rel: '' };

export type Say = (category: Category, level: Level, path: Path, message: string) => void;

interface Recorded {
  category: Category;
  level: Level;
  suffix: string;
  frame?: string;
  rel: string;
  message: string;
}

/** The two documents, which way the data flows, and where to report. */
export interface Scope {
  before: Obj;
  after: Obj;
  dir: Dir;
  /** Parameters report type changes as `parameter-type-changed` at any depth. */
  role: 'parameter' | 'body';
  say: Say;
  /** Changes found per named pair of schemas (see the header); shared by one whole diff. */
  memo: Map<string, Recorded[]>;
  /** Incremented whenever a recursive schema cuts the walk short: such a result depends on the path. */
  cuts: { n: number };
}

/** `.documents[].status` → `documents[].status`. */
export const renderPath = (p: string) => (p.startsWith('.') ? p.slice(1) : p);

const step = (p: Path, segment: string): Path => ({
  full: p.full + segment,
  frame: p.frame,
  rel: p.rel + segment,
});

const send = (s: Scope) => s.dir === 'request';
const level = (breaking: boolean): Level => (breaking ? 'breaking' : 'non-breaking');
const isPureRef = (v: unknown) => isObj(v) && typeof v.$ref === 'string' && Object.keys(v).length === 1;

export function typeCategory(s: Scope): Category {
  if (s.role === 'parameter') return 'parameter-type-changed';
  return send(s) ? 'request-property-type-changed' : 'response-property-type-changed';
}

export function compareSchema(
  s: Scope,
  bRaw: unknown,
  aRaw: unknown,
  path: Path,
  stack: ReadonlySet<string> = new Set(),
): void {
  // A pair of plain $refs compared before (in this direction and role) is replayed without resolving again.
  const pure = isPureRef(bRaw) && isPureRef(aRaw);
  const memoKey = pure
    ? `${s.dir}|${s.role}|${path.full === '' ? 'top' : 'inner'}|${(bRaw as Obj).$ref}|${(aRaw as Obj).$ref}`
    : undefined;
  const hit = memoKey === undefined ? undefined : s.memo.get(memoKey);
  if (hit) {
    for (const r of hit) s.say(r.category, r.level, { ...r, full: path.full + r.suffix }, r.message);
    return;
  }
  const rb = resolveSchema(s.before, bRaw);
  const ra = resolveSchema(s.after, aRaw);
  if (rb.missing || ra.missing) return; // reported once as a problem of the document, not at every use
  // Recursive schemas: stop when this pair of $refs is already being compared further up.
  const key = rb.ref || ra.ref ? `${rb.ref ?? ''}|${ra.ref ?? ''}` : undefined;
  if ((key && stack.has(key)) || stack.size > MAX_DEPTH) {
    s.cuts.n++;
    return;
  }
  const named = ra.ref ?? rb.ref;
  const here: Path = named ? { full: path.full, frame: refName(named), rel: '' } : path;
  const inner = key ? new Set([...stack, key]) : stack;
  if (memoKey === undefined) {
    walk(s, rb, ra, here, inner);
    return;
  }
  const recorded: Recorded[] = [];
  const cuts = s.cuts.n;
  const recording: Scope = {
    ...s,
    say: (category, lvl, p, message) => {
      const suffix = p.full.slice(path.full.length);
      recorded.push({ category, level: lvl, suffix, frame: p.frame, rel: p.rel, message });
      s.say(category, lvl, p, message);
    },
  };
  walk(recording, rb, ra, here, inner);
  if (s.cuts.n === cuts) s.memo.set(memoKey, recorded);
}

function walk(s: Scope, rb: Resolved, ra: Resolved, path: Path, stack: ReadonlySet<string>) {
  const { before, after } = s;
  const b = rb.node;
  const a = ra.node;

  // A $ref we cannot follow (another file): all we can tell is whether it points elsewhere now.
  if (typeof b.$ref === 'string' || typeof a.$ref === 'string') {
    if (b.$ref !== a.$ref) {
      s.say(
        typeCategory(s),
        'breaking',
        path,
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
    const safe = send(s) ? within(bt, ut) : within(ut, bt);
    const why = safe
      ? send(s)
        ? 'widened; what clients send today stays valid'
        : 'narrowed; every value clients handle today stays possible'
      : send(s)
        ? 'values clients send today may be rejected'
        : 'clients may receive values their types do not allow';
    s.say(
      typeCategory(s),
      level(!safe),
      path,
      `type changed from ${fmtTypes(bt)} to ${fmtTypes(ut)}: ${why}`,
    );
  }
  if (!overlaps(bt, ut)) return; // a different kind of value altogether: its insides do not compare

  compareDeprecated(s, b, a, path);
  compareEnums(s, b, a, path);
  compareConstraints(s, b, a, path);
  compareFormat(s, b, a, path);
  compareDefault(s, b, a, path);
  if (bu && au) {
    compareUnions(s, b, a, bu, au, path, stack);
  } else if (bu || au) {
    // An object split into variants (or variants folded into one). Scalar unions are covered by the types.
    if (!(bu ? objectish(bt) : objectish(ut))) return;
    if (oneVariantMatches(s, b, a, path, stack)) return;
    // No variant stands for the other side: compare the plain side with each variant.
    if (bu)
      for (const x of variants(before, b, bu)) compareSchema(s, x.schema, a, step(path, `(${x.key})`), stack);
    if (au)
      for (const x of variants(after, a, au)) compareSchema(s, b, x.schema, step(path, `(${x.key})`), stack);
    return;
  }

  if (isObj(b.properties) || isObj(a.properties)) compareProperties(s, b, a, path, stack);
  if (b.items !== undefined && a.items !== undefined && !Array.isArray(b.items) && !Array.isArray(a.items)) {
    compareSchema(s, b.items, a.items, step(path, '[]'), stack);
  }
  if (isObj(b.additionalProperties) && isObj(a.additionalProperties)) {
    compareSchema(s, b.additionalProperties, a.additionalProperties, step(path, '{}'), stack);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Keywords

function compareDeprecated(s: Scope, b: Obj, a: Obj, path: Path) {
  const was = b.deprecated === true;
  const is = a.deprecated === true;
  if (was === is) return;
  const category =
    s.role === 'parameter' && path.full === '' ? 'parameter-deprecated' : 'property-deprecated';
  s.say(category, 'notice', path, is ? 'deprecated: plan to stop relying on it' : 'no longer deprecated');
}

const fmtValues = (vs: unknown[]) => vs.map((v) => (typeof v === 'string' ? `'${v}'` : stable(v))).join(', ');

function compareEnums(s: Scope, b: Obj, a: Obj, path: Path) {
  const be = enumValues(b);
  const ae = enumValues(a);
  if (!be && !ae) return;
  const reads = !send(s);
  if (be && !ae) {
    const why = reads
      ? 'typed clients that switch exhaustively must handle any value'
      : 'clients may send any value';
    s.say('enum-value-added', level(reads), path, `enum restriction removed (was ${fmtValues(be)}): ${why}`);
    return;
  }
  if (!be && ae) {
    const why = reads
      ? 'the server now sends fewer values'
      : 'other values clients send today will be rejected';
    s.say('enum-value-removed', level(!reads), path, `values now restricted to ${fmtValues(ae)}: ${why}`);
    return;
  }
  const bk = new Map((be ?? []).map((v) => [stable(v), v]));
  const ak = new Map((ae ?? []).map((v) => [stable(v), v]));
  const added = [...ak].filter(([k]) => !bk.has(k)).map(([, v]) => v);
  const removed = [...bk].filter(([k]) => !ak.has(k)).map(([, v]) => v);
  if (added.length > 0) {
    const why = reads ? 'typed clients that switch exhaustively must handle it' : 'clients may now send it';
    s.say('enum-value-added', level(reads), path, `enum value ${fmtValues(added)} added: ${why}`);
  }
  if (removed.length > 0) {
    const why = reads ? 'the server no longer sends it' : 'clients sending it will be rejected';
    s.say('enum-value-removed', level(!reads), path, `enum value ${fmtValues(removed)} removed: ${why}`);
  }
}

interface Bound {
  value: number;
  exclusive: boolean;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The upper (or lower) bound of a number, from 3.1's numeric or 3.0's boolean `exclusiveMaximum`. */
function bound(s: Obj, side: 'upper' | 'lower'): Bound | undefined {
  const inclusive = num(side === 'upper' ? s.maximum : s.minimum);
  const exclusive = side === 'upper' ? s.exclusiveMaximum : s.exclusiveMinimum;
  const ex = num(exclusive);
  if (
    ex !== undefined &&
    (inclusive === undefined || (side === 'upper' ? ex <= inclusive : ex >= inclusive))
  ) {
    return { value: ex, exclusive: true };
  }
  return inclusive === undefined ? undefined : { value: inclusive, exclusive: exclusive === true };
}

type Move = 'tightened' | 'loosened' | 'changed';

/** Does the allowed range shrink (tightened) or grow (loosened) when bound `b` becomes `a`? */
function moveOf(b: Bound | undefined, a: Bound | undefined, side: 'upper' | 'lower'): Move | undefined {
  if (!b && !a) return undefined;
  if (!b) return 'tightened';
  if (!a) return 'loosened';
  if (b.value === a.value && b.exclusive === a.exclusive) return undefined;
  const lower = side === 'upper' ? a.value < b.value : a.value > b.value;
  if (lower || (a.value === b.value && a.exclusive)) return 'tightened';
  return 'loosened';
}

const fmtBound = (x: Bound | undefined, side: 'upper' | 'lower') =>
  x === undefined
    ? 'none'
    : `${side === 'upper' ? (x.exclusive ? '<' : '≤') : x.exclusive ? '>' : '≥'} ${x.value}`;

function sayMove(s: Scope, path: Path, move: Move, what: string) {
  if (move === 'changed') {
    const why = send(s)
      ? 'some values clients send today may be rejected'
      : 'clients that validate responses may reject new values';
    s.say('constraint-changed', 'potentially-breaking', path, `${what}: ${why}`);
  } else if (move === 'tightened') {
    const why = send(s) ? 'values clients send today may be rejected' : 'the server sends a narrower range';
    s.say('constraint-tightened', level(send(s)), path, `${what}: ${why}`);
  } else {
    const why = send(s)
      ? 'clients may send more'
      : 'clients that validate responses against the old limit may reject new values';
    s.say('constraint-loosened', send(s) ? 'non-breaking' : 'potentially-breaking', path, `${what}: ${why}`);
  }
}

const LENGTHS = [
  ['maxLength', 'upper'],
  ['minLength', 'lower'],
  ['maxItems', 'upper'],
  ['minItems', 'lower'],
  ['maxProperties', 'upper'],
  ['minProperties', 'lower'],
] as const;

function compareConstraints(s: Scope, b: Obj, a: Obj, path: Path) {
  for (const side of ['upper', 'lower'] as const) {
    const bb = bound(b, side);
    const ab = bound(a, side);
    const move = moveOf(bb, ab, side);
    const name = side === 'upper' ? 'maximum' : 'minimum';
    if (move) sayMove(s, path, move, `${name} ${move}: ${fmtBound(bb, side)} → ${fmtBound(ab, side)}`);
  }
  for (const [keyword, side] of LENGTHS) {
    const bv = num(b[keyword]);
    const av = num(a[keyword]);
    const move = moveOf(
      bv === undefined ? undefined : { value: bv, exclusive: false },
      av === undefined ? undefined : { value: av, exclusive: false },
      side,
    );
    if (move) sayMove(s, path, move, `${keyword} ${move}: ${bv ?? 'none'} → ${av ?? 'none'}`);
  }
  const bm = num(b.multipleOf);
  const am = num(a.multipleOf);
  if (bm !== am) {
    const move: Move =
      bm === undefined
        ? 'tightened'
        : am === undefined
          ? 'loosened'
          : Number.isInteger(am / bm)
            ? 'tightened'
            : Number.isInteger(bm / am)
              ? 'loosened'
              : 'changed';
    sayMove(s, path, move, `multipleOf ${move}: ${bm ?? 'none'} → ${am ?? 'none'}`);
  }
  if (b.pattern !== a.pattern) {
    const move: Move =
      b.pattern === undefined ? 'tightened' : a.pattern === undefined ? 'loosened' : 'changed';
    const was = b.pattern === undefined ? 'none' : `/${String(b.pattern)}/`;
    const is = a.pattern === undefined ? 'none' : `/${String(a.pattern)}/`;
    sayMove(s, path, move, `pattern ${move === 'changed' ? 'replaced' : move}: ${was} → ${is}`);
  }
  if ((b.uniqueItems === true) !== (a.uniqueItems === true)) {
    const move: Move = a.uniqueItems === true ? 'tightened' : 'loosened';
    sayMove(s, path, move, `uniqueItems ${a.uniqueItems === true ? 'added' : 'removed'}`);
  }
}

function compareFormat(s: Scope, b: Obj, a: Obj, path: Path) {
  if (b.format === a.format) return;
  const was = b.format === undefined ? 'none' : String(b.format);
  const is = a.format === undefined ? 'none' : String(a.format);
  const what = `format changed from ${was} to ${is}`;
  if (send(s)) {
    if (a.format === undefined)
      s.say('format-changed', 'non-breaking', path, `${what}: clients may send any string`);
    else
      s.say(
        'format-changed',
        'potentially-breaking',
        path,
        `${what}: the server may reject values clients send today`,
      );
  } else if (b.format === undefined) {
    s.say('format-changed', 'non-breaking', path, `${what}: values are now documented as ${is}`);
  } else {
    s.say(
      'format-changed',
      'potentially-breaking',
      path,
      `${what}: clients that parse values as ${was} may fail`,
    );
  }
}

/** A default matters to the writer only: it is what the server assumes when the client leaves a value out. */
function compareDefault(s: Scope, b: Obj, a: Obj, path: Path) {
  if (!send(s)) return;
  const had = 'default' in b;
  const has = 'default' in a;
  if (!had && !has) return;
  if (had && has && stable(b.default) === stable(a.default)) return;
  if (!had) {
    s.say('default-changed', 'notice', path, `default documented as ${stable(a.default)}`);
  } else if (!has) {
    s.say(
      'default-changed',
      'potentially-breaking',
      path,
      `default ${stable(b.default)} no longer documented: what the server assumes when it is omitted may change`,
    );
  } else {
    s.say(
      'default-changed',
      'potentially-breaking',
      path,
      `default changed from ${stable(b.default)} to ${stable(a.default)}: clients that omit it get the new value`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Objects

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

function compareProperties(s: Scope, b: Obj, a: Obj, path: Path, stack: ReadonlySet<string>) {
  const bp = visibleProps(s.before, b, s.dir);
  const ap = visibleProps(s.after, a, s.dir);
  const breq = new Set(asArr(b.required));
  const areq = new Set(asArr(a.required));
  for (const name of sorted(new Set([...bp.keys(), ...ap.keys()]))) {
    // An inherited property (allOf) belongs to the schema that declares it: that is where it changed.
    const origin = ap.has(name) ? originOf(a, name) : originOf(b, name);
    const p: Path = origin
      ? { full: `${path.full}.${name}`, frame: origin, rel: `.${name}` }
      : step(path, `.${name}`);
    const say = (category: Category, breaking: boolean, message: string) =>
      s.say(category, level(breaking), p, message);
    const was = bp.has(name) ? breq.has(name) : undefined; // undefined: absent, else whether required
    const is = ap.has(name) ? areq.has(name) : undefined;
    if (send(s)) {
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

// ---------------------------------------------------------------------------------------------------------
// Unions

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
function variants(doc: Obj, s: Obj, u: Union): Branch[] {
  const { oneOf: _o, anyOf: _a, discriminator: _d, ...shared } = s;
  const named = asObj(s.discriminator).propertyName;
  const prop = typeof named === 'string' ? named : sorted(constProps(doc, u.branches))[0];
  return branchesOf(doc, s, u.kind, u.branches, prop).map((x) => ({
    ...x,
    schema: { allOf: [shared, x.schema] },
  }));
}

/**
 * A plain schema on one side, a union on the other: when one variant stands for the plain schema (comparing
 * them finds nothing that breaks), the change is only the other variants coming or going, said in one line.
 * A request body that becomes `oneOf: [old, new]` still accepts every request sent today.
 */
function oneVariantMatches(s: Scope, b: Obj, a: Obj, path: Path, stack: ReadonlySet<string>): boolean {
  const bu = unionOf(b);
  const u = (bu ?? unionOf(a)) as Union;
  const all = bu ? variants(s.before, b, u) : variants(s.after, a, u);
  const pair = (x: Branch): [unknown, unknown] => (bu ? [x.schema, a] : [b, x.schema]);
  const match = all.find((x) => {
    let harmless = true;
    const trial: Scope = {
      ...s,
      say: (_c, lvl) => {
        if (lvl === 'breaking' || lvl === 'potentially-breaking') harmless = false;
      },
    };
    compareSchema(trial, ...pair(x), path, stack);
    return harmless;
  });
  if (!match) return false;
  const others = all.filter((x) => x !== match).map((x) => x.key);
  const list = others.length > 0 ? others.join(', ') : 'none';
  if (send(s) && !bu) {
    s.say(
      typeCategory(s),
      'non-breaking',
      path,
      `became a ${u.kind}; variant ${match.key} matches the previous shape, so what clients send today stays valid (new: ${list})`,
    );
  } else if (!send(s) && bu) {
    s.say(
      typeCategory(s),
      'non-breaking',
      path,
      `${u.kind} reduced to its variant ${match.key}: the server no longer sends ${list}`,
    );
  } else if (send(s)) {
    s.say(
      typeCategory(s),
      'breaking',
      path,
      `${u.kind} reduced to its variant ${match.key}: clients sending ${list} will be rejected`,
    );
  } else {
    s.say(
      typeCategory(s),
      'breaking',
      path,
      `became a ${u.kind}: besides the previous shape (variant ${match.key}), clients may receive ${list}`,
    );
  }
  // The matching variant's own, harmless, differences (a new optional property...).
  compareSchema(s, ...pair(match), step(path, `(${match.key})`), stack);
  return true;
}

function compareUnions(
  s: Scope,
  b: Obj,
  a: Obj,
  bu: Union,
  au: Union,
  path: Path,
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
  const reads = !send(s);
  for (const key of sorted(new Set([...bb.keys(), ...ab.keys()]))) {
    const was = bb.get(key);
    const is = ab.get(key);
    if (was && is) {
      compareSchema(s, was.schema, is.schema, step(path, `(${key})`), stack);
    } else if (is) {
      const why = reads ? 'clients must handle a new shape' : 'clients may now send it';
      const category = is.tagged ? 'enum-value-added' : typeCategory(s);
      s.say(category, level(reads), path, `${au.kind} variant ${key} added: ${why}`);
    } else if (was) {
      const why = reads ? 'the server no longer sends it' : 'clients sending it will be rejected';
      const category = was.tagged ? 'enum-value-removed' : typeCategory(s);
      s.say(category, level(!reads), path, `${bu.kind} variant ${key} removed: ${why}`);
    }
  }
}
