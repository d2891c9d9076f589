// A tiny PNG writer (8-bit grayscale) with text chunks: enough for sample files whose transcript the
// simulator reads back from the `Transcript` chunk.
import { crc32, deflateSync } from 'node:zlib';

/** An 8-bit grayscale image: `pixels` holds `width × height` shades, row by row. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const isLatin1 = (text: string): boolean => Array.from(text).every((ch) => (ch.codePointAt(0) ?? 0) <= 0xff);

// `tEXt` holds Latin-1 only; anything beyond goes in an uncompressed, UTF-8 `iTXt` chunk.
function textChunk(keyword: string, text: string): Buffer {
  if (isLatin1(text)) return chunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'));
  return chunk(
    'iTXt',
    Buffer.concat([Buffer.from(`${keyword}\0\0\0\0\0`, 'latin1'), Buffer.from(text, 'utf8')]),
  );
}

/** Encodes a grayscale PNG with the given text chunks (keyword → text), placed before the image data. */
export function encodePng(image: GrayImage, text: Readonly<Record<string, string>> = {}): Uint8Array {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height) throw new RangeError('pixels must hold width × height shades');
  const raw = Buffer.alloc((width + 1) * height); // each row: filter byte 0 (none), then the row
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit, grayscale, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    ...Object.entries(text).map(([keyword, value]) => textChunk(keyword, value)),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}
