// Files to upload in tests: they pass the simulator's (and the API's) magic-byte check and say what the
// simulator will read from them.
import { encodePng } from './png.js';

/**
 * A minimal, valid PDF of `pages` pages (each printing "Page N"). The simulator counts its pages, charges
 * one credit each, and transcribes each as `Handwritten text on page N of <file_name>.` unless a
 * `transcribe` hook says otherwise. Pure ASCII, so it survives proxies that mangle binary bodies.
 */
export function samplePdf(pages = 1): Uint8Array {
  if (!(Number.isInteger(pages) && pages >= 1)) throw new RangeError('pages must be an integer >= 1');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${Array.from({ length: pages }, (_, i) => `${4 + i * 2} 0 R`).join(' ')}] /Count ${pages} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  for (let i = 0; i < pages; i++) {
    const content = `BT /F1 24 Tf 72 720 Td (Page ${i + 1}) Tj ET`;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + i * 2} 0 R >>`,
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    );
  }
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) out += `${String(at).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

/** A small (16×16) PNG that the simulator transcribes as `transcript` (stored in its `Transcript` chunk). */
export function samplePng(transcript = 'Handwritten note.'): Uint8Array {
  const pixels = new Uint8Array(16 * 16).fill(0xf7);
  for (let x = 2; x < 14; x++) pixels[8 * 16 + x] = 0x2a; // one stroke of "ink"
  return encodePng({ width: 16, height: 16, pixels }, { Transcript: transcript });
}
