// The SDK's own checks, run before anything is queued for upload: a file or an option the SDK would refuse is
// reported at once (never shown as "uploading", never journalled as queued), and nothing is sent for it.
// Shared by the batch runner and `hwocr transcribe` without --out DIR.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { checkFileSize, checkUploadFields } from '../checks.js';
import { SNIFF_BYTES } from '../file-type.js';
import type { UploadParams } from '../types.js';
import { judge } from '../upload.js';

/**
 * The SDK's file checks on the file at `path`: 20 MB at most, a type the API takes judged by its first bytes
 * (the message names the file). Throws `InvalidParamsError`; errors reading the file are thrown as they are.
 */
export function checkUploadable(path: string): void {
  checkFileSize(statSync(path).size);
  const head = new Uint8Array(SNIFF_BYTES);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, SNIFF_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  judge(head.subarray(0, read), basename(path));
}

/**
 * The SDK's checks on an upload's fields (action, extractor_id, prompt_id, delete_after, webhook_url), without
 * touching the file: every upload of a batch shares them, so one bad value is refused once, before the batch
 * starts. Throws `InvalidParamsError`.
 */
export function checkUploadOptions(params: Omit<UploadParams, 'file'>): void {
  checkUploadFields({ ...params, file: undefined });
}
