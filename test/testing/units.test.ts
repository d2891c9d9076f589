import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import readXlsxFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { makeSampleNote, TRANSCRIPT } from '../../scripts/make-sample.js';
import { countPages, pngText, sniffMediaType } from '../../src/testing/filetypes.js';
import { buildXlsx, xmlEscape } from '../../src/testing/ooxml.js';
import { thumbnailJpeg } from '../../src/testing/thumbnail.js';
import { isoSeconds, isoTimestamp, sqlTimestamp } from '../../src/testing/time.js';
import { conforming, conformingSchema } from './helpers/conformance.js';
import { demoPng, MAGIC, makePdf } from './helpers/fixtures.js';

const png = (chunks: [string, Uint8Array][]): Uint8Array => {
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  for (const [type, data] of chunks) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length);
    head.write(type, 4, 'latin1');
    parts.push(head, Buffer.from(data), Buffer.alloc(4)); // CRC not checked by the reader
  }
  return Buffer.concat(parts);
};

describe('file types', () => {
  it('sniffs magic bytes', () => {
    expect(sniffMediaType(makePdf(1))).toBe('application/pdf');
    expect(sniffMediaType(demoPng())).toBe('image/png');
    expect(sniffMediaType(MAGIC.jpeg)).toBe('image/jpeg');
    expect(sniffMediaType(MAGIC.tiff)).toBe('image/tiff');
    expect(sniffMediaType(MAGIC.tiffBigEndian)).toBe('image/tiff');
    expect(sniffMediaType(MAGIC.gif)).toBe('image/gif');
    expect(sniffMediaType(MAGIC.heic)).toBe('image/heic');
    expect(sniffMediaType(new TextEncoder().encode('PK\x03\x04'))).toBeUndefined();
    expect(sniffMediaType(new Uint8Array())).toBeUndefined();
    expect(sniffMediaType(MAGIC.bmp)).toBe('image/bmp');
    expect(sniffMediaType(MAGIC.webp)).toBe('image/webp');
    expect(sniffMediaType(MAGIC.avif)).toBe('image/avif');
    const mp4 = Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom\0\0\0\0isommp41')]);
    expect(sniffMediaType(mp4)).toBeUndefined();
  });

  it('counts PDF pages, falling back to /Count, at least one', () => {
    expect(countPages(makePdf(1), 'application/pdf')).toBe(1);
    expect(countPages(makePdf(7), 'application/pdf')).toBe(7);
    const hidden = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type/Pages /Count 12 >> endobj');
    expect(countPages(hidden, 'application/pdf')).toBe(12);
    expect(countPages(new TextEncoder().encode('%PDF-1.7\n'), 'application/pdf')).toBe(1);
    expect(countPages(MAGIC.gif, 'image/gif')).toBe(1);
  });

  it('reads tEXt, zTXt and iTXt chunks by keyword', () => {
    const latin1 = (s: string) => Buffer.from(s, 'latin1');
    const file = png([
      ['tEXt', latin1('Author\0Ada')],
      ['zTXt', Buffer.concat([latin1('Note\0\0'), deflateSync(latin1('zipped'))])],
      ['iTXt', Buffer.concat([latin1('Transcript\0\0\0en\0\0'), Buffer.from('ünïcode ✓', 'utf8')])],
      ['IEND', new Uint8Array()],
    ]);
    expect(pngText(file, 'Author')).toBe('Ada');
    expect(pngText(file, 'Note')).toBe('zipped');
    expect(pngText(file, 'Transcript')).toBe('ünïcode ✓');
    expect(pngText(file, 'Missing')).toBeUndefined();
    expect(pngText(makePdf(1), 'Transcript')).toBeUndefined();
  });
});

describe('the sample note', () => {
  it('is the generator output: a small PNG with the transcript chunk', () => {
    const committed = readFileSync(new URL('../../examples/sample-note.png', import.meta.url));
    expect(committed.equals(Buffer.from(makeSampleNote()))).toBe(true);
    expect(committed.length).toBeLessThan(20 * 1024);
    expect(committed.readUInt32BE(16)).toBe(400);
    expect(committed.readUInt32BE(20)).toBe(120);
    expect(pngText(committed, 'Transcript')).toBe(TRANSCRIPT);
  });
});

describe('thumbnails', () => {
  it('are baseline JPEGs of 64×88 whose pattern varies by page', () => {
    const jpeg = thumbnailJpeg(1);
    expect([...jpeg.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
    const sof = Buffer.from(jpeg).indexOf(Buffer.from([0xff, 0xc0]));
    expect(Buffer.from(jpeg).readUInt16BE(sof + 5)).toBe(88);
    expect(Buffer.from(jpeg).readUInt16BE(sof + 7)).toBe(64);
    expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect(Buffer.from(thumbnailJpeg(2)).equals(Buffer.from(jpeg))).toBe(false);
  });
});

describe('OOXML', () => {
  it('escapes markup and drops characters XML cannot hold', () => {
    expect(xmlEscape('a<b>&"c"\u0001\u0007\tz')).toBe('a&lt;b&gt;&amp;&quot;c&quot;\tz');
  });

  it('sanitizes and de-duplicates sheet names; writes an empty sheet for no sheets', async () => {
    const book = buildXlsx([
      { name: 'Q1: [draft]/final?', rows: [['x']] },
      { name: 'q1: [DRAFT]/final?', rows: [[true, null, 1.5]] },
      { name: 'a'.repeat(40), rows: [] },
    ]);
    const sheets = await readXlsxFile(Buffer.from(book));
    expect(sheets.map((s) => s.sheet)).toEqual([
      'Q1   draft  final',
      'q1   DRAFT  final (2)',
      'a'.repeat(31),
    ]);
    expect(sheets[1]?.data).toEqual([[true, null, 1.5]]);
    expect(await readXlsxFile(Buffer.from(buildXlsx([])))).toEqual([{ sheet: 'Sheet1', data: [] }]);
  });
});

describe('timestamps', () => {
  it('formats the API shapes', () => {
    const t = Date.parse('2026-03-05T14:49:19.123Z');
    expect(isoTimestamp(t)).toBe('2026-03-05T14:49:19.123000Z');
    expect(sqlTimestamp(t)).toBe('2026-03-05 14:49:19');
    expect(isoSeconds(t)).toBe('2026-03-05T14:49:19Z');
  });
});

describe('the conformance helper', () => {
  it('rejects undocumented statuses, content types and bodies', async () => {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json', ...headers },
      });
    await expect(conforming('GET /users/me', json(500, { message: 'x' }))).rejects.toThrow(
      /status 500 is not documented/,
    );
    await expect(conforming('GET /users/me', json(200, { id: 'x' }))).rejects.toThrow(
      /must have required property 'email'/,
    );
    await expect(
      conforming(
        'GET /users/me',
        new Response('{}', { status: 200, headers: { 'content-type': 'text/html' } }),
      ),
    ).rejects.toThrow(/content-type "text\/html" is not one of application\/json/);
    await expect(
      conforming('GET /documents', json(429, { message: 'slow down' }, { 'retry-after': 'soon' })),
    ).rejects.toThrow(/header Retry-After/);
    await expect(
      conforming('GET /documents/{id}', json(200, { id: 'x', status: 'processed', action: 'summarize' })),
    ).rejects.toThrow(/must match exactly one schema in oneOf/);
    expect(() => conformingSchema('Thumbnail', { page_number: 1, url: 'not a uri' })).toThrow();
  });
});
