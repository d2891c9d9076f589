// File types at their edges: the survivors of mutation testing (issue #18) in src/file-type.ts that are real
// behaviour. Each case fails if a signature check, a brand rule or the extension lookup is loosened.
import { describe, expect, it } from 'vitest';
import { extensionFor, mimeFromName, sniffMime } from '../../src/file-type.js';
import { acceptingUploads, BMP, heic, JPEG, PNG } from './helpers.js';

const sniff = (bytes: Buffer) => sniffMime(new Uint8Array(bytes));

describe('WEBP needs both RIFF and WEBP', () => {
  it('WEBP at bytes 8..12 without RIFF first is not an image', () => {
    expect(sniff(Buffer.from('RIFX\x24\x00\x00\x00WEBPVP8 ', 'latin1'))).toBeUndefined();
    expect(sniff(Buffer.from('\x00\x00\x00\x00\x24\x00\x00\x00WEBPVP8 ', 'latin1'))).toBeUndefined();
  });
});

describe('BMP needs BM, a known info-header size and its three zero bytes', () => {
  // Bytes 14..18 of a BMP: the info header's size, little-endian.
  const withSize = (start: string, size: number[]) =>
    Buffer.concat([Buffer.from(start.padEnd(14, '\x01'), 'latin1'), Buffer.from(size), Buffer.alloc(12, 1)]);

  it('a known size without BM is not a BMP', () => {
    expect(sniff(withSize('XY', [40, 0, 0, 0]))).toBeUndefined();
    expect(sniff(Buffer.alloc(32))).toBeUndefined(); // all zeros
  });

  it('BM and a known size byte, but a size over 255, is not a BMP', () => {
    expect(sniff(withSize('BM', [40, 1, 0, 0]))).toBeUndefined();
    expect(sniff(withSize('BM', [40, 0, 0, 1]))).toBeUndefined();
  });

  it('BM with an unknown size is not a BMP; with a known one it is', () => {
    expect(sniff(withSize('BM', [41, 0, 0, 0]))).toBeUndefined();
    expect(sniff(withSize('BM', [12, 0, 0, 0]))).toBe('image/bmp');
    expect(sniff(BMP)).toBe('image/bmp');
  });
});

describe('ISO-BMFF brands', () => {
  it('a HEIC major brand decides, even when an AVIF brand is listed too', () => {
    expect(sniff(heic('heic', ['mif1', 'avif']))).toBe('image/heic');
  });

  it('an AVIF major brand counts even when the compatible brands do not repeat it', () => {
    expect(sniff(heic('avif', ['mif1', 'miaf']))).toBe('image/avif');
  });

  it('brands are read up to the end of the ftyp box, not from the box after it', () => {
    // A 20-byte ftyp box (major mif1, compatible mif1), then a box whose bytes happen to spell "avif".
    const box = heic('mif1', ['mif1']);
    expect(box.readUInt32BE(0)).toBe(20);
    const next = Buffer.from('avifavifavifavif', 'latin1');
    expect(sniff(Buffer.concat([box, next]))).toBe('image/heic');
    // …while the same brand inside the box is read.
    expect(sniff(heic('mif1', ['mif1', 'avif']))).toBe('image/avif');
  });
});

describe('mimeFromName', () => {
  it('reads the last extension only', () => {
    expect(mimeFromName('scan.pdf.docx')).toBeUndefined();
    expect(mimeFromName('notes.pdf.txt')).toBeUndefined();
    expect(mimeFromName('archive.docx.pdf')).toBe('application/pdf');
  });

  it('names of Object.prototype members are no extension', () => {
    for (const name of ['a.constructor', 'a.toString', 'a.hasOwnProperty', 'a.valueOf']) {
      expect(mimeFromName(name)).toBeUndefined();
    }
  });
});

describe('the extension table', () => {
  // Every extension the table knows, with the type a name ending in it suggests (upload's error message says
  // "although its name suggests one" only for these).
  it.each([
    ['scan.pdf', 'application/pdf'],
    ['IMG_0001.JPG', 'image/jpeg'],
    ['photo.jpeg', 'image/jpeg'],
    ['page.png', 'image/png'],
    ['fax.tiff', 'image/tiff'],
    ['fax.tif', 'image/tiff'],
    ['IMG_0002.heic', 'image/heic'],
    ['IMG_0003.HEIF', 'image/heic'],
    ['note.gif', 'image/gif'],
    ['scan.bmp', 'image/bmp'],
    ['scan.dib', 'image/bmp'],
    ['photo.webp', 'image/webp'],
    ['photo.avif', 'image/avif'],
  ])('%s suggests %s', (name, mime) => {
    expect(mimeFromName(name)).toBe(mime);
  });

  // The name an upload without one is sent under: `document.<this>`.
  it.each([
    ['application/pdf', 'pdf'],
    ['image/jpeg', 'jpg'],
    ['image/png', 'png'],
    ['image/tiff', 'tiff'],
    ['image/heic', 'heic'],
    ['image/gif', 'gif'],
    ['image/bmp', 'bmp'],
    ['image/webp', 'webp'],
    ['image/avif', 'avif'],
  ] as const)('a %s without a name is sent as document.%s', (mime, ext) => {
    expect(extensionFor(mime)).toBe(ext);
  });

  it('an upload of JPEG or PNG bytes without a name is sent as document.jpg or document.png', async () => {
    const { client, forms } = acceptingUploads();
    await client.documents.upload({ file: new Uint8Array(JPEG), action: 'transcribe' });
    await client.documents.upload({ file: new Uint8Array(PNG), action: 'transcribe' });
    const files = forms.map((form) => form.get('file') as File);
    expect(files.map((file) => [file.name, file.type])).toEqual([
      ['document.jpg', 'image/jpeg'],
      ['document.png', 'image/png'],
    ]);
  });
});
