// A page promise that is also an async iterable over every item of every page, one page in memory at a time.
import type { Document, DocumentList } from './types.js';

/**
 * The first page, as a promise; iterate it with `for await` to walk every document of every page in order.
 * Each further page is requested only when the previous one is used up.
 *
 * @example
 * ```ts
 * const first = await client.documents.list({ per_page: 50 }); // one page
 * for await (const doc of client.documents.list()) console.log(doc.id); // every page
 * ```
 */
export type PagePromise<Page, Item> = Promise<Page> & AsyncIterable<Item>;

/** Makes {@link PagePromise} from the first page's promise and a way to fetch page `n`. */
export function documentPages(
  first: Promise<DocumentList>,
  fetchPage: (page: number) => Promise<DocumentList>,
): PagePromise<DocumentList, Document> {
  const iterate = async function* (): AsyncGenerator<Document, void, undefined> {
    let page = await first;
    for (;;) {
      yield* page.documents;
      const next = nextPage(page);
      if (next === undefined) return;
      page = await fetchPage(next);
    }
  };
  return Object.assign(first, { [Symbol.asyncIterator]: iterate });
}

/**
 * The number of the page after `page`, or `undefined` after the last one. Follows `next_page_url`'s `page`
 * parameter, else `current_page < last_page`; only the number is used, never the URL itself, so the token
 * goes nowhere but the configured base URL. Stops on an empty page or a page number that does not advance.
 */
export function nextPage(page: DocumentList): number | undefined {
  if (page.documents.length === 0) return undefined;
  let next: number | undefined;
  if (page.next_page_url) {
    const fromUrl = Number(pageParam(page.next_page_url) ?? Number.NaN);
    if (Number.isInteger(fromUrl)) next = fromUrl;
  }
  if (next === undefined && page.current_page < page.last_page) next = page.current_page + 1;
  return next !== undefined && next > page.current_page ? next : undefined;
}

function pageParam(url: string): string | null {
  const base = 'http://localhost';
  return URL.canParse(url, base) ? new URL(url, base).searchParams.get('page') : null;
}
