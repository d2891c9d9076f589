// The HTTP layer: routing, authentication, fault injection, the request log, writing answers.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { me, topup } from './account.js';
import type { Context } from './context.js';
import { CONTROL_PATH, type ControlTarget, control } from './control.js';
import { download, list, remove, retrieve, thumbnail, upload } from './documents.js';
import { type FaultController, type FaultKind, type FaultSpec, faultReply } from './faults.js';
import type { UploadRateLimit } from './rate-limit.js';
import { type Reply, untypedJson } from './reply.js';
import { readBody } from './request.js';
import type { RouteKey } from './spec.js';

/** One request the simulator received, as listed by `sim.requests`. */
export interface RequestRecord {
  readonly method: string;
  /** The path and query as received, e.g. `/v3/documents?page=2`. */
  readonly path: string;
  /** The route it matched, or `undefined` for an unknown path. */
  readonly route: RouteKey | undefined;
  /** The request headers, without `authorization`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether it carried the right Bearer token. */
  readonly authorized: boolean;
  /** When it arrived, by the simulator's clock (ms since the epoch). */
  readonly at: number;
  /** The status answered; `undefined` while in progress or when no answer was sent (hang, drop). */
  status: number | undefined;
  /** The fault that struck it, if any. */
  fault: FaultKind | undefined;
}

/** What the HTTP layer needs. */
export interface ServerDeps {
  readonly ctx: Context;
  readonly faults: FaultController;
  readonly basePath: string;
  readonly requests: RequestRecord[];
  /** Aborted when the simulator closes: ends delays. */
  readonly closing: AbortSignal;
  /** What the control API (under `/_simulator`) acts on. */
  readonly control: ControlTarget;
  /** The `uploadsPerSecond` limit, if set. */
  readonly uploadLimit?: UploadRateLimit | undefined;
}

interface Route {
  key: RouteKey;
  params: string[];
}

const ROUTES: readonly { method: string; pattern: RegExp; key: RouteKey }[] = [
  { method: 'GET', pattern: /^\/documents$/, key: 'GET /documents' },
  { method: 'POST', pattern: /^\/documents$/, key: 'POST /documents' },
  { method: 'GET', pattern: /^\/documents\/([^/.]+)$/, key: 'GET /documents/{id}' },
  { method: 'DELETE', pattern: /^\/documents\/([^/.]+)$/, key: 'DELETE /documents/{id}' },
  { method: 'GET', pattern: /^\/documents\/([^/.]+)\.([^/.]+)$/, key: 'GET /documents/{id}.{format}' },
  { method: 'GET', pattern: /^\/users\/me$/, key: 'GET /users/me' },
  { method: 'POST', pattern: /^\/credits\/topup$/, key: 'POST /credits/topup' },
  {
    method: 'GET',
    pattern: /^\/document\/([^/]+)\/image-(\d+)\.jpg$/,
    key: 'GET /document/{id}/image-{page}.jpg',
  },
];

// Bodies up to the file limit plus room for the multipart envelope are kept; larger ones are drained.
const ENVELOPE_BYTES = 1024 * 1024;

/** A path the API has, asked with a method it does not take there: the methods it does take (for `Allow`). */
interface NotAllowed {
  allow: string[];
}

function matchRoute(method: string, path: string): Route | NotAllowed | undefined {
  const allow: string[] = [];
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method === method) return { key: route.key, params: m.slice(1).map((p) => safeDecode(p)) };
    allow.push(route.method);
  }
  return allow.length > 0 ? { allow } : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Whether the `Authorization` header carries the accepted token (compared in constant time). */
function isAuthorized(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return m?.[1] !== undefined && timingSafeEqual(digest(m[1].trim()), digest(token));
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

// Browsers (an SDK's browser tests) may call the simulator from another origin.
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Retry-After, Content-Disposition',
};

function write(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  const body = reply.body ?? '';
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(reply.status, {
    ...CORS_HEADERS,
    ...reply.headers,
    ...(reply.status !== 204 && { 'content-length': String(bytes.byteLength) }),
  });
  res.end(reply.status === 204 ? undefined : bytes);
}

/** The request listener of the simulator's `http.Server`. */
export function createListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch(() => {
      // A handler bug must answer, not crash the test run.
      write(res, untypedJson(500, { message: 'Server Error' }));
    });
  };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { ctx, faults, basePath } = deps;
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const path = url.pathname.startsWith(`${basePath}/`)
    ? url.pathname.slice(basePath.length).replace(/\/+$/, '')
    : '';
  const authorized = isAuthorized(req.headers.authorization, ctx.config.token);
  if (url.pathname === CONTROL_PATH || url.pathname.startsWith(`${CONTROL_PATH}/`)) {
    return handleControl(deps, req, res, method, url.pathname.slice(CONTROL_PATH.length), authorized);
  }
  const matched = matchRoute(method, path);
  const route = matched && 'key' in matched ? matched : undefined;
  const record: RequestRecord = {
    method,
    path: req.url ?? '/',
    route: route?.key,
    headers: headerRecord(req),
    authorized,
    at: ctx.now(),
    status: undefined,
    fault: undefined,
  };
  deps.requests.push(record);
  res.on('finish', () => {
    record.status = res.statusCode;
  });

  if (method === 'OPTIONS') {
    return write(res, {
      status: 204,
      headers: {
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      },
    });
  }
  if (!route) {
    await readBody(req, 0);
    if (matched && 'allow' in matched) {
      // RFC 9110: a 405 lists the methods the resource supports.
      return write(
        res,
        untypedJson(
          405,
          { message: `The ${method} method is not supported for this route.` },
          { allow: matched.allow.join(', ') },
        ),
      );
    }
    return write(res, untypedJson(404, { message: 'Not found.' }));
  }

  const fault = faults.take(route.key);
  if (fault) record.fault = fault.kind;
  const after = fault?.when === 'after';
  if (fault && !after) {
    const outcome = await strike(deps, fault, req, res, undefined);
    if (outcome === 'stop') return;
  }

  const body = await readBody(req, ctx.config.maxFileBytes + ENVELOPE_BYTES);
  let reply: Reply;
  const limited = authorized && route.key === 'POST /documents' ? deps.uploadLimit?.take() : undefined;
  if (limited !== undefined) {
    reply = faultReply({ route: route.key, kind: 'status', status: 429, retryAfter: limited });
  } else if (!authorized) {
    reply = untypedJson(401, { message: 'Unauthenticated.' });
  } else {
    reply = await dispatch(ctx, route, url, body.bytes, body.tooLarge, req.headers['content-type']);
  }
  if (fault && after) {
    const outcome = await strike(deps, fault, req, res, reply);
    if (outcome === 'stop') return;
    if (outcome !== 'continue') reply = outcome;
  }
  write(res, reply);
}

/** A control request (not logged, never struck by a fault): the same token as the API. */
async function handleControl(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
  authorized: boolean,
): Promise<void> {
  const body = await readBody(req, ENVELOPE_BYTES);
  if (method === 'OPTIONS') {
    return write(res, {
      status: 204,
      headers: {
        'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
      },
    });
  }
  if (!authorized) return write(res, untypedJson(401, { message: 'Unauthenticated.' }));
  if (body.tooLarge) return write(res, untypedJson(413, { message: 'The body is too large.' }));
  write(res, await control(deps.control, method, path, body.bytes));
}

/** Applies a fault: `'stop'` when it answered (or will never answer), else what to answer. */
async function strike(
  deps: ServerDeps,
  fault: FaultSpec,
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply | undefined,
): Promise<'stop' | 'continue' | Reply> {
  switch (fault.kind) {
    case 'hang':
      return 'stop'; // closed by the client, or by `close()` through closeAllConnections
    case 'drop':
      req.socket.destroy();
      return 'stop';
    case 'delay':
      await sleep(fault.ms, undefined, { signal: deps.closing }).catch(() => undefined);
      return 'continue';
    case 'status':
      if (reply) return faultReply(fault);
      await readBody(req, 0);
      write(res, faultReply(fault));
      return 'stop';
  }
}

async function dispatch(
  ctx: Context,
  route: Route,
  url: URL,
  bytes: Uint8Array,
  tooLarge: boolean,
  contentType: string | undefined,
): Promise<Reply> {
  const [id = '', second = ''] = route.params;
  switch (route.key) {
    case 'POST /documents':
      return upload(ctx, { bytes, tooLarge, contentType });
    case 'GET /documents':
      return list(ctx, url.searchParams);
    case 'GET /documents/{id}':
      return retrieve(ctx, id);
    case 'GET /documents/{id}.{format}':
      return download(ctx, id, second);
    case 'DELETE /documents/{id}':
      return remove(ctx, id);
    case 'GET /users/me':
      return me(ctx);
    case 'POST /credits/topup':
      return topup(ctx, bytes, contentType);
    case 'GET /document/{id}/image-{page}.jpg':
      return thumbnail(ctx, id, Number(second));
  }
}
