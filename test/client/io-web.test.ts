// io.web.ts: the main entry's `./io.js` where there is no filesystem (browsers, Workers). tsup builds
// dist/index.web.* with it, and package.json gives that build to every runtime without the `node` condition;
// `npm run check:package` drives the built client through a browser bundle. Here the module itself.
import { describe, expect, it } from 'vitest';
import { InvalidParamsError } from '../../src/errors.js';
import { guard as nodeGuard } from '../../src/io.js';
import { fileSink, guard, prepareIo } from '../../src/io.web.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

describe('without a filesystem (io.web.ts)', () => {
  it('refuses a path with InvalidParamsError saying it needs a filesystem', async () => {
    const err = await prepareIo('./letter.png', [], undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect(err).toMatchObject({ param: 'file', message: expect.stringMatching(/needs a filesystem/) });
  });

  it('refuses downloadToFile with InvalidParamsError saying it needs a filesystem', async () => {
    const err = await fileSink('./out.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect(err).toMatchObject({
      param: 'path',
      message: expect.stringMatching(/downloadToFile needs a filesystem/),
    });
  });

  it('still uploads a web ReadableStream, as a streamed multipart body', async () => {
    const file = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(PNG);
        controller.close();
      },
    });
    const upload = await prepareIo(file, [['action', 'transcribe']], 'note.png');
    const { body, contentType } = upload.body();
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    const text = await new Response(body).text();
    expect(text).toContain('name="action"\r\n\r\ntranscribe\r\n');
    expect(text).toContain('filename="note.png"\r\nContent-Type: image/png');
  });

  it('hands responses back as they are: the guard for the fetch of Node (a body re-wrapped for uploads) is not in this build', () => {
    const upload = new Request('https://api.example/v3/documents', { method: 'POST', redirect: 'error' });
    const response = new Response('{}', { status: 201 });
    expect(guard(response, upload)).toBe(response);
    // Under the `node` condition the same upload response gets a body that an abort always reaches.
    expect(nodeGuard(new Response('{}', { status: 201 }), upload)).not.toBe(response);
  });
});
