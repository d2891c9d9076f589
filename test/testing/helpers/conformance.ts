// Proves answers conform to the merged OpenAPI document: documented status, documented content type,
// body valid against the response schema (Ajv, JSON Schema 2020-12), documented headers valid.
import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';

const SPEC_ID = 'https://handwriting-ocr.invalid/openapi.json';

interface MediaObject {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaObject>;
  headers?: Record<string, { $ref?: string; schema?: unknown }>;
}
interface OperationObject {
  responses: Record<string, ResponseObject>;
}
interface SpecDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: { headers: Record<string, { schema: unknown }> };
}

const spec = JSON.parse(
  readFileSync(new URL('../../../openapi/handwriting-ocr.v3.json', import.meta.url), 'utf8'),
) as SpecDocument;

const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addFormat('binary', true);
ajv.addSchema({ ...spec, $id: SPEC_ID });

const validators = new Map<string, ValidateFunction>();

/** A validator for the schema at a JSON pointer (segments unescaped) inside the spec. */
function validatorAt(...segments: string[]): ValidateFunction {
  const pointer = segments
    .map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/');
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SPEC_ID}#/${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

function check(validate: ValidateFunction, value: unknown, what: string): void {
  const ok = validate(value);
  expect(ok, `${what} does not conform: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`).toBe(
    true,
  );
}

/** The operation, e.g. `'GET /documents/{id}'`. */
export type OperationRef = `${'GET' | 'POST' | 'DELETE'} /${string}`;

/** A conforming answer's body: parsed JSON, text, or bytes (OOXML, JPEG). */
export interface Conforming<T> {
  status: number;
  headers: Headers;
  json: T;
  text: string;
  bytes: Uint8Array;
}

/**
 * Reads an answer and asserts it conforms to the spec's description of `operation`; returns its body.
 * JSON bodies come parsed (`json`), other bodies as `text` and `bytes`.
 */
export async function conforming<T = Record<string, unknown>>(
  operation: OperationRef,
  res: Response,
): Promise<Conforming<T>> {
  const [method = '', path = ''] = operation.split(' ');
  const op = spec.paths[path]?.[method.toLowerCase()];
  expect(op, `${operation} is not in the spec`).toBeDefined();
  const documented = op?.responses[String(res.status)];
  expect(documented, `${operation} answered ${res.status}, which the spec does not document`).toBeDefined();
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let json: unknown;

  const contents = documented?.content;
  if (contents && Object.keys(contents).length > 0) {
    const contentType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const media = Object.keys(contents).find((m) => m === contentType);
    expect(media, `${operation} ${res.status}: content type "${contentType}" not documented`).toBeDefined();
    if (media === 'application/json') {
      json = JSON.parse(text);
      const at = [
        'paths',
        path,
        method.toLowerCase(),
        'responses',
        String(res.status),
        'content',
        media,
        'schema',
      ];
      check(validatorAt(...at), json, `${operation} ${res.status} body`);
    } else if (media?.startsWith('text/')) {
      const at = [
        'paths',
        path,
        method.toLowerCase(),
        'responses',
        String(res.status),
        'content',
        media,
        'schema',
      ];
      check(validatorAt(...at), text, `${operation} ${res.status} body`);
    }
  } else {
    expect(bytes.byteLength, `${operation} ${res.status} should have no body`).toBe(0);
  }

  for (const [name, header] of Object.entries(documented?.headers ?? {})) {
    const value = res.headers.get(name);
    if (value === null) continue;
    const ref = header.$ref?.replace('#/components/headers/', '');
    const schemaAt = ref
      ? ['components', 'headers', ref, 'schema']
      : ['paths', path, method.toLowerCase(), 'responses', String(res.status), 'headers', name, 'schema'];
    check(validatorAt(...schemaAt), value, `${operation} ${res.status} header ${name}`);
  }
  return { status: res.status, headers: res.headers, json: json as T, text, bytes };
}

/** Asserts a webhook body conforms to the spec's `document-processed` webhook. */
export function conformingWebhook(body: unknown): void {
  check(
    validatorAt(
      'webhooks',
      'document-processed',
      'post',
      'requestBody',
      'content',
      'application/json',
      'schema',
    ),
    body,
    'webhook body',
  );
}

/** Asserts a value conforms to a component schema, e.g. `'DocumentResult'`. */
export function conformingSchema(name: string, value: unknown): void {
  check(validatorAt('components', 'schemas', name), value, name);
}
