import { expect, expectTypeOf } from 'vitest';
import {
  AuthenticationError,
  type Document,
  type DocumentList,
  RateLimitError,
  UnprocessableEntityError,
} from '../../src/index.js';
import { errorCases, withCheck } from './errors.js';
import type { ContractCase } from './types.js';

const op = 'list-documents';

export const listDocumentsCases: ContractCase[] = [
  {
    operationId: op,
    status: '200',
    title: 'resolves the page as documented (page and per_page sent as query)',
    async run(t) {
      const page = await t.client.documents.list({ page: 1, per_page: 2 }, t.prefer);
      expectTypeOf(page).toExtend<DocumentList>();
      expect(page).toEqual(t.example);
      const url = new URL(t.recorder.exchanges[0]?.url ?? 'http://x');
      expect(Object.fromEntries(url.searchParams)).toEqual({ page: '1', per_page: '2' });
    },
  },
  {
    operationId: op,
    status: '200',
    title: 'async iteration walks into the next page with valid query parameters',
    async run(t) {
      const seen: Document[] = [];
      // Prism's static page claims 63 pages; take a few documents and stop.
      for await (const doc of t.client.documents.list({ per_page: 2 }, t.prefer)) {
        expectTypeOf(doc).toEqualTypeOf<Document>();
        seen.push(doc);
        if (seen.length === 3) break;
      }
      expect(seen.map((d) => d.id)).toEqual(['k2D9ZRz9Ob', 'ql78YGv4dE', 'k2D9ZRz9Ob']);
      const pages = t.recorder.exchanges.map((e) => new URL(e.url).searchParams.get('page') ?? '1');
      expect(pages).toEqual(['1', '2']);
    },
  },
  ...errorCases(op, (t) => t.client.documents.list({}, t.prefer), {
    401: AuthenticationError,
    422: withCheck(UnprocessableEntityError, (e, ex) => expect(e.errors).toEqual(ex.errors)),
    429: withCheck(RateLimitError, (e) => expect(e.retryAfterMs).toBe(30_000)),
  }),
];
