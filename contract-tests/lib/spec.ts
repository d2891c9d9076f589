// Reads the merged OpenAPI document and enumerates what the contract suite must cover: every operation
// (under `paths` and `webhooks`), every documented response status, every media type of a response that
// documents several, and every named example. The coverage meta-test compares this list with the cases.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (contract-tests/lib → ../..). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The merged spec the suite runs against; `HWOCR_CONTRACT_SPEC` points it elsewhere (the meta-test's copies). */
export function specPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(ROOT, env.HWOCR_CONTRACT_SPEC ?? 'openapi/handwriting-ocr.v3.json');
}

// Only what the suite reads; the rest of the document stays `unknown`.
export type Json = Record<string, unknown>;
export interface OpenApiDoc {
  paths?: Record<string, Json>;
  webhooks?: Record<string, Json>;
  components?: Json;
  [key: string]: unknown;
}

export function loadSpec(path = specPath()): OpenApiDoc {
  return JSON.parse(readFileSync(path, 'utf8')) as OpenApiDoc;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface SpecOperation {
  operationId: string;
  method: HttpMethod;
  /** The path template, or for a webhook its name. */
  path: string;
  kind: 'path' | 'webhook';
  /** JSON pointer (without `#`) to the operation object. */
  pointer: string;
  operation: Json;
}

/** One thing the suite must have a case for. `key` is what a case's key must equal (or start with). */
export interface SpecItem {
  kind: 'operation' | 'status' | 'media-type' | 'example';
  key: string;
  operationId: string;
  status?: string;
  mediaType?: string;
  example?: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 6901 escaping of one pointer segment. */
export const escapeSegment = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const pointerOf = (...segments: string[]): string =>
  segments.map((s) => `/${escapeSegment(s)}`).join('');

/** Follows a local `$ref` (`#/components/...`) once; other objects come back as they are. */
export function deref(spec: OpenApiDoc, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 10; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported, got ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, seg) => (isObject(node) ? node[seg] : undefined), spec);
  }
  return current;
}

export function operations(spec: OpenApiDoc): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const [kind, root] of [
    ['path', spec.paths],
    ['webhook', spec.webhooks],
  ] as const) {
    for (const [path, item] of Object.entries(root ?? {})) {
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!isObject(operation)) continue;
        const operationId =
          typeof operation.operationId === 'string'
            ? operation.operationId
            : `${method.toUpperCase()} ${path}`;
        const pointer = pointerOf(kind === 'path' ? 'paths' : 'webhooks', path, method);
        out.push({ operationId, method, path, kind, pointer, operation });
      }
    }
  }
  return out;
}

export const itemKey = (i: {
  operationId: string;
  status?: string;
  mediaType?: string;
  example?: string;
}): string =>
  [i.operationId, i.status, i.mediaType, i.example === undefined ? undefined : `example=${i.example}`]
    .filter((p) => p !== undefined)
    .join(' ');

/** Everything the suite must cover, in document order. */
export function enumerateSpec(spec: OpenApiDoc): SpecItem[] {
  const items: SpecItem[] = [];
  const push = (kind: SpecItem['kind'], parts: Omit<SpecItem, 'kind' | 'key'>) =>
    items.push({ kind, key: itemKey(parts), ...parts });
  for (const op of operations(spec)) {
    const { operationId } = op;
    push('operation', { operationId });
    const responses = isObject(op.operation.responses) ? op.operation.responses : {};
    for (const [status, raw] of Object.entries(responses)) {
      push('status', { operationId, status });
      const response = deref(spec, raw);
      const content = isObject(response) && isObject(response.content) ? response.content : {};
      const mediaTypes = Object.keys(content);
      for (const mediaType of mediaTypes) {
        // A media type is its own item only where a status documents several (different SDK paths).
        const typed = mediaTypes.length > 1 ? mediaType : undefined;
        if (typed) push('media-type', { operationId, status, mediaType: typed });
        const media = content[mediaType];
        const examples = isObject(media) && isObject(media.examples) ? Object.keys(media.examples) : [];
        for (const example of examples) push('example', { operationId, status, mediaType: typed, example });
      }
    }
    // Named examples of the request (body or parameters) are items too, keyed by `request`.
    const body = deref(spec, op.operation.requestBody);
    const bodyContent = isObject(body) && isObject(body.content) ? body.content : {};
    for (const media of Object.values(bodyContent)) {
      if (isObject(media) && isObject(media.examples))
        for (const example of Object.keys(media.examples))
          push('example', { operationId, status: 'request', example });
    }
    const params = Array.isArray(op.operation.parameters) ? op.operation.parameters : [];
    for (const raw of params) {
      const p = deref(spec, raw);
      if (isObject(p) && isObject(p.examples))
        for (const example of Object.keys(p.examples))
          push('example', { operationId, status: 'request', example: `${String(p.name)}:${example}` });
    }
  }
  return items;
}

/** The documented operation behind a request, preferring the most specific template (`{id}.{format}`). */
export function matchOperation(
  spec: OpenApiDoc,
  method: string,
  pathname: string,
): SpecOperation | undefined {
  const candidates = operations(spec).filter((o) => o.kind === 'path' && o.method === method.toLowerCase());
  const literalLength = (t: string) => t.replace(/\{[^}]+\}/g, '').length;
  candidates.sort((a, b) => literalLength(b.path) - literalLength(a.path));
  return candidates.find((o) => templateRegex(o.path).test(pathname));
}

function templateRegex(template: string): RegExp {
  // A parameter never spans `/` or `.`: that is what tells `/documents/abc.txt` from `/documents/abc`.
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/.]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** The documented example of a response (a named one when asked), as Prism's static mock sends it. */
export function documentedExample(
  spec: OpenApiDoc,
  c: { operationId: string; status: string; mediaType?: string; example?: string },
): unknown {
  const op = operations(spec).find((o) => o.operationId === c.operationId);
  const responses = op && isObject(op.operation.responses) ? op.operation.responses : {};
  const response = deref(spec, responses[c.status]);
  const content = isObject(response) && isObject(response.content) ? response.content : {};
  const media = deref(spec, content[c.mediaType ?? 'application/json'] ?? Object.values(content)[0]);
  if (!isObject(media)) return undefined;
  if (c.example !== undefined || media.example === undefined) {
    const examples = isObject(media.examples) ? media.examples : {};
    const named = deref(spec, c.example !== undefined ? examples[c.example] : Object.values(examples)[0]);
    return isObject(named) ? named.value : undefined;
  }
  return media.example;
}
