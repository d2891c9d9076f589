// The checks every case relies on must themselves catch what they are there to catch: an undocumented
// status, an undocumented media type, a body or header against its schema, a body where none is documented,
// a Prism `sl-violations` header.
import { describe, expect, it } from 'vitest';
import { problemsOf } from '../lib/conformance.js';
import type { Exchange } from '../lib/recorder.js';
import { loadSpec, matchOperation } from '../lib/spec.js';
import { type ObservedResponse, SpecValidator } from '../lib/validator.js';

const spec = loadSpec();
const validator = new SpecValidator(spec);
const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const res = (
  method: string,
  path: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): ObservedResponse => ({
  method,
  url: `http://127.0.0.1:1${path}`,
  status,
  headers: new Headers(headers),
  body: body === undefined ? new Uint8Array() : enc(body),
});

describe('SpecValidator', () => {
  it('matches /documents/{id}.{format} before /documents/{id}', () => {
    expect(matchOperation(spec, 'GET', '/documents/abc.txt')?.operationId).toBe('download-document-format');
    expect(matchOperation(spec, 'GET', '/documents/abc')?.operationId).toBe('download-result');
    expect(matchOperation(spec, 'GET', '/nowhere')).toBeUndefined();
  });

  it('accepts a documented answer', () => {
    expect(
      validator.validateResponse(res('GET', '/users/me', 200, { id: 'a', email: 'b', balance: 1 })),
    ).toEqual([]);
  });

  it('flags a body against its schema', () => {
    const problems = validator.validateResponse(res('GET', '/users/me', 200, { id: 5, email: 'b' }));
    expect(problems.join('\n')).toMatch(/balance/);
    expect(problems.join('\n')).toMatch(/\/id must be string/);
  });

  it('flags a discriminated result whose results do not fit its action', () => {
    const body = { id: 'a', action: 'tables', status: 'processed', results: [{ page_number: 0 }] };
    expect(validator.validateResponse(res('GET', '/documents/a', 200, body))).not.toEqual([]);
  });

  it('flags an undocumented status', () => {
    expect(validator.validateResponse(res('GET', '/users/me', 418, {}))).toEqual([
      'get-user-information 418: status 418 is not documented for get-user-information',
    ]);
  });

  it('flags an undocumented media type', () => {
    const problems = validator.validateResponse(
      res('GET', '/users/me', 401, 'no', { 'content-type': 'text/html' }),
    );
    expect(problems.join('\n')).toMatch(/content-type "text\/html"/);
  });

  it('flags a body where none is documented', () => {
    expect(validator.validateResponse(res('DELETE', '/documents/a', 204, 'x'))).toEqual([
      'delete-document 204: documents no body, got 1 bytes',
    ]);
  });

  it('flags a documented header against its schema', () => {
    const headers = { 'content-type': 'application/json', 'retry-after': 'soon' };
    const problems = validator.validateResponse(res('GET', '/documents/a', 202, {}, headers));
    expect(problems.join('\n')).toMatch(/header Retry-After must match pattern/);
  });

  it('flags text that is not JSON under application/json', () => {
    expect(validator.validateResponse(res('GET', '/users/me', 200, 'oops')).join('\n')).toMatch(/not JSON/);
  });

  it('fails an exchange that carries sl-violations, and one Prism answered itself', async () => {
    const exchange = (headers: Record<string, string>, body: unknown): Exchange => ({
      method: 'GET',
      url: 'http://127.0.0.1:1/documents?per_page=0',
      requestHeaders: new Headers(),
      status: 422,
      headers: new Headers(headers),
      body: Promise.resolve(enc(body)),
    });
    const violation = JSON.stringify([
      { location: ['request', 'query', 'per_page'], message: 'must be >= 1' },
    ]);
    const flagged = exchange(
      { 'content-type': 'application/json', 'sl-violations': violation },
      { message: 'x' },
    );
    expect((await problemsOf(flagged)).join('\n')).toMatch(/sl-violation request\.query\.per_page/);
    expect(await problemsOf(flagged, { allowViolations: true })).toEqual([]);
    const prism = exchange(
      { 'content-type': 'application/problem+json' },
      { type: 'https://stoplight.io/prism/errors#X' },
    );
    expect((await problemsOf(prism)).join('\n')).toMatch(/Prism answered itself/);
  });
});
