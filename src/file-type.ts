// The file types the API accepts, recognised by their first bytes (magic numbers), or by name as a fallback.
// The simulator (`handwriting-ocr/testing`) judges uploads with the same sniffer.

/** MIME types the API accepts. */
export type AcceptedMime =
  | 'application/pdf'
  | 'image/jpeg'
  | 'image/png'
  | 'image/tiff'
  | 'image/heic'
  | 'image/gif';

/** How many leading bytes {@link sniffMime} wants to see. */
export const SNIFF_BYTES = 64;

// Each type with its signatures (Latin-1 strings of the file's first bytes).
const MAGIC: readonly (readonly [AcceptedMime, ...string[]])[] = [
  ['application/pdf', '%PDF-'],
  ['image/jpeg', '\xff\xd8\xff'],
  ['image/png', '\x89PNG\r\n\x1a\n'],
  ['image/tiff', 'II*\0', 'MM\0*', 'II+\0', 'MM\0+'], // TIFF and BigTIFF, little- and big-endian
  ['image/gif', 'GIF87a', 'GIF89a'],
];

// ISO-BMFF brands of HEIF/HEIC images.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

// Extensions → types; the first extension of a type is the one {@link extensionFor} gives.
const BY_EXTENSION: Readonly<Record<string, AcceptedMime>> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  tif: 'image/tiff',
  heic: 'image/heic',
  heif: 'image/heic',
  gif: 'image/gif',
};

/** The accepted type a file's first bytes show, or `undefined` when they show none of them. */
export function sniffMime(head: Uint8Array): AcceptedMime | undefined {
  for (const [mime, ...signatures] of MAGIC) {
    if (signatures.some((signature) => ascii(head, 0, signature.length) === signature)) return mime;
  }
  return isHeic(head) ? 'image/heic' : undefined;
}

/** The accepted type a file name's extension suggests. */
export function mimeFromName(name: string): AcceptedMime | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return ext !== undefined && Object.hasOwn(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
}

/** A file-name extension for a type (used when the input has no name). */
export function extensionFor(mime: AcceptedMime): string {
  return Object.keys(BY_EXTENSION).find((ext) => BY_EXTENSION[ext] === mime) as string;
}

// ISO-BMFF: bytes 4..8 are `ftyp`, 8..12 the major brand, then a minor version and the compatible brands up to
// the end of the box. HEIC when the major brand is a HEIF/HEVC brand, or a compatible one is `heic`/`heix`.
function isHeic(head: Uint8Array): boolean {
  if (ascii(head, 4, 8) !== 'ftyp') return false;
  if (HEIC_BRANDS.has(ascii(head, 8, 12))) return true;
  const boxSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
  for (let at = 16; at + 4 <= Math.min(boxSize, head.length); at += 4) {
    if (/^hei[cx]$/.test(ascii(head, at, at + 4))) return true;
  }
  return false;
}

// The bytes from..to as Latin-1 (shorter when the input ends first).
function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
