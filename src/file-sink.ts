// `downloadToFile`'s sink (Node only, reached through io.ts): the body goes to a temp file next to the target,
// synced, then renamed over it, so a reader never sees a half-written file.
import { LocalFailure } from './transport.js';

/** Where `downloadToFile` writes: a temp file next to `path`, renamed over it once complete. */
export interface FileSink {
  /** Writes a body to the temp file (from its start: each attempt rewrites it). */
  write(body: ReadableStream<Uint8Array>): Promise<void>;
  /** Renames the temp file over `path`. */
  commit(): Promise<void>;
  /** Removes the temp file, if any. Never throws. */
  discard(): Promise<void>;
}

/**
 * A {@link FileSink} for `path`. The temp file lives in the same directory (a rename within one filesystem is
 * atomic) and is synced before the rename makes it visible. Disk failures are wrapped in {@link LocalFailure}
 * so the transport rethrows them as they are, not as connection errors.
 */
export async function fileSink(path: string): Promise<FileSink> {
  const fs = await import('node:fs');
  const { dirname, basename, join } = await import('node:path');
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  const temp = join(dirname(path), `.${basename(path)}.${suffix}.part`);
  return {
    async write(body) {
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
    },
    commit: () => fs.promises.rename(temp, path),
    discard: () => fs.promises.rm(temp, { force: true }).catch(() => {}),
  };
}
