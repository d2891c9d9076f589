// `downloadToFile` and its sink (Node only, reached through io.ts; io.web.ts refuses it): the body goes to a temp
// file next to the target, synced, then renamed over it, so a reader never sees a half-written file.
import { checkFormat, checkId, must } from './checks.js';
import { checkedBody, type DocumentRef, fetchResult, refOf } from './download.js';
import { InvalidParamsError, LocalFileError } from './errors.js';
import type { Transport } from './transport.js';
import type { DownloadFormat, RequestOptions } from './types.js';

/**
 * Writes the result to `path` atomically: the bytes go to a temporary file in the same directory, which is
 * renamed over `path` once complete. The temp file is created before the request, so a path that cannot be
 * written fails before anything is sent; a failed, aborted or refused download leaves neither a partial file nor
 * the temp. Each attempt rewrites the temp file, so a connection dropped mid-body is retried like any GET.
 */
export async function downloadToFile(
  t: Transport,
  document: string | DocumentRef,
  format: DownloadFormat,
  path: string,
  options: RequestOptions | undefined,
): Promise<void> {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) {
    throw must('path', 'a file path');
  }
  const [id, action] = refOf(document);
  checkId(id);
  checkFormat(format, action);
  const sink = await fileSink(path);
  try {
    await fetchResult(t, id, format, options, async (response, _context, expect) =>
      sink.write(await checkedBody(response, format, expect)),
    );
    await sink.commit();
  } finally {
    await sink.discard();
  }
}

/** Where `downloadToFile` writes: a temp file next to `path`, renamed over it once complete. */
export interface FileSink {
  /** Writes a body to the temp file, from its start (each attempt rewrites it). */
  write(body: ReadableStream<Uint8Array>): Promise<void>;
  /** Renames the temp file over `path`. */
  commit(): Promise<void>;
  /** Closes and removes the temp file, if any. Never throws. */
  discard(): Promise<void>;
}

/**
 * A {@link FileSink} for `path`. The temp file is created here, before any request, in the same directory (a
 * rename within one filesystem is atomic): a path that is a directory or cannot be written is an
 * InvalidParamsError with nothing sent. It is synced before the rename makes it visible. A disk failure while
 * writing is a {@link LocalFileError} (never retried); a failure of the body is the network's, and is retried.
 */
export async function fileSink(path: string): Promise<FileSink> {
  const fs = await import('node:fs');
  const { dirname, basename, join, sep } = await import('node:path');
  const existing = await fs.promises.stat(path).catch(() => undefined);
  // A trailing separator names a directory, existing or not: the rename would fail after the download.
  if (existing?.isDirectory() || path.endsWith('/') || path.endsWith(sep)) {
    throw new InvalidParamsError(`${path} is a directory; downloadToFile needs a file path.`, 'path');
  }
  // Stryker disable next-line MethodExpression: uncut, the random part is only longer (and starts with "0.")
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  // The name's start only: the whole name plus the suffix could pass the filesystem's 255-byte limit.
  const temp = join(dirname(path), `.${basename(path).slice(0, 32)}.${suffix}.part`);
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await fs.promises.open(temp, 'wx', 0o644);
  } catch (err) {
    throw new InvalidParamsError(`Cannot write ${path}: ${(err as Error).message}`, 'path');
  }
  const disk = (err: unknown) =>
    new LocalFileError(`Writing ${path} failed: ${(err as Error).message}`, { cause: err });
  return {
    async write(body) {
      const reader = body.getReader();
      try {
        await handle.truncate(0);
        let position = 0;
        for (;;) {
          const { done, value } = await reader.read(); // network failures surface here, as connection errors
          if (done) break;
          await handle.write(value, 0, value.byteLength, position);
          position += value.byteLength;
        }
        await handle.sync(); // on disk before the rename makes it visible
      } catch (err) {
        await reader.cancel().catch(() => {});
        if (err instanceof Error && 'syscall' in err) throw disk(err);
        throw err;
      }
    },
    async commit() {
      try {
        await handle.close();
        await fs.promises.rename(temp, path);
      } catch (err) {
        throw disk(err);
      }
    },
    async discard() {
      // After commit the handle is closed already: a second close() resolves (or rejects, ignored here).
      await handle.close().catch(() => {});
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: rm's errors are ignored, so `force` changes nothing
      await fs.promises.rm(temp, { force: true }).catch(() => {});
    },
  };
}
