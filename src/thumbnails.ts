// Page thumbnails: a GET outside the spec's paths, sent with the token, so only ever to URLs under the API's root.
import { readProps, show } from './checks.js';
import { InvalidParamsError } from './errors.js';
import { parseJson, unexpected } from './responses.js';
import type { Transport } from './transport.js';
import type { RequestOptions, Thumbnail } from './types.js';

/**
 * Fetches a thumbnail (a `document.thumbnails[n]` or its `url`, resolved against the base URL). A URL that is not
 * under the base URL (another origin, or the same origin outside its path, e.g. `../../admin`) is refused with
 * InvalidParamsError before anything is sent: the token goes to the API only.
 */
export async function fetchThumbnail(
  t: Transport,
  thumbnail: Thumbnail | string,
  options: RequestOptions | undefined,
): Promise<Uint8Array> {
  const raw =
    typeof thumbnail === 'object' && thumbnail !== null
      ? readProps(thumbnail, 'thumbnail', ['url']).url
      : thumbnail;
  const base = `${t.baseUrl}/`;
  if (typeof raw !== 'string' || raw === '' || !URL.canParse(raw, base)) {
    throw new InvalidParamsError(`Not a thumbnail URL: ${show(raw)}.`, 'url');
  }
  const url = new URL(raw, base);
  // URL parsing has resolved `..` and `%2e%2e` segments by now, so a prefix test on the path is exact.
  if (
    url.origin !== t.origin ||
    !url.pathname.startsWith(new URL(base).pathname) ||
    url.username ||
    url.password
  ) {
    throw new InvalidParamsError(
      `Refusing to send the API token to ${url.origin}${url.pathname}: a thumbnail is fetched only from under ${base}.`,
      'url',
    );
  }
  const { data } = await t.run(
    {
      method: 'GET',
      path: url.pathname,
      // Stryker disable next-line StringLiteral: shouldRetry takes any rule but never/rejected-only as this one
      retry: 'idempotent',
    },
    options,
    async (init) => {
      const response = await t.fetchUrl(url, init);
      return { response, error: response.ok ? undefined : parseJson(await response.text()) };
    },
    async (response, { scrub }) => {
      const type = response.headers.get('content-type') ?? '';
      if (/^\s*(text\/html|application\/json)/i.test(type)) {
        throw unexpected(response, `a ${type} body, not an image`, { call: `GET ${url.pathname}`, scrub });
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  );
  return data;
}
