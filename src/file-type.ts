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

// ISO-BMFF brands: HEIC/HEVC (heic, heix, heim, heis, hevc…), AVIF images and sequences, and generic HEIF
// (mif1, msf1: HEIC, unless an AVIF brand is listed too).
const HEIC = /^he[iv][cxms]$/;
const AVIF = /^avi[fs]$/;
const HEIF = /^m[is]f1$/;
// Sizes of the BMP info headers (BITMAPCOREHEADER, OS/2 2.x, BITMAPINFOHEADER, V2, V3, V4, V5): with `BM`
// alone, any text starting "BM" would pass for an image.
const BMP_INFO_SIZES = [12, 16, 40, 52, 56, 64, 108, 124];

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
  const match = /\.([A-Za-z0-9]+)$/.exec(name);
  // No extension reads as '', no key of the table.
  // Stryker disable next-line StringLiteral: equivalent: any other string that is no key of the table gives the same undefined
  const ext = match ? (match[1] as string).toLowerCase() : '';
  return Object.hasOwn(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
}

/** A file-name extension for a type (used when the input has no name). */
export function extensionFor(mime: AcceptedMime): string {
  return Object.keys(BY_EXTENSION).find((ext) => BY_EXTENSION[ext] === mime) as string;
}

// ISO-BMFF: bytes 4..8 are `ftyp`, 8..12 the major brand, then a minor version and the compatible brands up to
// the end of the box. A HEIC major brand decides; else any AVIF brand; else any HEIC brand or a generic HEIF
// major brand. Other brands (MP4 video…) are refused.
function isoBmffImage(head: Uint8Array): 'image/heic' | 'image/avif' | undefined {
  if (ascii(head, 4, 8) !== 'ftyp') return undefined;
  const major = ascii(head, 8, 12);
  if (HEIC.test(major)) return 'image/heic';
  const brands = [major];
  const end = Math.min(new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0), head.length);
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
  if (brands.some((brand) => AVIF.test(brand))) return 'image/avif';
  return brands.some((brand) => HEIC.test(brand)) || HEIF.test(major) ? 'image/heic' : undefined;
}

// `BM`, then (bytes 14..18, little-endian) the size of one of the known info headers (all under 256).
function isBmp(head: Uint8Array): boolean {
  return (
    ascii(head, 0, 2) === 'BM' &&
    BMP_INFO_SIZES.includes(head[14] as number) &&
    ascii(head, 15, 18) === '\0\0\0'
  );
}

// The bytes from..to as Latin-1 (shorter when the input ends first).
function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
