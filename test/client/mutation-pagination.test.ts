// Pagination at its edges: mutation survivors of issue #18 that are real behaviour.
import { describe, expect, it } from 'vitest';
import { nextPage } from '../../src/pagination.js';
import type { DocumentList } from '../../src/types.js';
import { fakeClient, jsonResponse } from './helpers.js';

const doc = (id: string) => ({ id, action: 'transcribe', status: 'processed' });

function listPage(current: number, last: number, next_page_url: string | null): DocumentList {
  return {
    documents: [doc(`doc${current}abcdef`)] as DocumentList['documents'],
    current_page: current,
    last_page: last,
    per_page: 1,
    total: last,
    next_page_url,
    prev_page_url: null,
  };
}

describe('nextPage', () => {
  it('a next_page_url whose page is not an integer falls back on current_page + 1', () => {
    for (const url of [
      'https://x/documents?page=abc',
      'https://x/documents?page=2.5',
      'https://x/documents?per_page=1',
      'http://[bad/documents?page=7', // not a URL at all
    ]) {
      expect(nextPage(listPage(1, 3, url))).toBe(2);
      // On the last page, the same URL ends the walk.
      expect(nextPage(listPage(3, 3, url))).toBeUndefined();
    }
  });
});

describe('nextPage with a relative next_page_url', () => {
  it('reads its page number too', () => {
    expect(nextPage(listPage(1, 5, '/v3/documents?page=3'))).toBe(3);
  });
});

describe('documents.list iterated', () => {
  it('walks on by page number when next_page_url carries none, and asks only the base URL', async () => {
    const { client, requests } = fakeClient((request) => {
      const page = Number(new URL(request.url).searchParams.get('page') ?? 1);
      return jsonResponse(200, listPage(page, 3, page < 3 ? 'https://elsewhere.test/next' : null));
    });
    const ids: string[] = [];
    for await (const d of client.documents.list({ per_page: 1 })) ids.push(d.id);
    expect(ids).toEqual(['doc1abcdef', 'doc2abcdef', 'doc3abcdef']);
    expect(requests.map((r) => r.url)).toEqual([
      'https://api.example.test/v3/documents?per_page=1',
      'https://api.example.test/v3/documents?per_page=1&page=2',
      'https://api.example.test/v3/documents?per_page=1&page=3',
    ]);
  });
});
