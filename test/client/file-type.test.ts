import { describe, expect, it } from 'vitest';
import { mimeFromName, sniffMime } from '../../src/file-type.js';
import { BMP, GIF, heic, JPEG, PDF, PNG, TIFF_BE, TIFF_LE, WEBP } from './helpers.js';

describe('sniffMime', () => {
  it.each([
    ['PDF', PDF, 'application/pdf'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['PNG', PNG, 'image/png'],
    ['TIFF LE', TIFF_LE, 'image/tiff'],
    ['TIFF BE', TIFF_BE, 'image/tiff'],
    ['GIF89a', GIF, 'image/gif'],
    ['GIF87a', Buffer.from('GIF87a..', 'latin1'), 'image/gif'],
    ['HEIC (heic)', heic('heic'), 'image/heic'],
    ['HEIC (heix)', heic('heix'), 'image/heic'],
    ['HEIC (mif1)', heic('mif1', ['mif1']), 'image/heic'],
    ['HEIC (msf1)', heic('msf1', ['msf1']), 'image/heic'],
    ['HEIC (hevc)', heic('hevc', ['hevc']), 'image/heic'],
    ['HEIC by compatible brand', heic('MiHE', ['MiHE', 'heic']), 'image/heic'],
    ['BMP (BITMAPINFOHEADER)', BMP, 'image/bmp'],
    ['BMP (V5 header)', Buffer.concat([BMP.subarray(0, 14), Buffer.from([124, 0, 0, 0])]), 'image/bmp'],
    ['WEBP', WEBP, 'image/webp'],
    ['AVIF', heic('avif', ['avif', 'mif1', 'miaf']), 'image/avif'],
    ['AVIF sequence', heic('avis', ['avis', 'msf1']), 'image/avif'],
    ['AVIF by compatible brand (major mif1)', heic('mif1', ['mif1', 'avif']), 'image/avif'],
  ] as const)('%s', (_name, bytes, mime) => {
    expect(sniffMime(new Uint8Array(bytes))).toBe(mime);
  });

  it.each([
    ['ZIP/DOCX', Buffer.from('PK\x03\x04', 'latin1')],
    ['text starting with BM', Buffer.from('BM is not a bitmap header, just text')],
    ['BMP signature, truncated', BMP.subarray(0, 10)],
    ['RIFF that is not WEBP (WAV)', Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1')],
    ['ftyp box too short', Buffer.from('\x00\x00\x00\x08ftyp', 'latin1')],
    ['MP4', heic('isom', ['isom', 'mp41'])],
    ['text', Buffer.from('hello')],
    ['truncated PNG', PNG.subarray(0, 4)],
    ['GIF90a', Buffer.from('GIF90a', 'latin1')],
    ['empty', Buffer.alloc(0)],
  ])('not %s', (_name, bytes) => {
    expect(sniffMime(new Uint8Array(bytes))).toBeUndefined();
  });
});

describe('mimeFromName', () => {
  it('maps the accepted extensions, case-insensitively', () => {
    expect(mimeFromName('a.PDF')).toBe('application/pdf');
    expect(mimeFromName('a.jpeg')).toBe('image/jpeg');
    expect(mimeFromName('a.tif')).toBe('image/tiff');
    expect(mimeFromName('IMG.HEIC')).toBe('image/heic');
    expect(mimeFromName('scan.BMP')).toBe('image/bmp');
    expect(mimeFromName('photo.webp')).toBe('image/webp');
    expect(mimeFromName('photo.avif')).toBe('image/avif');
    expect(mimeFromName('a.docx')).toBeUndefined();
    expect(mimeFromName('pdf')).toBeUndefined();
  });
});
