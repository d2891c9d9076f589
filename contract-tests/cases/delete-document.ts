import { expect } from 'vitest';
import {
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from '../../src/index.js';
import { DOC_ID } from './download-result.js';
import { errorCases, withCheck } from './errors.js';
import type { ContractCase } from './types.js';

const op = 'delete-document';

export const deleteDocumentCases: ContractCase[] = [
  {
    operationId: op,
    status: '204',
    title: 'delete resolves undefined',
    async run(t) {
      await expect(t.client.documents.delete(DOC_ID, t.prefer)).resolves.toBeUndefined();
    },
  },
  ...errorCases(op, (t) => t.client.documents.delete(DOC_ID, t.prefer), {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: withCheck(RateLimitError, (e) => expect(e.retryAfterMs).toBe(30_000)),
    500: InternalServerError,
  }),
];
