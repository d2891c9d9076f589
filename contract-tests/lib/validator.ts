// Validates what the suite receives against the merged document with Ajv (JSON Schema 2020-12, the
// document's `jsonSchemaDialect`): the status must be documented for the operation, the media type
// documented for the status, the body valid against its schema, the documented headers valid.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { type Json, matchOperation, type OpenApiDoc, operations, pointerOf } from './spec.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

const SPEC_ID = 'https://contract.invalid/spec.json';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A response as the suite saw it. */
export interface ObservedResponse {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export class SpecValidator {
  private readonly ajv: Ajv2020;

  constructor(readonly spec: OpenApiDoc) {
    // strict: false lets OpenAPI's own keywords (example, discriminator, xml) pass as annotations.
    this.ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema(spec as object, SPEC_ID);
  }

  /** Problems with a response (empty when it conforms). */
  validateResponse(res: ObservedResponse): string[] {
    const { pathname } = new URL(res.url);
    const op = matchOperation(this.spec, res.method, stripBase(pathname, this.spec));
    if (!op) return [`${res.method} ${pathname}: no operation of the spec matches`];
    const where = `${op.operationId} ${res.status}`;
    const responses = this.at(`${op.pointer}/responses`);
    const statusKey = [String(res.status), `${String(res.status)[0]}XX`, 'default'].find(
      (k) => isObject(responses.value) && k in responses.value,
    );
    if (!statusKey) return [`${where}: status ${res.status} is not documented for ${op.operationId}`];
    const response = this.at(`${responses.pointer}${pointerOf(statusKey)}`);
    const problems = this.validateHeaders(where, response.pointer, res.headers);
    const content =
      isObject(response.value) && isObject(response.value.content) ? response.value.content : {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      if (res.body.length > 0) problems.push(`${where}: documents no body, got ${res.body.length} bytes`);
      return problems;
    }
    const contentType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const mediaType = matchMediaType(contentType, mediaTypes);
    if (!mediaType)
      return [...problems, `${where}: content-type "${contentType}" is not one of ${mediaTypes.join(', ')}`];
    const schemaPointer = `${response.pointer}${pointerOf('content', mediaType, 'schema')}`;
    if (this.at(schemaPointer).value === undefined) return problems;
    let value: unknown;
    if (isJson(mediaType)) {
      const text = new TextDecoder().decode(res.body);
      try {
        value = JSON.parse(text);
      } catch {
        return [...problems, `${where}: ${mediaType} body is not JSON: ${text.slice(0, 120)}`];
      }
    } else if (mediaType.startsWith('text/')) {
      value = new TextDecoder().decode(res.body);
    } else {
      // Binary media (docx, xlsx): the spec can only say "a string of that media type".
      value = '';
    }
    return [...problems, ...this.check(`${where} ${mediaType} body`, schemaPointer, value)];
  }

  /** Problems with a request body of an operation (the webhook's delivery, for one). */
  validateRequestBody(operationId: string, mediaType: string, value: unknown): string[] {
    const op = operations(this.spec).find((o) => o.operationId === operationId);
    if (!op) return [`no operation ${operationId}`];
    const body = this.at(`${op.pointer}/requestBody`);
    return this.check(
      `${operationId} request body`,
      `${body.pointer}${pointerOf('content', mediaType, 'schema')}`,
      value,
    );
  }

  /** Problems with a parameter value of an operation (e.g. the webhook's `x-signature` header). */
  validateParameter(operationId: string, location: string, name: string, value: string): string[] {
    const op = operations(this.spec).find((o) => o.operationId === operationId);
    const params = op && Array.isArray(op.operation.parameters) ? op.operation.parameters : [];
    for (let i = 0; i < params.length; i++) {
      const param = this.at(`${op?.pointer}/parameters/${i}`);
      if (isObject(param.value) && param.value.in === location && param.value.name === name)
        return this.check(`${operationId} ${location} ${name}`, `${param.pointer}/schema`, value);
    }
    return [`${operationId} documents no ${location} parameter ${name}`];
  }

  /** Validates a value against the schema at a pointer of the document. */
  check(label: string, pointer: string, value: unknown): string[] {
    const validate = this.compile(this.at(pointer).pointer);
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e: ErrorObject) => `${label}${e.instancePath || ''} ${e.message ?? e.keyword}`,
    );
  }

  private validateHeaders(where: string, responsePointer: string, headers: Headers): string[] {
    const response = this.at(responsePointer).value;
    const documented = isObject(response) && isObject(response.headers) ? response.headers : {};
    const problems: string[] = [];
    for (const name of Object.keys(documented)) {
      const header = this.at(`${responsePointer}${pointerOf('headers', name)}`);
      const value = headers.get(name);
      if (value === null) {
        if (isObject(header.value) && header.value.required === true)
          problems.push(`${where}: required header ${name} is missing`);
        continue;
      }
      if (isObject(header.value) && header.value.schema !== undefined)
        problems.push(...this.check(`${where} header ${name}`, `${header.pointer}/schema`, value));
    }
    return problems;
  }

  private compile(pointer: string): ValidateFunction {
    const ref = `${SPEC_ID}#${pointer.split('/').map(encodeURIComponent).join('/')}`;
    const validate = this.ajv.getSchema(ref);
    if (!validate) throw new Error(`No schema at ${pointer}`);
    return validate;
  }

  /** The value at a pointer, following `$ref`s on the way; also returns the pointer it ended at. */
  private at(pointer: string): { value: unknown; pointer: string } {
    let node: unknown = this.spec;
    let path = '';
    const segments = pointer.split('/').slice(1);
    for (const raw of segments) {
      ({ node, path } = this.follow(node, path));
      const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[seg] : undefined;
      path += `/${raw}`;
    }
    const end = this.follow(node, path);
    return { value: end.node, pointer: end.path };
  }

  private follow(node: unknown, path: string): { node: unknown; path: string } {
    let current = { node, path };
    for (let hops = 0; isObject(current.node) && typeof current.node.$ref === 'string' && hops < 10; hops++) {
      const target = current.node.$ref;
      if (!target.startsWith('#/')) throw new Error(`Only local $refs are supported, got ${target}`);
      current = { node: undefined, path: '' };
      const resolved = this.at(target.slice(1));
      current = { node: resolved.value, path: resolved.pointer };
    }
    return current;
  }
}

/** The spec's paths are relative to its server URL; a base path on the URL we talked to is dropped. */
function stripBase(pathname: string, spec: OpenApiDoc): string {
  const servers = Array.isArray(spec.servers) ? spec.servers : [];
  for (const s of servers) {
    const base = isObject(s) && typeof s.url === 'string' ? new URL(s.url).pathname.replace(/\/$/, '') : '';
    if (base && pathname.startsWith(`${base}/`)) return pathname.slice(base.length);
  }
  return pathname;
}

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

function matchMediaType(actual: string, documented: string[]): string | undefined {
  return (
    documented.find((m) => m.toLowerCase() === actual) ??
    documented.find((m) => m.endsWith('/*') && actual.startsWith(m.slice(0, -1))) ??
    documented.find((m) => m === '*/*')
  );
}
