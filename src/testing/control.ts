// The control API: the simulator's knobs over HTTP, under a reserved path outside the OpenAPI paths, so that a
// test in any language (curl, Python, Go) can do what `sim.faults`, `sim.completeAll()` and `sim.reset()` do.
import type { FaultController, FaultSpec } from './faults.js';
import { noContent, type Reply, untypedJson } from './reply.js';
import type { RequestRecord } from './server.js';
import { DOCUMENTED_STATUSES, type RouteKey } from './spec.js';

/** Where the control API lives: at the server's root, beside (not under) the API's `/v3`. */
export const CONTROL_PATH = '/_simulator';

/** What the control API acts on (the simulator's own methods). */
export interface ControlTarget {
  readonly faults: FaultController;
  readonly requests: readonly RequestRecord[];
  readonly documents: readonly unknown[];
  readonly credits: number;
  setCredits(credits: number): void;
  clearRequests(): void;
  completeAll(): Promise<void>;
  reset(): void;
}

type Handler = (target: ControlTarget, body: Uint8Array) => Promise<Reply> | Reply;

// path (after CONTROL_PATH) → method → handler
const ENDPOINTS: Record<string, Record<string, Handler>> = {
  '': { GET: () => untypedJson(200, { endpoints: describeEndpoints() }) },
  '/faults': {
    GET: (t) => untypedJson(200, { faults: t.faults.active.map(faultJson) }),
    POST: (t, body) => {
      const spec = parseFault(readJson(body));
      return untypedJson(201, { fault: faultJson(t.faults.inject(spec).spec) });
    },
    DELETE: (t) => {
      t.faults.clear();
      return noContent();
    },
  },
  '/complete': {
    POST: async (t) => {
      await t.completeAll();
      return untypedJson(200, { documents: t.documents });
    },
  },
  '/reset': {
    POST: (t) => {
      t.reset();
      return noContent();
    },
  },
  '/requests': {
    GET: (t) => untypedJson(200, { requests: t.requests }),
    DELETE: (t) => {
      t.clearRequests();
      return noContent();
    },
  },
  '/documents': { GET: (t) => untypedJson(200, { documents: t.documents }) },
  '/credits': {
    GET: (t) => untypedJson(200, { credits: t.credits }),
    PUT: (t, body) => {
      const { credits } = readJson(body) as { credits?: unknown };
      if (!Number.isSafeInteger(credits) || (credits as number) < 0) {
        throw new ControlError('credits must be a whole number >= 0');
      }
      t.setCredits(credits as number);
      return untypedJson(200, { credits: t.credits });
    },
  },
};

function describeEndpoints(): string[] {
  return Object.entries(ENDPOINTS).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method} ${CONTROL_PATH}${path}`),
  );
}

/** A bad control request: answered 400 with its message. */
class ControlError extends Error {}

/** Answers one control request (`path` is what follows {@link CONTROL_PATH}); authentication is the caller's. */
export async function control(
  target: ControlTarget,
  method: string,
  path: string,
  body: Uint8Array,
): Promise<Reply> {
  const methods = ENDPOINTS[path.replace(/\/+$/, '')];
  if (!methods) return untypedJson(404, { message: `No control endpoint ${CONTROL_PATH}${path}.` });
  const handler = methods[method];
  if (!handler) {
    return untypedJson(
      405,
      { message: `The ${method} method is not supported for this route.` },
      { allow: Object.keys(methods).join(', ') },
    );
  }
  try {
    return await handler(target, body);
  } catch (err) {
    // Bad JSON, an unknown route or kind, or a value FaultController refuses (RangeError).
    if (err instanceof ControlError || err instanceof RangeError)
      return untypedJson(400, { message: err.message });
    throw err;
  }
}

function readJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8') || '{}');
  } catch {
    throw new ControlError('the body must be JSON');
  }
}

const ROUTE_KEYS = Object.keys(DOCUMENTED_STATUSES) as RouteKey[];
const KINDS = ['status', 'hang', 'drop', 'delay'];

/**
 * A fault from JSON: the same fields as `sim.faults.inject()`; `times` may be `"Infinity"` (JSON has no
 * Infinity) and `retryAfter` seconds or an HTTP date.
 */
export function parseFault(value: unknown): FaultSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ControlError(
      'a fault is a JSON object, e.g. {"route":"GET /users/me","kind":"status","status":429}',
    );
  }
  const raw = value as Record<string, unknown>;
  const route = raw.route ?? '*';
  if (route !== '*' && !ROUTE_KEYS.includes(route as RouteKey)) {
    throw new ControlError(`route must be "*" or one of: ${ROUTE_KEYS.join(', ')}`);
  }
  if (!KINDS.includes(raw.kind as string)) throw new ControlError(`kind must be one of: ${KINDS.join(', ')}`);
  if (raw.when !== undefined && raw.when !== 'before' && raw.when !== 'after') {
    throw new ControlError('when must be "before" or "after"');
  }
  const times = raw.times === 'Infinity' ? Number.POSITIVE_INFINITY : raw.times;
  if (times !== undefined && typeof times !== 'number')
    throw new ControlError('times must be a number or "Infinity"');
  const base = {
    route: route as RouteKey | '*',
    ...(times !== undefined && { times }),
    ...(raw.when !== undefined && { when: raw.when as 'before' | 'after' }),
  };
  switch (raw.kind) {
    case 'status':
      return { ...base, kind: 'status', status: raw.status as number, ...statusExtras(raw) };
    case 'delay':
      if (typeof raw.ms !== 'number') throw new ControlError('a delay fault needs ms (a number)');
      return { ...base, kind: 'delay', ms: raw.ms };
    case 'hang':
      return { ...base, kind: 'hang' };
    default:
      return { ...base, kind: 'drop' };
  }
}

function statusExtras(raw: Record<string, unknown>): Partial<Extract<FaultSpec, { kind: 'status' }>> {
  const { retryAfter, body, headers } = raw;
  const extras: Partial<Extract<FaultSpec, { kind: 'status' }>> = {};
  if (typeof retryAfter === 'number') extras.retryAfter = retryAfter;
  else if (typeof retryAfter === 'string' && !Number.isNaN(Date.parse(retryAfter)))
    extras.retryAfter = new Date(retryAfter);
  else if (retryAfter !== undefined) throw new ControlError('retryAfter must be seconds or an HTTP date');
  if (body !== undefined) {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new ControlError('body must be a JSON object');
    extras.body = body as Record<string, unknown>;
  }
  if (headers !== undefined) {
    const ok =
      typeof headers === 'object' &&
      headers !== null &&
      Object.values(headers).every((v) => typeof v === 'string');
    if (!ok) throw new ControlError('headers must be an object of strings');
    extras.headers = headers as Record<string, string>;
  }
  return extras;
}

/** A fault as JSON (`times: Infinity` becomes `"Infinity"`, a date its ISO form). */
function faultJson(spec: Readonly<FaultSpec>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...spec };
  if (spec.times === Number.POSITIVE_INFINITY) out.times = 'Infinity';
  if (spec.kind === 'status' && spec.retryAfter instanceof Date)
    out.retryAfter = spec.retryAfter.toISOString();
  return out;
}
