// Downloading results: whole (typed by format), as a stream, or to a file written atomically.
import { checkFormat, checkId } from './checks.js';
import { NotReadyError } from './errors.js';
import { FORMAT_BODY } from './formats.js';
import { parseRetryAfter } from './retry-after.js';
import { type Answer, type AttemptInit, LocalFailure, type Transport } from './transport.js';
import type { Action, DocumentResult, DownloadFormat, PendingDocument, RequestOptions } from './types.js';

/** Downloads the whole result; the value's type follows the format (see `DownloadResult`). */
export async function downloadWhole(
  t: Transport,
  id: string,
  format: DownloadFormat,
  action: Action | undefined,
  options: RequestOptions | undefined,
): Promise<string | Uint8Array | DocumentResult> {
  checkId(id);
  checkFormat(format, action);
  const kind = FORMAT_BODY[format];
  const spec = { method: 'GET', path: `/documents/${id}.${format}`, retry: 'idempotent' } as const;
  if (kind === 'bytes') {
    const { data, response } = await t.run(spec, options, (init) =>
      t.api.GET('/documents/{id}.{format}', {
        params: { path: { id, format } },
        parseAs: 'arrayBuffer',
        ...init,
      }),
    );
    if (response.status === 202) throw notReady(id, response, new TextDecoder().decode(data));
    return new Uint8Array(data ?? new ArrayBuffer(0));
  }
  const { data, response } = await t.run(
    spec,
    options,
    async (init): Promise<Answer<string | DocumentResult>> => {
      const answer = await t.api.GET('/documents/{id}.{format}', {
        params: { path: { id, format } },
        parseAs: 'text',
        ...init,
      });
      // Parsed inside the attempt, so a body that is not JSON is reported by the transport like any bad answer.
      if (kind === 'json' && answer.response.ok && answer.response.status !== 202) {
        return { response: answer.response, data: JSON.parse(answer.data ?? '') as DocumentResult };
      }
      return answer;
    },
  );
  if (response.status === 202) throw notReady(id, response, typeof data === 'string' ? data : undefined);
  return data ?? '';
}

/**
 * Opens the result as a web `ReadableStream` of bytes. The timeout covers the wait for the response headers;
 * the caller's signal can still abort the body.
 */
export async function downloadStream(
  t: Transport,
  id: string,
  format: DownloadFormat,
  action: Action | undefined,
  options: RequestOptions | undefined,
): Promise<ReadableStream<Uint8Array>> {
  checkId(id);
  checkFormat(format, action);
  const { data, response } = await t.run(
    { method: 'GET', path: `/documents/${id}.${format}`, retry: 'idempotent', streaming: true },
    options,
    (init) =>
      t.api.GET('/documents/{id}.{format}', { params: { path: { id, format } }, parseAs: 'stream', ...init }),
  );
  if (response.status === 202)
    throw notReady(id, response, data ? await new Response(data).text() : undefined);
  return data ?? new ReadableStream({ start: (c) => c.close() });
}

/**
 * Writes the result to `path` atomically: the bytes go to a temporary file in the same directory, which is
 * renamed over `path` once complete. A failed or aborted download leaves neither a partial file nor the temp.
 * Each attempt restarts the temp file, so a connection dropped mid-body is retried like any GET.
 */
export async function downloadToFile(
  t: Transport,
  id: string,
  format: DownloadFormat,
  path: string,
  action: Action | undefined,
  options: RequestOptions | undefined,
): Promise<void> {
  checkId(id);
  checkFormat(format, action);
  const fs = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs');
  const { dirname, basename, join } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:path');
  const temp = join(dirname(path), `.${basename(path)}.${Date.now().toString(36)}${randomSuffix()}.part`);
  const send = async (init: AttemptInit): Promise<Answer<string>> => {
    const answer = await t.api.GET('/documents/{id}.{format}', {
      params: { path: { id, format } },
      parseAs: 'stream',
      ...init,
    });
    if (!answer.response.ok) return { error: answer.error, response: answer.response }; // mapped by the transport
    const body = answer.data ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    if (answer.response.status === 202) {
      // A 202: read its small body here, while the attempt's signal still guards the read.
      return { response: answer.response, data: await new Response(body).text() };
    }
    await writeBody(fs, body, temp);
    return { response: answer.response, data: undefined };
  };
  try {
    const { data, response } = await t.run(
      { method: 'GET', path: `/documents/${id}.${format}`, retry: 'idempotent' },
      options,
      send,
    );
    if (response.status === 202) throw notReady(id, response, data);
    await fs.promises.rename(temp, path);
  } finally {
    await fs.promises.rm(temp, { force: true }).catch(() => {});
  }
}

async function writeBody(fs: typeof import('node:fs'), body: ReadableStream<Uint8Array>, temp: string) {
  const reader = body.getReader();
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await fs.promises.open(temp, 'w', 0o644);
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw new LocalFailure(err);
  }
  try {
    for (;;) {
      const { done, value } = await reader.read(); // network failures surface here, as connection errors
      if (done) break;
      try {
        await handle.write(value);
      } catch (err) {
        await reader.cancel().catch(() => {});
        throw new LocalFailure(err);
      }
    }
    try {
      await handle.sync(); // on disk before the rename makes it visible
    } catch (err) {
      throw new LocalFailure(err);
    }
  } finally {
    await handle.close().catch(() => {});
  }
}

function notReady(id: string, response: Response, text: string | undefined): NotReadyError {
  return new NotReadyError(id, parseRetryAfter(response.headers.get('retry-after')), parsePending(text));
}

/** The 202 body, when it is the JSON object the spec describes; the API may send less, or nothing. */
export function parsePending(text: string | undefined): PendingDocument | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as PendingDocument)
      : undefined;
  } catch {
    return undefined;
  }
}

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 10);
}
