// Classifies the changes between two OpenAPI 3.x documents by what they do to a CLIENT of the API, for the
// `npm run spec:update` and `npm run spec:diff` reports. No maintained JS tool diffs OpenAPI 3.1 (type
// arrays, `const`), hence this. This module walks operations, parameters, bodies, responses, security and
// servers; schemas are compared in spec-diff-schema.ts, the reports written by spec-diff-report.ts.
import {
  asArr,
  asObj,
  type Category,
  compareText,
  type Direction,
  isObj,
  type Level,
  METHODS,
  type Obj,
  type OpenApiDoc,
  operationKey,
  type Place,
  type SpecChange,
  type SpecDiff,
  sortChanges,
  sorted,
  stable,
} from './spec-diff-model.js';
import { documentProblems } from './spec-diff-problems.js';
import { deref, refName } from './spec-diff-resolve.js';
import { compareSchema, type Dir, ROOT, renderPath, type Scope } from './spec-diff-schema.js';

export * from './spec-diff-model.js';
export { formatReport, type ReportOptions, reportJson, suggestBump } from './spec-diff-report.js';

/** A change as found, at one place; `schema`/`rel` say which named schema it happened in. */
type Found = Omit<SpecChange, 'usedBy'> & { rel?: string };

/** The two documents and where to report (bound to one operation, or to the whole document). */
interface Ctx {
  before: Obj;
  after: Obj;
  operation?: string;
  push: (f: Found) => void;
  memo: Scope['memo'];
  cuts: Scope['cuts'];
}

const directionOf = (dir: Dir): Direction => (dir === 'request' ? 'sends' : 'receives');
const lvl = (breaking: boolean): Level => (breaking ? 'breaking' : 'non-breaking');

function say(ctx: Ctx, dir: Dir, category: Category, level: Level, location: string, message: string) {
  ctx.push({ category, level, direction: directionOf(dir), operation: ctx.operation, location, message });
}

/** A schema comparison reporting into `ctx`, its locations prefixed with `where`. */
function schemaScope(ctx: Ctx, dir: Dir, role: Scope['role'], where: string): Scope {
  return {
    before: ctx.before,
    after: ctx.after,
    dir,
    role,
    memo: ctx.memo,
    cuts: ctx.cuts,
    say: (category, level, path, message) => {
      const inside = renderPath(path.full);
      ctx.push({
        category,
        level,
        direction: directionOf(dir),
        operation: ctx.operation,
        location: inside ? `${where}: ${inside}` : where,
        message,
        schema: path.frame,
        rel: path.rel,
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Operations

interface Operation {
  label: string;
  /** The path template (`/documents/{id}`), or the webhook's name. */
  path: string;
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
        out.set(`${m} ${path.replace(/\{[^}]*\}/g, '{}')}`, {
          label,
          path,
          item,
          op: item[m],
          webhook: false,
        });
      }
    }
  }
  for (const [name, raw] of Object.entries(asObj(doc.webhooks))) {
    const item = deref(doc, raw).node;
    for (const m of METHODS) {
      if (isObj(item[m])) {
        const label = `${m.toUpperCase()} webhook:${name}`;
        out.set(`webhook ${m} ${name}`, { label, path: name, item, op: item[m], webhook: true });
      }
    }
  }
  return out;
}

const opId = (o: Operation) =>
  typeof o.op.operationId === 'string' ? ` (operationId ${o.op.operationId})` : '';

// ---------------------------------------------------------------------------------------------------------
// Parameters

interface Param {
  name: string;
  in: string;
  required: boolean;
  node: Obj;
  /** For a path parameter renamed in the template: its previous name. */
  renamedFrom?: string;
}

// OpenAPI ignores these header parameters: they are set by content negotiation and security schemes.
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** The operation's parameters; `unreadable` counts `$ref`s to nothing (reported as document problems). */
function parameters(doc: Obj, o: Operation): { params: Map<string, Param>; unreadable: number } {
  const out = new Map<string, Param>();
  let unreadable = 0;
  // Operation-level parameters override path-level ones with the same name and location.
  for (const raw of [...asArr(o.item.parameters), ...asArr(o.op.parameters)]) {
    const { node, missing } = deref(doc, raw);
    if (missing) unreadable++;
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
  return { params: out, unreadable };
}

const templateNames = (path: string) => [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] as string);

/**
 * Path parameters renamed in place (`/documents/{id}` → `/documents/{documentId}`): the value still goes in
 * the same place in the URL, so the old parameter is keyed under its new name and compared with it.
 */
function followRenames(b: Operation, a: Operation, bp: Map<string, Param>, ap: Map<string, Param>) {
  if (b.webhook) return bp;
  const was = templateNames(b.path);
  const is = templateNames(a.path);
  const out = new Map(bp);
  was.forEach((old, i) => {
    const now = is[i];
    const param = bp.get(`path ${old}`);
    if (now === undefined || now === old || !param || ap.has(`path ${old}`) || !ap.has(`path ${now}`)) return;
    out.delete(`path ${old}`);
    out.set(`path ${now}`, { ...param, renamedFrom: old });
  });
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
  const { params: ap, unreadable: aUnreadable } = parameters(ctx.after, a);
  const { params: bParams, unreadable: bUnreadable } = parameters(ctx.before, b);
  const bp = followRenames(b, a, bParams, ap);
  // Webhook parameters are sent by the server: for the receiving client the judgements flip.
  const sends = dir === 'request';
  for (const key of sorted(new Set([...bp.keys(), ...ap.keys()]))) {
    const was = bp.get(key);
    const is = ap.get(key);
    const p = (is ?? was) as Param;
    const loc = `${p.in} parameter ${p.name}`;
    const tell = (category: Category, level: Level, message: string) =>
      say(ctx, dir, category, level, loc, message);
    // A parameter we cannot read on the other side may be this one: the broken $ref is reported instead.
    if ((!is && aUnreadable > 0) || (!was && bUnreadable > 0)) continue;
    if (!is) {
      tell(
        'parameter-removed',
        'breaking',
        sends
          ? 'parameter removed: clients that send it may be rejected and typed calls no longer compile'
          : 'parameter removed: clients relying on it no longer get it',
      );
      continue;
    }
    if (!was) {
      if (!is.required) tell('parameter-added-optional', 'non-breaking', 'new optional parameter');
      else
        tell(
          'parameter-added-required',
          lvl(sends),
          sends ? 'new required parameter: existing calls omit it' : 'new required parameter',
        );
      continue;
    }
    if (was.renamedFrom !== undefined) {
      tell(
        'parameter-renamed',
        'notice',
        `renamed from ${was.renamedFrom}: nothing changes on the wire (the value goes in the same place in the URL); only the parameter's name in the generated types changes`,
      );
    }
    if (!was.required && is.required) {
      tell(
        'parameter-became-required',
        lvl(sends),
        sends ? 'parameter became required: existing calls may omit it' : 'parameter became required',
      );
    } else if (was.required && !is.required) {
      tell(
        'parameter-became-optional',
        lvl(!sends),
        sends
          ? 'parameter became optional'
          : 'parameter became optional: clients must handle it being absent',
      );
    }
    if ((was.node.deprecated === true) !== (is.node.deprecated === true)) {
      tell(
        'parameter-deprecated',
        'notice',
        is.node.deprecated === true ? 'deprecated: plan to stop relying on it' : 'no longer deprecated',
      );
    }
    if (serialization(was) !== serialization(is)) {
      tell(
        'parameter-type-changed',
        'breaking',
        `serialization changed from ${serialization(was)} to ${serialization(is)}`,
      );
    }
    compareSchema(schemaScope(ctx, dir, 'parameter', loc), paramSchema(was), paramSchema(is), ROOT);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Bodies and responses

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
      say(ctx, dir, 'content-type-removed', 'breaking', loc, `${body} content type removed: ${why}`);
    } else if (is && !was) {
      say(ctx, dir, 'content-type-added', 'non-breaking', loc, `${body} content type added`);
    } else if (was && is) {
      compareBodySchema(ctx, dir, loc, was.schema, is.schema);
    }
  }
}

function compareBodySchema(ctx: Ctx, dir: Dir, loc: string, b: unknown, a: unknown) {
  if (b === undefined && a === undefined) return;
  const reads = dir === 'response';
  if (b === undefined) {
    // Going from "anything" to a declared shape: a reader only gains types, a writer must now conform.
    if (reads)
      say(
        ctx,
        dir,
        'response-property-added',
        'non-breaking',
        loc,
        'schema added (the body was undocumented)',
      );
    else
      say(
        ctx,
        dir,
        'request-property-type-changed',
        'breaking',
        loc,
        'schema added (the body was undocumented): requests must now conform to it',
      );
    return;
  }
  if (a === undefined) {
    if (reads)
      say(
        ctx,
        dir,
        'response-property-removed',
        'breaking',
        loc,
        'schema removed: typed clients lose the body type',
      );
    else
      say(
        ctx,
        dir,
        'request-property-type-changed',
        'non-breaking',
        loc,
        'schema removed: any body is accepted',
      );
    return;
  }
  compareSchema(schemaScope(ctx, dir, 'body', loc), b, a, ROOT);
}

function compareRequestBody(ctx: Ctx, b: Operation, a: Operation, dir: Dir) {
  const rb = b.op.requestBody === undefined ? undefined : deref(ctx.before, b.op.requestBody).node;
  const ra = a.op.requestBody === undefined ? undefined : deref(ctx.after, a.op.requestBody).node;
  const sends = dir === 'request';
  if (!rb && !ra) return;
  const tell = (level: Level, message: string) =>
    say(ctx, dir, 'request-body-changed', level, 'request body', message);
  if (!rb && ra) {
    const required = ra.required === true;
    tell(lvl(sends && required), `request body added (${required ? 'required' : 'optional'})`);
  } else if (rb && !ra) {
    tell(
      'breaking',
      sends ? 'request body removed: clients sending one may be rejected' : 'request body removed',
    );
  } else if (rb && ra) {
    if (rb.required !== true && ra.required === true) tell(lvl(sends), 'request body became required');
    else if (rb.required === true && ra.required !== true) tell(lvl(!sends), 'request body became optional');
  }
  compareContent(ctx, dir, 'request body', rb?.content, ra?.content);
}

const isSuccess = (code: string) => code.startsWith('2');

/** Response headers by lower-cased name (Content-Type is described by `content`, so it is left out). */
function headers(doc: Obj, response: Obj): Map<string, { name: string; node: Obj; ref?: string }> {
  const out = new Map<string, { name: string; node: Obj; ref?: string }>();
  for (const [name, raw] of Object.entries(asObj(response.headers))) {
    const key = name.toLowerCase();
    if (key !== 'content-type') out.set(key, { name, ...deref(doc, raw) });
  }
  return out;
}

function compareHeaders(ctx: Ctx, dir: Dir, code: string, rb: Obj, ra: Obj) {
  const bh = headers(ctx.before, rb);
  const ah = headers(ctx.after, ra);
  const reads = dir === 'response';
  for (const key of sorted(new Set([...bh.keys(), ...ah.keys()]))) {
    const was = bh.get(key);
    const is = ah.get(key);
    const loc = `response ${code} header ${(is ?? was)?.name}`;
    if (!is) {
      const sdk = key === 'retry-after' ? ' (the SDK honours Retry-After when it waits and retries)' : '';
      say(
        ctx,
        dir,
        'response-header-removed',
        lvl(reads),
        loc,
        reads
          ? `header no longer documented: clients that read it get nothing${sdk}`
          : 'header no longer needed',
      );
    } else if (!was) {
      const needed = !reads && is.node.required === true;
      say(
        ctx,
        dir,
        'response-header-added',
        lvl(needed),
        loc,
        needed ? 'new required header: clients must now send it' : 'header added',
      );
    } else {
      const schema = (h: Obj) => h.schema ?? asObj(Object.values(asObj(h.content))[0]).schema;
      // A shared header (components/headers) is, like a shared schema, reported once for all its uses.
      const ref = is.ref ?? was.ref;
      const path = ref ? { ...ROOT, frame: `header ${refName(ref)}` } : ROOT;
      compareSchema(schemaScope(ctx, dir, 'body', loc), schema(was.node), schema(is.node), path);
    }
  }
}

function compareResponses(ctx: Ctx, b: Operation, a: Operation, dir: Dir) {
  const norm = (o: Obj) => new Map(Object.entries(asObj(o.responses)).map(([k, v]) => [k.toUpperCase(), v]));
  const br = norm(b.op);
  const ar = norm(a.op);
  // Responses flow the other way from requests: for a webhook the client writes them.
  const rdir: Dir = dir === 'request' ? 'response' : 'request';
  const hadSuccess = [...br.keys()].some(isSuccess);
  for (const code of sorted(new Set([...br.keys(), ...ar.keys()]))) {
    const loc = `response ${code}`;
    if (!ar.has(code)) {
      if (isSuccess(code)) {
        say(
          ctx,
          rdir,
          'status-code-removed',
          'breaking',
          loc,
          `success response ${code} removed: clients that handle it lose its body type`,
        );
      } else {
        say(
          ctx,
          rdir,
          'status-code-removed',
          'non-breaking',
          loc,
          `error response ${code} no longer documented: existing error handling keeps working`,
        );
      }
    } else if (!br.has(code)) {
      const note =
        isSuccess(code) && hadSuccess ? ': a second success shape, check clients that assume one' : '';
      say(ctx, rdir, 'status-code-added', 'non-breaking', loc, `response ${code} added${note}`);
    } else {
      const rb = deref(ctx.before, br.get(code)).node;
      const ra = deref(ctx.after, ar.get(code)).node;
      compareHeaders(ctx, rdir, code, rb, ra);
      compareContent(ctx, rdir, loc, rb.content, ra.content);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Security and servers

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
  say(
    ctx,
    'request',
    'security-changed',
    lvl(breaking),
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
      say(
        ctx,
        'request',
        'security-changed',
        'breaking',
        `security scheme ${name}`,
        `scheme definition changed from ${stable(was)} to ${stable(is)}`,
      );
    }
  }
}

/** Server URLs with their variables at their defaults; no servers means `/` (OpenAPI's own default). */
function serverUrls(servers: unknown): string[] {
  const urls = asArr(servers).map((raw) => {
    const s = asObj(raw);
    const vars = asObj(s.variables);
    return String(s.url ?? '').replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const value = asObj(vars[name]).default;
      return typeof value === 'string' ? value : whole;
    });
  });
  return urls.length > 0 ? urls : ['/'];
}

function compareServers(ctx: Ctx, location: string, b: string[], a: string[]) {
  const tell = (level: Level, message: string) =>
    say(ctx, 'request', 'servers-changed', level, location, message);
  if (b[0] !== a[0]) {
    tell(
      'breaking',
      `default server moved from ${b[0]} to ${a[0]}: clients using the default base URL (the SDK's \`baseUrl\` default) still call the old one`,
    );
  }
  for (const url of b.slice(1)) {
    if (!a.includes(url))
      tell('potentially-breaking', `server ${url} removed: clients configured with it must move`);
  }
  for (const url of a.slice(1)) if (!b.includes(url)) tell('non-breaking', `server ${url} added`);
}

// ---------------------------------------------------------------------------------------------------------
// Entry points

/**
 * Every client-visible change from `before` to `after`, grouped and sorted, and the problems of each document.
 * Pure: reads the documents, nothing else.
 */
export function diffSpecs(before: OpenApiDoc, after: OpenApiDoc): SpecDiff {
  const found: Found[] = [];
  const shared = { memo: new Map(), cuts: { n: 0 } };
  const ctxFor = (operation?: string): Ctx => ({
    before,
    after,
    operation,
    push: (f) => found.push(f),
    ...shared,
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
      const dir: Dir = o.webhook ? 'response' : 'request';
      say(ctxFor(o.label), dir, a ? 'operation-added' : 'operation-removed', lvl(!a), o.label, what);
      continue;
    }
    const ctx = ctxFor(a.label);
    // A webhook's request is written by the server and read by the client.
    const dir: Dir = a.webhook ? 'response' : 'request';
    if ((b.op.deprecated === true) !== (a.op.deprecated === true)) {
      const what = a.op.deprecated === true ? 'deprecated: plan to move off it' : 'no longer deprecated';
      say(
        ctx,
        dir,
        'operation-deprecated',
        'notice',
        a.label,
        `${a.webhook ? 'webhook' : 'operation'} ${what}`,
      );
    }
    compareParameters(ctx, b, a, dir);
    compareRequestBody(ctx, b, a, dir);
    compareResponses(ctx, b, a, dir);
    // Document-wide security and servers are compared once below; here only where an operation overrides them.
    if (!a.webhook && (Array.isArray(b.op.security) || Array.isArray(a.op.security))) {
      const eff = (o: Operation, d: Obj) =>
        Array.isArray(o.op.security) ? o.op.security : globalSecurity(d);
      compareSecurity(ctx, 'security', eff(b, before), eff(a, after));
    }
    const own = (o: Operation) => o.op.servers ?? o.item.servers;
    if (!a.webhook && (own(b) !== undefined || own(a) !== undefined)) {
      const eff = (o: Operation, d: Obj) => serverUrls(own(o) ?? d.servers);
      compareServers(ctx, 'servers', eff(b, before), eff(a, after));
    }
  }
  const doc = ctxFor();
  compareSecurity(doc, 'security (document-wide)', globalSecurity(before), globalSecurity(after));
  compareSecuritySchemes(doc);
  compareServers(doc, 'servers (document-wide)', serverUrls(before.servers), serverUrls(after.servers));
  return {
    changes: sortChanges(group(found)),
    problems: [...documentProblems(before, 'old'), ...documentProblems(after, 'new')],
  };
}

/**
 * A change inside a named schema, felt identically at several places, is one change of that schema with the
 * places listed; a change felt at one place only stays with its operation.
 */
function group(found: Found[]): SpecChange[] {
  const out: SpecChange[] = [];
  const bySchema = new Map<string, Found[]>();
  const seen = new Set<string>();
  for (const f of found) {
    const { schema, rel, ...change } = f;
    const id = [f.operation, f.location, f.category, f.level, f.direction, f.message].join('\u0000');
    if (seen.has(id)) continue;
    seen.add(id);
    if (schema === undefined) {
      out.push(change);
      continue;
    }
    const key = [schema, rel, f.category, f.level, f.direction, f.message].join('\u0000');
    const same = bySchema.get(key);
    if (same) same.push(f);
    else bySchema.set(key, [f]);
  }
  for (const fs of bySchema.values()) {
    const first = fs[0] as Found;
    const { schema, rel, ...change } = first;
    const places = new Map<string, Place>();
    for (const f of fs)
      places.set(`${f.operation}\u0000${f.location}`, { operation: f.operation ?? '', location: f.location });
    if (places.size === 1) {
      out.push(change);
      continue;
    }
    const { operation: _o, ...rest } = change;
    out.push({
      ...rest,
      location: `${schema}${rel ?? ''}`, // DocumentCommon.file_name, DocumentStatus, DocumentList.documents[]
      schema,
      usedBy: [...places.values()].sort(
        (x, y) =>
          compareText(operationKey(x.operation), operationKey(y.operation)) ||
          compareText(x.location, y.location),
      ),
    });
  }
  return out;
}
