// Negative cases against `prism mock --errors`. Requests without a token answer 401 on every operation.
// Requests the SDK refuses to build are sent raw: Prism must flag them (`sl-violations`) and answer 4xx,
// and the SDK must refuse the same input with InvalidParamsError before sending anything.
import { describe, expect, inject, it, vi } from 'vitest';
import { HandwritingOCR, HandwritingOCRError, InvalidParamsError } from '../src/index.js';
import { samplePng } from './fixtures/index.js';
import { recordedClient } from './lib/client.js';
import { problemsOf, violationsOf } from './lib/conformance.js';
import { form, json, type RawRequest, rawRequest } from './lib/raw.js';
import { loadSpec, operations } from './lib/spec.js';

const contract = inject('contract');
const spec = loadSpec(contract.specPath);
const png = () => new Blob([samplePng()], { type: 'image/png' });

// A valid body per operation, so that the missing token is the only thing wrong.
const validBody: Record<string, () => BodyInit> = {
  'upload-document': () => form({ file: png(), action: 'transcribe' }),
  'purchase-additional-credits': () => form({ amount: '500' }),
};
const concrete = (template: string) => template.replace('{id}', 'abcde12345').replace('{format}', 'txt');

describe('negative: no token', () => {
  // An operation with `security: []` (the documented 405) is answered before authentication.
  const isSecured = (o: { operation: Record<string, unknown> }) => {
    const security = (o.operation.security ?? spec.security) as unknown[] | undefined;
    return Array.isArray(security) && security.length > 0;
  };
  const secured = operations(spec).filter((o) => o.kind === 'path' && isSecured(o));
  it.each(secured.map((o) => [`${o.operationId} 401`, o] as const))(
    '[%s] without Authorization answers 401 as documented',
    async (_key, op) => {
      const body = validBody[op.operationId]?.();
      const ex = await rawRequest(contract.mockUrl, {
        method: op.method.toUpperCase(),
        path: concrete(op.path),
        token: null,
        ...(body ? { body } : {}),
      });
      expect(ex.status).toBe(401);
      expect(violationsOf(ex)).toContainEqual(expect.objectContaining({ code: 401 }));
      expect(await problemsOf(ex, { allowViolations: true })).toEqual([]);
      expect(json(ex.bytes)).toEqual({ message: 'Unauthenticated.' });
    },
  );

  it('the SDK refuses to start without a token, naming the option and the variable', () => {
    vi.stubEnv('HANDWRITING_OCR_API_TOKEN', undefined);
    try {
      expect(() => new HandwritingOCR({ baseUrl: contract.mockUrl })).toThrow(HandwritingOCRError);
      expect(() => new HandwritingOCR({ baseUrl: contract.mockUrl })).toThrow(
        /apiToken[\s\S]*HANDWRITING_OCR_API_TOKEN|HANDWRITING_OCR_API_TOKEN[\s\S]*apiToken/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

interface Refusal {
  operationId: string;
  title: string;
  raw: () => RawRequest;
  /** Where Prism must locate the violation (`request.body.amount`, `request.query.per_page`, ...). */
  at: string;
  status: number;
  /** The same input through the SDK; omitted where the SDK has no way to express it. */
  sdk?: (client: HandwritingOCR) => Promise<unknown>;
  /** Prism answers with its own problem+json (the spec documents no status for this refusal). */
  prismOwnAnswer?: boolean;
}

const upload = (fields: Record<string, string>) => () => ({
  method: 'POST',
  path: '/documents',
  body: form({ file: png(), ...fields }),
});
const file = samplePng;

const refusals: Refusal[] = [
  {
    operationId: 'list-documents',
    title: 'per_page 0',
    raw: () => ({ path: '/documents?per_page=0' }),
    at: 'request.query.per_page',
    status: 422,
    sdk: (c) => c.documents.list({ per_page: 0 }),
  },
  {
    operationId: 'list-documents',
    title: 'per_page 201',
    raw: () => ({ path: '/documents?per_page=201' }),
    at: 'request.query.per_page',
    status: 422,
    sdk: (c) => c.documents.list({ per_page: 201 }),
  },
  {
    operationId: 'list-documents',
    title: 'page 0',
    raw: () => ({ path: '/documents?page=0' }),
    at: 'request.query.page',
    status: 422,
    sdk: (c) => c.documents.list({ page: 0 }),
  },
  {
    operationId: 'upload-document',
    title: 'an unknown action',
    raw: upload({ action: 'summarize' }),
    at: 'request.body.action',
    status: 422,
    sdk: (c) => c.documents.upload({ file: file(), fileName: 'a.png', action: 'summarize' as 'transcribe' }),
  },
  {
    operationId: 'upload-document',
    title: 'extractor without extractor_id',
    raw: upload({ action: 'extractor' }),
    at: 'request.body',
    status: 422,
    sdk: (c) => c.documents.upload({ file: file(), fileName: 'a.png', action: 'extractor' }),
  },
  {
    operationId: 'upload-document',
    title: 'an extractor_id that is not letters and digits',
    raw: upload({ action: 'extractor', extractor_id: 'Ks08-XVPyMd' }),
    at: 'request.body.extractor_id',
    status: 422,
    sdk: (c) =>
      c.documents.upload({
        file: file(),
        fileName: 'a.png',
        action: 'extractor',
        extractor_id: 'Ks08-XVPyMd',
      }),
  },
  {
    operationId: 'upload-document',
    title: 'delete_after below 300',
    raw: upload({ action: 'transcribe', delete_after: '299' }),
    at: 'request.body.delete_after',
    status: 422,
    sdk: (c) =>
      c.documents.upload({ file: file(), fileName: 'a.png', action: 'transcribe', delete_after: 299 }),
  },
  {
    operationId: 'upload-document',
    title: 'delete_after above 1209600',
    raw: upload({ action: 'transcribe', delete_after: '1209601' }),
    at: 'request.body.delete_after',
    status: 422,
    sdk: (c) =>
      c.documents.upload({ file: file(), fileName: 'a.png', action: 'transcribe', delete_after: 1_209_601 }),
  },
  {
    operationId: 'upload-document',
    title: 'delete_after not an integer',
    raw: upload({ action: 'transcribe', delete_after: '600.5' }),
    at: 'request.body.delete_after',
    status: 422,
    sdk: (c) =>
      c.documents.upload({ file: file(), fileName: 'a.png', action: 'transcribe', delete_after: 600.5 }),
  },
  {
    operationId: 'upload-document',
    title: 'no file',
    raw: () => ({ method: 'POST', path: '/documents', body: form({ action: 'transcribe' }) }),
    at: 'request.body',
    status: 422,
  },
  {
    operationId: 'upload-document',
    title: 'a webhook_url that is not a URI',
    raw: upload({ action: 'transcribe', webhook_url: 'not a url' }),
    at: 'request.body.webhook_url',
    status: 422,
  },
  {
    operationId: 'purchase-additional-credits',
    title: 'amount not a multiple of 100',
    raw: () => ({ method: 'POST', path: '/credits/topup', body: form({ amount: '150' }) }),
    at: 'request.body.amount',
    status: 422,
    sdk: (c) => c.credits.topup({ amount: 150 }),
  },
  {
    operationId: 'purchase-additional-credits',
    title: 'amount 0',
    raw: () => ({ method: 'POST', path: '/credits/topup', body: form({ amount: '0' }) }),
    at: 'request.body.amount',
    status: 422,
    sdk: (c) => c.credits.topup({ amount: 0 }),
  },
  {
    operationId: 'purchase-additional-credits',
    title: 'amount as JSON instead of multipart',
    raw: () => ({
      method: 'POST',
      path: '/credits/topup',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 500 }),
    }),
    at: 'request',
    status: 422,
  },
  {
    operationId: 'download-document-format',
    title: 'a format the API does not have (pdf)',
    raw: () => ({ path: '/documents/abcde12345.pdf' }),
    at: 'request.path.format',
    status: 400,
    sdk: (c) => c.documents.download('abcde12345', 'pdf' as 'txt'),
  },
  {
    operationId: 'download-result',
    title: 'an id outside [A-Za-z0-9]',
    raw: () => ({ path: '/documents/abc-123' }),
    at: 'request.path.id',
    status: 400,
  },
  {
    operationId: 'delete-document',
    title: 'an id outside [A-Za-z0-9] (the spec documents no 4xx for it: Prism answers itself)',
    raw: () => ({ method: 'DELETE', path: '/documents/abc-123' }),
    at: 'request.path.id',
    status: 422,
    prismOwnAnswer: true,
  },
];

describe('negative: requests the SDK refuses', () => {
  for (const r of refusals) {
    describe(`${r.operationId}: ${r.title}`, () => {
      it(`[${r.operationId} ${r.status}] sent raw, Prism flags it and answers ${r.status}`, async () => {
        const ex = await rawRequest(contract.mockUrl, r.raw());
        expect(ex.status).toBe(r.status);
        const locations = violationsOf(ex).map((v) => v.location?.join('.'));
        if (r.prismOwnAnswer) {
          const problem = json(ex.bytes) as { type: string; validation: { location: string[] }[] };
          expect(problem.type).toMatch(/^https:\/\/stoplight\.io\/prism\/errors#/);
          expect(problem.validation.map((v) => ['request', ...v.location].join('.'))).toContain(r.at);
        } else {
          expect(locations).toContain(r.at);
          expect(await problemsOf(ex, { allowViolations: true })).toEqual([]);
        }
      });
      if (r.sdk) {
        const sdk = r.sdk;
        it('through the SDK: InvalidParamsError, nothing sent', async () => {
          const { client, recorder } = recordedClient(contract.mockUrl);
          await expect(sdk(client)).rejects.toBeInstanceOf(InvalidParamsError);
          expect(recorder.exchanges).toEqual([]);
          expect(recorder.failures).toEqual([]);
        });
      }
    });
  }
});
