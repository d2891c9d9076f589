// Page thumbnails as real (if crude) JPEG files: a baseline, grayscale, DC-only encoder, i.e. every 8×8
// block is one flat shade. Enough for a valid image that looks like a page with lines of writing.

const WIDTH_BLOCKS = 8;
const HEIGHT_BLOCKS = 11;

// Standard luminance DC table (ITU T.81, K.3): code lengths 1..16 and the categories 0..11.
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// A one-symbol AC table: only end-of-block (0x00), coded as the single bit `0`.
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0];
// With every quantizer at 8 a flat block's DC coefficient is exactly its level-shifted shade.
const QUANT = 8;

/** Canonical Huffman codes (value → [code, length]) from a DHT bit-length table. */
function huffmanCodes(bits: readonly number[], values: readonly number[]): Map<number, [number, number]> {
  const codes = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  bits.forEach((count, i) => {
    for (let j = 0; j < count; j++) codes.set(values[k++] ?? 0, [code++, i + 1]);
    code <<= 1;
  });
  return codes;
}

const DC_CODES = huffmanCodes(DC_BITS, DC_VALUES);

class BitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  end(): number[] {
    while (this.n !== 0) this.write(1, 1); // pad with ones
    return this.bytes;
  }
}

const segment = (marker: number, payload: readonly number[]): number[] => [
  0xff,
  marker,
  (payload.length + 2) >> 8,
  (payload.length + 2) & 0xff,
  ...payload,
];

/** Shade (0..255) of each 8×8 block of a page-like picture: margins, then lines of "ink" of varied length. */
function shades(pageNumber: number): number[] {
  const out: number[] = [];
  for (let by = 0; by < HEIGHT_BLOCKS; by++) {
    const writing = by >= 1 && by <= HEIGHT_BLOCKS - 2 && by % 2 === 1;
    const length = 3 + ((by * 7 + pageNumber * 3) % (WIDTH_BLOCKS - 3));
    for (let bx = 0; bx < WIDTH_BLOCKS; bx++) out.push(writing && bx >= 1 && bx <= length ? 96 : 244);
  }
  return out;
}

/** A JPEG thumbnail of a page (64×88 pixels, grayscale); the pattern varies with the page number. */
export function thumbnailJpeg(pageNumber: number): Uint8Array {
  const writer = new BitWriter();
  let previous = 0;
  for (const shade of shades(pageNumber)) {
    const dc = Math.round(((shade - 128) * 8) / QUANT);
    const diff = dc - previous;
    previous = dc;
    const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
    const [code, length] = DC_CODES.get(category) ?? [0, 0];
    writer.write(code, length);
    if (category > 0) writer.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
    writer.write(0, 1); // end of block: all AC coefficients are zero
  }
  const width = WIDTH_BLOCKS * 8;
  const height = HEIGHT_BLOCKS * 8;
  return Uint8Array.from([
    0xff,
    0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0, ...new Array<number>(64).fill(QUANT)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...DC_BITS, ...DC_VALUES]),
    ...segment(0xc4, [0x10, ...AC_BITS, ...AC_VALUES]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...writer.end(),
    0xff,
    0xd9,
  ]);
}
