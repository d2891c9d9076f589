// The file types the API accepts, recognised by their first bytes (magic numbers), or by name as a fallback.
// The simulator (`handwriting-ocr/testing`) judges uploads with the same sniffer.
// The spec lists PDF, JPG, PNG, TIFF, HEIC and GIF; the vendor's own clients also send BMP and WEBP, and its
// hosted assistant lists AVIF. A client-side check must not refuse what the API may accept, so all nine pass.

/** MIME types the API accepts. */
export type AcceptedMime =
  | 'application/pdf'
  | 'image/jpeg'
  | 'image/png'
  | 'image/tiff'
  | 'image/heic'
  | 'image/gif'
  | 'image/bmp'
  | 'image/webp'
  | 'image/avif';

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

// ISO-BMFF brands of HEIF/HEIC images (`mif1`/`msf1` are generic HEIF: HEIC unless an AVIF brand is listed too).
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
// ISO-BMFF brands of AVIF images and sequences.
const AVIF_BRANDS = new Set(['avif', 'avis']);
// Sizes of the BMP info headers (BITMAPCOREHEADER, OS/2 2.x, BITMAPINFOHEADER, V2, V3, V4, V5): with `BM`
// alone, any text starting "BM" would pass for an image.
const BMP_DIB_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

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
  bmp: 'image/bmp',
  dib: 'image/bmp',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** The accepted type a file's first bytes show, or `undefined` when they show none of them. */
export function sniffMime(head: Uint8Array): AcceptedMime | undefined {
  for (const [mime, ...signatures] of MAGIC) {
    if (signatures.some((signature) => ascii(head, 0, signature.length) === signature)) return mime;
  }
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (isBmp(head)) return 'image/bmp';
  return isoBmffImage(head);
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
// the end of the box. The major brand decides when it names AVIF or HEIC; else an AVIF or HEIC compatible
// brand; else a generic HEIF major brand (`mif1`, `msf1`) means HEIC. Other brands (MP4 video…) are refused.
function isoBmffImage(head: Uint8Array): 'image/heic' | 'image/avif' | undefined {
  if (head.length < 12 || ascii(head, 4, 8) !== 'ftyp') return undefined;
  const major = ascii(head, 8, 12);
  if (AVIF_BRANDS.has(major)) return 'image/avif';
  if (HEIC_BRANDS.has(major)) return 'image/heic';
  const boxSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= Math.min(boxSize, head.length); at += 4)
    compatible.push(ascii(head, at, at + 4));
  if (compatible.some((brand) => AVIF_BRANDS.has(brand))) return 'image/avif';
  if (compatible.some((brand) => brand === 'heic' || brand === 'heix')) return 'image/heic';
  return HEIF_BRANDS.has(major) ? 'image/heic' : undefined;
}

// `BM`, then (bytes 14..18, little-endian) the size of one of the known info headers.
function isBmp(head: Uint8Array): boolean {
  if (head.length < 18 || ascii(head, 0, 2) !== 'BM') return false;
  return BMP_DIB_SIZES.has(new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(14, true));
}

// The bytes from..to as Latin-1 (shorter when the input ends first).
function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
