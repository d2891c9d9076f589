// Test fixtures: tiny files of each accepted type, and raw-fetch helpers around the simulator.
import { readFileSync } from 'node:fs';
import { type Simulator, samplePdf } from '../../../src/testing/index.js';

/** A minimal, valid PDF with `pages` pages (the testing entry's own fixture). */
export const makePdf = samplePdf;

/** The demo note: a PNG whose `Transcript` text chunk the simulator reads. */
export const demoPng = (): Uint8Array =>
  new Uint8Array(readFileSync(new URL('../../../examples/sample-note.png', import.meta.url)));

/** Just enough of each other accepted type for the magic-byte check. */
export const MAGIC = {
  jpeg: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]),
  tiff: Uint8Array.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]),
  tiffBigEndian: Uint8Array.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]),
  gif: new TextEncoder().encode('GIF89a\x01\x00\x01\x00'),
  heic: Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypheic'), 0, 0, 0, 0]),
  // BMP, WEBP and AVIF: the vendor's own clients send them, though the spec does not list them.
  bmp: Uint8Array.from([0x42, 0x4d, 0x3a, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0]),
  webp: new TextEncoder().encode('RIFF\x24\x00\x00\x00WEBPVP8 '),
  avif: Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypavif\0\0\0\0mif1miaf')]),
};

/** Headers with the simulator's token. */
export const auth = (sim: Simulator, extra: Record<string, string> = {}): Record<string, string> => ({
  authorization: `Bearer ${sim.token}`,
  accept: 'application/json',
  ...extra,
});

/** Uploads a file with raw fetch and multipart fields. */
export function upload(
  sim: Simulator,
  file: Uint8Array | undefined,
  fields: Record<string, string> = { action: 'transcribe' },
  fileName = 'note.pdf',
): Promise<Response> {
  const form = new FormData();
  if (file) form.set('file', new Blob([file as Uint8Array<ArrayBuffer>]), fileName);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return fetch(`${sim.url}/documents`, { method: 'POST', headers: auth(sim), body: form });
}

/** GET with the token. */
export const get = (sim: Simulator, path: string): Promise<Response> =>
  fetch(`${sim.url}${path}`, { headers: auth(sim) });

/** Uploads and returns the new id (asserting nothing: use in setups). */
export async function uploadId(
  sim: Simulator,
  file: Uint8Array,
  fields: Record<string, string> = { action: 'transcribe' },
  fileName = 'note.pdf',
): Promise<string> {
  const res = await upload(sim, file, fields, fileName);
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Polls until the document is no longer pending (202) and returns the final answer. */
export async function waitDone(sim: Simulator, id: string, timeoutMs = 5000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await get(sim, `/documents/${id}`);
    if (res.status !== 202) return res;
    await res.arrayBuffer();
    if (Date.now() > deadline) throw new Error(`document ${id} still pending`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
