import { expect, expectTypeOf } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  type DocumentResult,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  type ProcessingDocument,
  RateLimitError,
} from '../../src/index.js';
import { errorCases, withCheck } from './errors.js';
import type { ContractCase } from './types.js';

const op = 'download-result';
export const DOC_ID = 'abcde12345';

// One case per named example: `retrieve` resolves the document typed by its action.
const byAction = (action: 'transcribe' | 'tables' | 'extractor'): ContractCase => ({
  operationId: op,
  status: '200',
  example: action,
  title: `retrieve resolves a ${action} document, narrowed by action`,
  async run(t) {
    const doc = await t.client.documents.retrieve(DOC_ID, t.prefer);
    expectTypeOf(doc).toEqualTypeOf<DocumentResult | ProcessingDocument>();
    expect(doc).toEqual(t.example);
    expect(doc.action).toBe(action);
    if (doc.action === 'transcribe') expect(doc.results?.[0]?.transcript).toEqual(expect.any(String));
    if (doc.action === 'tables') expect(doc.results?.[0]?.key_value_pairs?.[0]?.key).toBe('VAT Number');
    if (doc.action === 'extractor') expect(doc.results?.[0]?.extractions[0]?.[0]?.key).toBe('date_of_birth');
  },
});

export const downloadResultCases: ContractCase[] = [
  byAction('transcribe'),
  byAction('tables'),
  byAction('extractor'),
  {
    operationId: op,
    status: '200',
    example: 'transcribe',
    title: 'waitForProcessing resolves with the processed document',
    async run(t) {
      const doc = await t.client.documents.waitForProcessing(DOC_ID, { ...t.prefer, pollIntervalMs: 10 });
      expectTypeOf(doc).toEqualTypeOf<DocumentResult>();
      expect(doc).toEqual(t.example);
    },
  },
  {
    operationId: op,
    status: '202',
    title: "retrieve resolves a document with status 'processing'",
    async run(t) {
      const doc = await t.client.documents.retrieve(DOC_ID, t.prefer);
      expect(doc.status).toBe('processing');
      expect(doc).toMatchObject({ id: expect.any(String), status: 'processing' });
    },
  },
  ...errorCases(op, (t) => t.client.documents.retrieve(DOC_ID, t.prefer), {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: withCheck(RateLimitError, (e) => expect(e.retryAfterMs).toBe(30_000)),
    500: InternalServerError,
  }),
];
