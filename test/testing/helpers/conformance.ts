// Proves the simulator's answers conform to the merged OpenAPI document, with the same validator the contract
// suite uses (contract-tests/lib/validator.ts): documented status, documented content type, body valid
// against the response schema (Ajv, JSON Schema 2020-12), documented headers valid.
import { expect } from 'vitest';
import { loadSpec, matchOperation, pointerOf } from '../../../contract-tests/lib/spec.js';
import { SpecValidator } from '../../../contract-tests/lib/validator.js';

const spec = loadSpec();
const validator = new SpecValidator(spec);

function assertNone(problems: string[], what: string): void {
  if (problems.length) throw new Error(`${what} does not conform:\n${problems.join('\n')}`);
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
  const bytes = new Uint8Array(await res.arrayBuffer());
  // A Response built by hand has no URL: stand one in from the operation's template.
  const url = res.url || `http://simulator.invalid/v3${path.replace(/\{[^}]+\}/g, 'abc')}`;
  const pathname = new URL(url).pathname.replace(/^\/v3/, '');
  expect(matchOperation(spec, method, pathname)?.path, `${url} is not ${operation}`).toBe(path);
  const problems = validator.validateResponse({
    method,
    url,
    status: res.status,
    headers: res.headers,
    body: bytes,
  });
  assertNone(problems, `${operation} answered ${res.status}`);
  const text = new TextDecoder().decode(bytes);
  const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json');
  return {
    status: res.status,
    headers: res.headers,
    json: (isJson ? JSON.parse(text) : undefined) as T,
    text,
    bytes,
  };
}

/** Asserts a webhook body conforms to the spec's `document-processed` webhook. */
export function conformingWebhook(body: unknown): void {
  assertNone(
    validator.validateRequestBody('document-processed-webhook', 'application/json', body),
    'webhook body',
  );
}

/** Asserts a value conforms to a component schema, e.g. `'DocumentResult'`. */
export function conformingSchema(name: string, value: unknown): void {
  assertNone(validator.check(name, pointerOf('components', 'schemas', name), value), name);
}
