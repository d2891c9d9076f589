// Writes examples/sample-note.png: a small "handwritten" note (a pixel font, slanted and a little wobbly, on
// ruled paper) with a `tEXt` chunk `Transcript` holding what it says. The simulator of
// `handwriting-ocr/testing` reads that chunk as the transcription, so the demo gets a believable result.
//
//   npx tsx scripts/make-sample.ts [out.png]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from '../src/testing/png.js';

const WIDTH = 400;
const HEIGHT = 120;
const TEXT = 'Meet Ada at 10';
/** What the note says: the PNG's `Transcript` chunk (Latin-1, as `tEXt` requires). */
export const TRANSCRIPT = 'Meet Ada at the library at 10.\nBring the OCR notes.';

// 5×7 glyphs, just the ones the note needs.
const GLYPHS: Record<string, readonly string[]> = {
  M: ['10001', '11011', '10101', '10101', '10001', '10001', '10001'],
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  e: ['00000', '00000', '01110', '10001', '11111', '10000', '01110'],
  t: ['01000', '01000', '11100', '01000', '01000', '01001', '00110'],
  d: ['00001', '00001', '01101', '10011', '10001', '10011', '01101'],
  a: ['00000', '00000', '01110', '00001', '01111', '10001', '01111'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
};

const PAPER = 0xf7;
const RULE = 0xd4;
const INK = 0x2a;

/** Grayscale pixels of the note. */
function draw(): Uint8Array {
  const px = new Uint8Array(WIDTH * HEIGHT).fill(PAPER);
  const set = (x: number, y: number, v: number): void => {
    if (x >= 0 && x < WIDTH && y >= 0 && y < HEIGHT) px[y * WIDTH + x] = Math.min(px[y * WIDTH + x] ?? v, v);
  };
  for (const y of [30, 62, 94]) for (let x = 0; x < WIDTH; x++) set(x, y, RULE);

  const scale = 4;
  const baseline = 88;
  let penX = 36;
  [...TEXT].forEach((ch, i) => {
    const glyph = GLYPHS[ch] ?? GLYPHS[' '] ?? [];
    // A deterministic wobble per letter, and a slant, to look written rather than typed.
    const dy = Math.round(Math.sin(i * 1.7) * 2);
    glyph.forEach((row, gy) => {
      [...row].forEach((bit, gx) => {
        if (bit !== '1') return;
        const top = baseline - (7 - gy) * scale + dy;
        for (let sy = 0; sy < scale; sy++) {
          const y = top + sy;
          const slant = Math.round((baseline - y) * 0.22);
          for (let sx = 0; sx < scale; sx++) set(penX + gx * scale + sx + slant, y, INK);
        }
      });
    });
    penX += 5 * scale + 4 + (i % 3 === 0 ? 1 : 0);
  });
  // An underline stroke under the time.
  for (let x = penX - 56; x < penX - 4; x++) set(x, baseline + 6 + Math.round(Math.sin(x / 9)), INK);
  return px;
}

/** The PNG file: 8-bit grayscale, with the `tEXt` chunk `Transcript`. */
export function makeSampleNote(): Uint8Array {
  return encodePng({ width: WIDTH, height: HEIGHT, pixels: draw() }, { Transcript: TRANSCRIPT });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(
    process.argv[2] ?? fileURLToPath(new URL('../examples/sample-note.png', import.meta.url)),
  );
  mkdirSync(dirname(out), { recursive: true });
  const png = makeSampleNote();
  writeFileSync(out, png);
  console.log(`wrote ${out} (${png.length} bytes)`);
}
