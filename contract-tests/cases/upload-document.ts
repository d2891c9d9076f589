import { createReadStream } from 'node:fs';
import { expect, expectTypeOf } from 'vitest';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  type UploadedDocument,
  type UploadParams,
} from '../../src/index.js';
import { SAMPLE_NAME, SAMPLE_PNG_PATH, samplePng } from '../fixtures/index.js';
import { errorCases, withCheck } from './errors.js';
import type { ContractCase } from './types.js';

const op = 'upload-document';

// Each input kind the SDK accepts builds its multipart body differently; Prism checks every one of them.
const success = (title: string, params: () => UploadParams, status = '201'): ContractCase => ({
  operationId: op,
  status,
  title,
  async run(t) {
    const uploaded = await t.client.documents.upload(params(), t.prefer);
    expectTypeOf(uploaded).toEqualTypeOf<UploadedDocument>();
    expect(uploaded).toEqual(t.example);
  },
});

export const uploadDocumentCases: ContractCase[] = [
  success('bytes, transcribe, delete_after: resolves { id, status }', () => ({
    file: samplePng(),
    fileName: SAMPLE_NAME,
    action: 'transcribe',
    delete_after: 600,
  })),
  success('a file path, streamed from disk; tables with webhook_url', () => ({
    file: SAMPLE_PNG_PATH,
    action: 'tables',
    webhook_url: 'https://example.com/hwocr-hook',
  })),
  success('a Blob; extractor with extractor_id', () => ({
    file: new Blob([samplePng()], { type: 'image/png' }),
    fileName: SAMPLE_NAME,
    action: 'extractor',
    extractor_id: 'Ks08XVPyMd',
  })),
  success('a web ReadableStream', () => ({
    file: new Blob([samplePng()]).stream(),
    fileName: SAMPLE_NAME,
    action: 'transcribe',
  })),
  success('a Node Readable', () => ({ file: createReadStream(SAMPLE_PNG_PATH), action: 'transcribe' })),
  // The vendor's clients have seen 200 (with created_at/updated_at) as well as the spec's 201; a 12-character
  // extractor id and prompt_id are what a production integration and the vendor's MCP server send.
  success(
    'a 200 resolves like a 201, keeping created_at/updated_at; 12-character extractor_id, prompt_id',
    () => ({
      file: samplePng(),
      fileName: SAMPLE_NAME,
      action: 'extractor',
      extractor_id: 'Ks08XVPyMd12',
      prompt_id: 'Pr0mpt42',
    }),
    '200',
  ),
  ...errorCases(
    op,
    (t) =>
      t.client.documents.upload({ file: samplePng(), fileName: SAMPLE_NAME, action: 'transcribe' }, t.prefer),
    {
      400: BadRequestError,
      401: AuthenticationError,
      403: PermissionDeniedError,
      // The surface names no class for 413: a plain APIError.
      413: withCheck(APIError, (e) => expect(e.constructor).toBe(APIError)),
      415: UnsupportedMediaTypeError,
      422: withCheck(UnprocessableEntityError, (e, ex) => expect(e.errors).toEqual(ex.errors)),
      429: withCheck(RateLimitError, (e) => expect(e.retryAfterMs).toBe(30_000)),
      500: InternalServerError,
    },
  ),
];
