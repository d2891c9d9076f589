// The file types the API accepts, recognised by their first bytes (magic numbers), or by name as a fallback.

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

const HEIC_BRANDS = new Set(['heic', 'heix', 'mif1', 'msf1', 'hevc', 'heim', 'heis', 'hevm', 'hevs']);

/** The accepted type a file's first bytes show, or `undefined` when they show none of them. */
export function sniffMime(head: Uint8Array): AcceptedMime | undefined {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // TIFF and BigTIFF, little- and big-endian.
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b]))
    return 'image/tiff';
  if (
    startsWith(head, [0x47, 0x49, 0x46, 0x38]) &&
    (head[4] === 0x37 || head[4] === 0x39) &&
    head[5] === 0x61
  ) {
    return 'image/gif'; // GIF87a / GIF89a
  }
  if (isHeic(head)) return 'image/heic';
  return undefined;
}

/** The accepted type a file name's extension suggests. */
export function mimeFromName(name: string): AcceptedMime | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  switch (ext) {
    case 'pdf':
      return 'application/pdf';
    case 'jpg':
    case 'jpeg':
      return 'image/jpeg';
    case 'png':
      return 'image/png';
    case 'tif':
    case 'tiff':
      return 'image/tiff';
    case 'heic':
    case 'heif':
      return 'image/heic';
    case 'gif':
      return 'image/gif';
    default:
      return undefined;
  }
}

/** A file-name extension for a type (used when the input has no name). */
export function extensionFor(mime: AcceptedMime): string {
  return EXTENSIONS[mime];
}

const EXTENSIONS: Record<AcceptedMime, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tiff',
  'image/heic': 'heic',
  'image/gif': 'gif',
};

// ISO-BMFF: bytes 4..8 are `ftyp`, 8..12 the major brand, then a minor version and the compatible brands up to
// the end of the box. HEIC when the major brand, or a compatible one, is a HEIF/HEVC brand.
function isHeic(head: Uint8Array): boolean {
  if (head.length < 12 || ascii(head, 4, 8) !== 'ftyp') return false;
  if (HEIC_BRANDS.has(ascii(head, 8, 12))) return true;
  const boxSize = ((head[0] ?? 0) << 24) | ((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0);
  const end = Math.min(boxSize, head.length);
  for (let at = 16; at + 4 <= end; at += 4) {
    const brand = ascii(head, at, at + 4);
    if (brand === 'heic' || brand === 'heix') return true;
  }
  return false;
}

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  if (head.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false;
  return true;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += String.fromCharCode(bytes[i] ?? 0);
  return out;
}
