// Page thumbnails: a GET outside the spec's paths, sent with the token, so only ever to the API's own origin.
import { parseJson } from './download.js';
import { InvalidParamsError } from './errors.js';
import type { Answer, Transport } from './transport.js';
import type { RequestOptions, Thumbnail } from './types.js';

/**
 * Fetches a thumbnail (a `document.thumbnails[n]` or its `url`, resolved against the base URL). A URL on another
 * origin is refused with InvalidParamsError before anything is sent: the token goes to the API's origin only.
 */
export async function fetchThumbnail(
  t: Transport,
  thumbnail: Thumbnail | string,
  options: RequestOptions | undefined,
): Promise<Uint8Array> {
  const raw = typeof thumbnail === 'string' ? thumbnail : thumbnail?.url;
  const base = `${t.baseUrl}/`;
  if (typeof raw !== 'string' || raw === '' || !URL.canParse(raw, base)) {
    const shown = typeof raw === 'string' ? JSON.stringify(raw) : `(a ${typeof raw})`;
    throw new InvalidParamsError(`The thumbnail URL ${shown} is not a URL.`, 'url');
  }
  const url = new URL(raw, base);
  if (url.origin !== t.origin) {
    throw new InvalidParamsError(
      `Refusing to send the API token to ${url.origin}: a thumbnail is fetched only from ${t.origin}.`,
      'url',
    );
  }
  const { data } = await t.run(
    { method: 'GET', path: url.pathname, retry: 'idempotent' },
    options,
    async (init): Promise<Answer<Uint8Array>> => {
      const response = await t.fetchUrl(url, init);
      if (!response.ok) return { error: parseJson(await response.text()), response };
      return { data: new Uint8Array(await response.arrayBuffer()), response };
    },
  );
  return data ?? new Uint8Array(0);
}
