// DELETE on a format download: the one refused method the spec documents, a 405 whose `Allow` lists what the
// path takes. The SDK has no method for it, so the case sends it raw.
import { expect } from 'vitest';
import { expectConforming } from '../lib/conformance.js';
import { json, rawRequest } from '../lib/raw.js';
import { DOC_ID } from './download-result.js';
import type { ContractCase } from './types.js';

const op = 'delete-document-format-not-allowed';

export const deleteDocumentFormatNotAllowedCases: ContractCase[] = [
  {
    operationId: op,
    status: '405',
    title: 'DELETE /documents/{id}.txt: 405 with Allow: GET and the documented body',
    http: false, // sent raw: the case checks its own exchange
    async run(t) {
      const ex = await rawRequest(t.baseUrl, {
        method: 'DELETE',
        path: `/documents/${DOC_ID}.txt`,
        headers: t.prefer.headers ?? {},
      });
      expect([ex.status, ex.headers.get('allow')]).toEqual([405, 'GET']);
      expect(json(ex.bytes)).toEqual(t.example);
      await expectConforming([ex], { status: 405 });
    },
  },
];
