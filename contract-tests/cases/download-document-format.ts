import { expect, expectTypeOf } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  type DocumentResult,
  InternalServerError,
  NotFoundError,
  NotReadyError,
  PermissionDeniedError,
  RateLimitError,
} from '../../src/index.js';
import { DOC_ID } from './download-result.js';
import { errorCases, rejection, withCheck } from './errors.js';
import type { ContractCase } from './types.js';

const op = 'download-document-format';
const media = (mediaType: string, title: string, run: ContractCase['run']): ContractCase => ({
  operationId: op,
  status: '200',
  mediaType,
  title,
  run,
});

export const downloadDocumentFormatCases: ContractCase[] = [
  media('text/plain', "download(id, 'txt') resolves the text", async (t) => {
    const text = await t.client.documents.download(DOC_ID, 'txt', t.prefer);
    expectTypeOf(text).toEqualTypeOf<string>();
    expect(text).toBe(t.example);
  }),
  media('text/csv', "download(id, 'csv') resolves the CSV text", async (t) => {
    const csv = await t.client.documents.download(DOC_ID, 'csv', t.prefer);
    expectTypeOf(csv).toEqualTypeOf<string>();
    expect(csv).toBe(t.example);
  }),
  media('application/json', "download(id, 'json') resolves the typed result", async (t) => {
    const doc = await t.client.documents.download(DOC_ID, 'json', t.prefer);
    expectTypeOf(doc).toEqualTypeOf<DocumentResult>();
    expect(doc).toEqual(t.example);
  }),
  media(
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    "download(id, 'docx') resolves bytes",
    async (t) => {
      const bytes = await t.client.documents.download(DOC_ID, 'docx', t.prefer);
      expectTypeOf(bytes).toEqualTypeOf<Uint8Array>();
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.byteLength).toBeGreaterThan(0);
    },
  ),
  media(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    "download(id, 'xlsx') resolves bytes",
    async (t) => {
      const bytes = await t.client.documents.download(DOC_ID, 'xlsx', t.prefer);
      expectTypeOf(bytes).toEqualTypeOf<Uint8Array>();
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.byteLength).toBeGreaterThan(0);
    },
  ),
  {
    operationId: op,
    status: '202',
    title: 'download rejects with NotReadyError carrying retryAfterMs and the pending body',
    async run(t) {
      const error = await rejection(t.client.documents.download(DOC_ID, 'txt', t.prefer));
      expect(error).toBeInstanceOf(NotReadyError);
      const notReady = error as NotReadyError;
      expect(notReady.retryAfterMs).toBe(30_000);
      expect(notReady.document).toEqual(t.example);
    },
  },
  ...errorCases(op, (t) => t.client.documents.download(DOC_ID, 'txt', t.prefer), {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: withCheck(RateLimitError, (e) => expect(e.retryAfterMs).toBe(30_000)),
    500: InternalServerError,
  }),
];
