// downloadToFile's sink at its edges (src/file-sink.ts): the survivors of mutation testing (issue #18) that are
// real behaviour. Bad paths name the parameter, every chunk lands where it belongs, two downloads to one path do
// not collide, and a disk failure is a LocalFileError (not retried) that leaves nothing behind.
import { promises as fsp } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidParamsError, LocalFileError } from '../../src/index.js';
import { fakeClient } from './helpers.js';

const ID = 'abcde12345';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hwocr-sink-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

/** A 200 text answer whose body arrives as exactly these chunks. */
function text(chunks: string[]): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    }),
    { status: 200, headers: { 'content-type': 'text/plain' } },
  );
}

describe('a path that cannot be written is refused by name, nothing sent', () => {
  it.each([
    ['an existing directory', () => dir, /is a directory/],
    ['a path ending in a separator', () => join(dir, 'new-dir/'), /is a directory/],
    [
      'a path in a directory that does not exist',
      () => join(dir, 'missing', 'out.txt'),
      /^Cannot write .*ENOENT/,
    ],
  ])('%s', async (_name, path, message) => {
    const { client, requests } = fakeClient(() => text(['x']));
    const err = await client.documents.downloadToFile(ID, 'txt', path()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as InvalidParamsError).message).toMatch(message);
    expect((err as InvalidParamsError).param).toBe('path');
    expect(requests).toHaveLength(0);
  });
});

describe('writing', () => {
  it('every chunk is written after the one before it', async () => {
    const chunks = ['Dear Sir,\n', 'thank you for ', 'your letter of the 3rd', '.\n'];
    const { client } = fakeClient(() => text(chunks));
    const path = join(dir, 'out.txt');
    await client.documents.downloadToFile(ID, 'txt', path);
    expect(await readFile(path, 'utf8')).toBe(chunks.join(''));
    expect(await readdir(dir)).toEqual(['out.txt']);
  });

  it('two downloads to one path at once do not collide: each has its own temp file, the last one wins', async () => {
    let arrived = () => {};
    const firstArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release = () => {};
    const { client } = fakeClient((_request, n) => {
      if (n > 1) return text(['second']);
      arrived();
      return new Promise<Response>((resolve) => {
        release = () => resolve(text(['first']));
      });
    });
    const path = join(dir, 'out.txt');
    // The first download's temp file exists from before its request until it is renamed.
    const first = client.documents.downloadToFile(ID, 'txt', path);
    await firstArrived;
    await client.documents.downloadToFile(ID, 'txt', path);
    expect(await readFile(path, 'utf8')).toBe('second');
    release();
    await first;
    expect(await readFile(path, 'utf8')).toBe('first');
    expect(await readdir(dir)).toEqual(['out.txt']);
  });
});

describe('a disk failure is a LocalFileError: not retried, nothing left behind', () => {
  it('when the file cannot be renamed into place (a directory took its name meanwhile)', async () => {
    const path = join(dir, 'out.txt');
    const { client, requests } = fakeClient(async () => {
      await mkdir(path);
      return text(['Dear Sir']);
    });
    const err = await client.documents.downloadToFile(ID, 'txt', path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalFileError);
    expect((err as Error).message).toMatch(new RegExp(`^Writing ${path} failed: E[A-Z]+`));
    expect(((err as Error).cause as NodeJS.ErrnoException).syscall).toBe('rename');
    expect(requests).toHaveLength(1);
    expect(await readdir(dir)).toEqual(['out.txt']); // the directory; no temp file
  });

  it('when the disk is full', async () => {
    // The disk fails (ENOSPC) on write; the file is opened for real, so the temp file exists until discarded.
    const open = fsp.open;
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof open>) => {
      const handle = await open(...args);
      handle.write = (async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
          errno: -28,
          syscall: 'write',
        });
      }) as never;
      return handle;
    });
    const { client, requests } = fakeClient(() => text(['Dear Sir']), { maxRetries: 2 });
    const path = join(dir, 'out.txt');
    const err = await client.documents.downloadToFile(ID, 'txt', path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalFileError);
    expect((err as Error).message).toBe(`Writing ${path} failed: ENOSPC: no space left on device, write`);
    expect(((err as Error).cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(requests).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });
});
