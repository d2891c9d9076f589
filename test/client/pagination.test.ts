import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/index.js';
import { nextPage } from '../../src/pagination.js';
import type { DocumentList } from '../../src/types.js';
import { client, json, startServer, type TestServer } from './helpers.js';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

const doc = (n: number) => ({
  id: `doc${String(n).padStart(7, '0')}`,
  action: 'transcribe',
  status: 'processed',
});

function page(current: number, last: number, perPage: number, base: string): DocumentList {
  const ids = Array.from({ length: perPage }, (_, i) => (current - 1) * perPage + i + 1);
  return {
    documents: ids.map(doc) as DocumentList['documents'],
    current_page: current,
    last_page: last,
    per_page: perPage,
    total: last * perPage,
    next_page_url: current < last ? `${base}/documents?page=${current + 1}` : null,
    prev_page_url: current > 1 ? `${base}/documents?page=${current - 1}` : null,
  };
}

async function serveThreePages() {
  server = await startServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const n = Number(url.searchParams.get('page') ?? '1');
    const perPage = Number(url.searchParams.get('per_page') ?? '2');
    json(res, 200, page(n, 3, perPage, 'https://api.handwritingocr.com/v3'));
  });
  return client(server.url);
}

describe('documents.list', () => {
  it('awaited: one page, one request, with the query', async () => {
    const c = await serveThreePages();
    const first = await c.documents.list({ per_page: 2, page: 2 });
    expect(first.current_page).toBe(2);
    expect(first.documents.map((d) => d.id)).toEqual(['doc0000003', 'doc0000004']);
    expect(server.requests.map((r) => r.url)).toEqual(['/v3/documents?per_page=2&page=2']);
  });

  it('iterated: 3 pages → 3 requests, every document in order, stops after the last', async () => {
    const c = await serveThreePages();
    const ids: string[] = [];
    for await (const d of c.documents.list({ per_page: 2 })) ids.push(d.id);
    expect(ids).toEqual(['doc0000001', 'doc0000002', 'doc0000003', 'doc0000004', 'doc0000005', 'doc0000006']);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v3/documents?per_page=2',
      '/v3/documents?per_page=2&page=2',
      '/v3/documents?per_page=2&page=3',
    ]);
  });

  it('fetches a page only when the previous one is used up', async () => {
    const c = await serveThreePages();
    const iterator = c.documents.list({ per_page: 2 })[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    expect(server.requests).toHaveLength(1);
    await iterator.next();
    expect(server.requests).toHaveLength(2);
    await iterator.return?.();
  });

  it('breaking out early stops requesting', async () => {
    const c = await serveThreePages();
    for await (const d of c.documents.list({ per_page: 2 })) {
      if (d.id === 'doc0000003') break;
    }
    expect(server.requests).toHaveLength(2);
  });

  it('await and iterate the same call share the first request', async () => {
    const c = await serveThreePages();
    const list = c.documents.list({ per_page: 2 });
    const first = await list;
    let count = 0;
    for await (const _ of list) count++;
    expect(first.documents).toHaveLength(2);
    expect(count).toBe(6);
    expect(server.requests).toHaveLength(3);
  });

  it('an error on a later page rejects the iteration', async () => {
    server = await startServer((req, res) =>
      req.url.includes('page=2')
        ? json(res, 404, { message: 'gone' })
        : json(res, 200, page(1, 2, 1, 'http://x')),
    );
    const ids: string[] = [];
    const run = async () => {
      for await (const d of client(server.url, { maxRetries: 0 }).documents.list({ per_page: 1 }))
        ids.push(d.id);
    };
    await expect(run()).rejects.toBeInstanceOf(NotFoundError);
    expect(ids).toEqual(['doc0000001']);
  });
});

describe('nextPage', () => {
  const base = page(1, 3, 1, 'https://api.handwritingocr.com/v3');
  it('follows next_page_url, else current_page < last_page', () => {
    expect(nextPage(base)).toBe(2);
    expect(nextPage({ ...base, next_page_url: null })).toBe(2);
    expect(nextPage({ ...base, next_page_url: undefined, current_page: 3 })).toBeUndefined();
    expect(nextPage({ ...base, next_page_url: 'https://x/documents?page=5' })).toBe(5);
  });
  it('stops on an empty page or a page number that does not advance', () => {
    expect(nextPage({ ...base, documents: [] })).toBeUndefined();
    expect(
      nextPage({ ...base, current_page: 2, next_page_url: 'https://x/documents?page=2', last_page: 2 }),
    ).toBe(undefined);
  });
});
