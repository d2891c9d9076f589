// Uploads from paths and fs.ReadStreams at their edges: the survivors of mutation testing (issue #18) in src/io.ts
// that are real behaviour: the refusals before anything is sent, the size check of a ReadStream, the body a path
// becomes (with and without fs.openAsBlob), and no file handle left open.
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/checks.js';
import {
  client,
  fakeClient,
  formOf,
  jsonResponse,
  PDF,
  refusedUpload,
  startServer,
  type TestServer,
} from './helpers.js';

// Runtimes without fs.openAsBlob (older Node, some of Deno's and Bun's): `noOpenAsBlob` hides it from io.ts.
const runtime = vi.hoisted(() => ({ noOpenAsBlob: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openAsBlob = (...args: Parameters<typeof fs.openAsBlob>) => fs.openAsBlob(...args);
  return {
    ...fs,
    get openAsBlob() {
      return runtime.noOpenAsBlob ? undefined : openAsBlob;
    },
  };
});

const UPLOADED = { id: 'abcde12345', status: 'queued' };

let dir: string;
let server: TestServer | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hwocr-mutation-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  runtime.noOpenAsBlob = false;
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

/** A sparse file of `size` bytes (no disk used for the zeros) with `head` written at `at`. */
async function sparse(name: string, size: number, head: Uint8Array, at: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, '');
  await truncate(path, size);
  const handle = await open(path, 'r+');
  try {
    await handle.write(head, 0, head.length, at);
  } finally {
    await handle.close();
  }
  return path;
}

describe('a path that is no file is refused, nothing sent', () => {
  it('an empty path', async () => {
    expect((await refusedUpload('')).message).toBe('file path is empty.');
  });

  it('a path that does not exist: the path and the reason', async () => {
    const path = join(dir, 'missing.pdf');
    const err = await refusedUpload(path);
    expect(err.message).toMatch(/^Cannot read .+: ENOENT: no such file or directory/);
    expect(err.message.startsWith(`Cannot read ${path}: `)).toBe(true);
  });

  it('a directory', async () => {
    const path = join(dir, 'folder.pdf');
    await mkdir(path);
    expect((await refusedUpload(path)).message).toBe(`${path} is not a file.`);
  });
});

describe('an fs.ReadStream is sized before a byte is sent', () => {
  it('a file over 20 MB is refused with its size', async () => {
    const path = await sparse('big.pdf', MAX_FILE_BYTES + 1024 * 1024, PDF, 0);
    const stream = createReadStream(path);
    try {
      const err = await refusedUpload(stream);
      expect(err.message).toBe('The file is 21.0 MB; the API accepts at most 20 MB.');
    } finally {
      stream.destroy();
    }
  });

  it('a ReadStream from a `start` is judged by what it reads, not by the whole file', async () => {
    const size = MAX_FILE_BYTES + 1024 * 1024;
    const tail = Buffer.concat([PDF, Buffer.from('the end\n')]);
    const path = await sparse('big-tail.pdf', size, tail, size - tail.length);
    const forms: FormData[] = [];
    const { client: c } = fakeClient(async (request) => {
      forms.push(await request.formData());
      return jsonResponse(201, UPLOADED);
    });
    await c.documents.upload({
      file: createReadStream(path, { start: size - tail.length }),
      action: 'transcribe',
    });
    const file = (forms[0] as FormData).get('file') as File;
    expect(file.name).toBe('big-tail.pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(tail)).toBe(true);
  });

  it('a stream whose `path` cannot be read is refused', async () => {
    const stream = Readable.from([PDF]);
    Object.defineProperty(stream, 'path', {
      get() {
        throw new Error('no path here');
      },
    });
    expect((await refusedUpload(stream)).message).toBe('file could not be read.');
  });
});

describe('the body a path becomes', () => {
  it('a disk-backed Blob: fetch sends it with its Content-Length', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify(UPLOADED));
    });
    const path = join(dir, 'letter.pdf');
    await writeFile(path, PDF);
    await client(server.url).documents.upload({ file: path, action: 'transcribe' });
    const seen = server.requests[0];
    expect(seen?.headers['content-length']).toBe(String(seen?.body.length));
    expect(seen?.headers['transfer-encoding']).toBeUndefined();
    const file = (await formOf(seen as never)).get('file') as File;
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('without fs.openAsBlob: streamed from disk, and sent again whole on a retry', async () => {
    runtime.noOpenAsBlob = true;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const path = join(dir, 'scan.pdf');
    const content = Buffer.concat([PDF, Buffer.alloc(100_000, 0x20)]);
    await writeFile(path, content);
    const files: Buffer[] = [];
    let first: () => void = () => {};
    const firstSeen = new Promise<void>((resolve) => {
      first = resolve;
    });
    const { client: c, requests } = fakeClient(async (request) => {
      const file = (await request.formData()).get('file') as File;
      files.push(Buffer.from(await file.arrayBuffer()));
      if (files.length === 1) {
        first();
        return jsonResponse(429, { message: 'Too many requests' }, { 'retry-after': '0' });
      }
      return jsonResponse(201, UPLOADED);
    });
    const upload = c.documents.upload({ file: path, action: 'transcribe' }, { maxRetries: 1 });
    await Promise.race([firstSeen, upload.catch(() => {})]); // the first attempt, or a failure before it
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(upload).resolves.toEqual(UPLOADED);
    expect(requests).toHaveLength(2);
    expect(requests[0]?.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    expect(files.map((f) => f.equals(content))).toEqual([true, true]);
  });
});

describe('no file handle is left open', () => {
  it('uploading a path many times does not grow the open file descriptors', async () => {
    const path = join(dir, 'again.pdf');
    await writeFile(path, PDF);
    const { client: c } = fakeClient(() => jsonResponse(201, UPLOADED));
    const fdDir = existsSync('/proc/self/fd') ? '/proc/self/fd' : '/dev/fd'; // Linux, or macOS and the BSDs
    const fds = () => readdirSync(fdDir).length;
    await c.documents.upload({ file: path, action: 'transcribe' }); // warm up (lazy imports, pools)
    const before = fds();
    for (let i = 0; i < 20; i++) await c.documents.upload({ file: path, action: 'transcribe' });
    expect(fds() - before).toBeLessThan(5);
  });
});
