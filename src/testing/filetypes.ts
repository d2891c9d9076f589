// What the API accepts, judged by a file's first bytes like the real service does (never by its name), with the
// client's sniffer; and what the simulator reads from a file: PDF pages, PNG text chunks.
import { inflateSync } from 'node:zlib';
import { type AcceptedMime, sniffMime } from '../file-type.js';

/** A media type the API accepts. */
export type SupportedMediaType = AcceptedMime;

/**
 * The media type of a file by its magic bytes, or `undefined` when the API would refuse it (415). The client's
 * own sniffer, so that the simulator refuses exactly what the client's checks refuse.
 */
export const sniffMediaType: (bytes: Uint8Array) => SupportedMediaType | undefined = sniffMime;

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
    if (type === 'zTXt') return inflateSync(rest.subarray(1)).toString('latin1');
    // iTXt: compression flag, method, language tag\0, translated keyword\0, text.
    const compressed = rest[0] === 1;
    const langEnd = rest.indexOf(0, 2);
    const transEnd = rest.indexOf(0, langEnd + 1);
    if (langEnd < 0 || transEnd < 0) return undefined;
    const body = rest.subarray(transEnd + 1);
    return (compressed ? inflateSync(body) : Buffer.from(body)).toString('utf8');
  } catch {
    return undefined;
  }
}
