// What the API accepts, judged by a file's first bytes like the real service does (never by its name).
import { unzlibSync } from 'fflate';

/** A media type the API accepts. */
export type SupportedMediaType =
  | 'application/pdf'
  | 'image/jpeg'
  | 'image/png'
  | 'image/tiff'
  | 'image/heic'
  | 'image/gif';

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0): boolean =>
  sig.every((b, i) => bytes[at + i] === b);

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

// ISO-BMFF brands of HEIF/HEIC files (the `ftyp` box at offset 4).
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** The media type of a file by its magic bytes, or `undefined` when the API would refuse it (415). */
export function sniffMediaType(bytes: Uint8Array): SupportedMediaType | undefined {
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return 'image/tiff';
  }
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('ftyp'), 4)) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (HEIC_BRANDS.has(brand)) return 'image/heic';
  }
  return undefined;
}

/**
 * Pages of a file: images count as one; a PDF as its `/Type /Page` objects (or the largest `/Count` of its
 * page tree when the objects are hidden in compressed streams), at least one.
 */
export function countPages(bytes: Uint8Array, mediaType: SupportedMediaType): number {
  if (mediaType !== 'application/pdf') return 1;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const pages = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  if (pages > 0) return pages;
  const counts = Array.from(text.matchAll(/\/Count\s+(\d+)/g), (m) => Number(m[1]));
  return Math.max(1, ...counts);
}

const readUint32 = (b: Uint8Array, at: number): number =>
  (b[at] ?? 0) * 0x1000000 + (b[at + 1] ?? 0) * 0x10000 + (b[at + 2] ?? 0) * 0x100 + (b[at + 3] ?? 0);

/**
 * The text of a PNG's `tEXt` (Latin-1), `zTXt` or `iTXt` (UTF-8) chunk with the given keyword.
 * The simulator's default transcription reads the keyword `Transcript`.
 */
export function pngText(bytes: Uint8Array, keyword: string): string | undefined {
  if (sniffMediaType(bytes) !== 'image/png') return undefined;
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = readUint32(bytes, at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length));
    if (type === 'IEND') break;
    const text = chunkText(type, data, keyword);
    if (text !== undefined) return text;
    at += 12 + length;
  }
  return undefined;
}

function chunkText(type: string, data: Uint8Array, keyword: string): string | undefined {
  if (type !== 'tEXt' && type !== 'zTXt' && type !== 'iTXt') return undefined;
  const nul = data.indexOf(0);
  if (nul < 0 || Buffer.from(data.subarray(0, nul)).toString('latin1') !== keyword) return undefined;
  const rest = data.subarray(nul + 1);
  try {
    if (type === 'tEXt') return Buffer.from(rest).toString('latin1');
    if (type === 'zTXt') return Buffer.from(unzlibSync(rest.subarray(1))).toString('latin1');
    // iTXt: compression flag, method, language tag\0, translated keyword\0, text.
    const compressed = rest[0] === 1;
    const langEnd = rest.indexOf(0, 2);
    const transEnd = rest.indexOf(0, langEnd + 1);
    if (langEnd < 0 || transEnd < 0) return undefined;
    const body = rest.subarray(transEnd + 1);
    return Buffer.from(compressed ? unzlibSync(body) : body).toString('utf8');
  } catch {
    return undefined;
  }
}
