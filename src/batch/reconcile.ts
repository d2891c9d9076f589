// Unknown upload outcomes: the journal says `uploading` and no id (a crash between sending and the answer).
// Before anything is uploaded again, the account's newest documents are listed: a document with the file's
// name, created since shortly before that `uploading` line and not already claimed by another file, is that
// upload. Only an unambiguous match is taken; anything else stays unknown.
import { basename } from 'node:path';
import type { HandwritingOCR } from '../client.js';

/** A file whose upload has an unknown outcome. */
export interface UnknownUpload {
  input: string;
  /** When `uploading` was written (ISO 8601). */
  at: string | undefined;
}

/** Clocks of this machine and the API may differ: look this far before the `uploading` line. */
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * Resolves to the id found for each input that has exactly one match. `claimed` holds the ids the journal
 * already gives to files (never taken twice).
 */
export async function findUnknownUploads(
  client: HandwritingOCR,
  unknown: readonly UnknownUpload[],
  claimed: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (unknown.length === 0) return found;
  const since =
    Math.min(
      ...unknown.map((u) => (u.at ? Date.parse(u.at) : Number.NaN)).map((t) => (Number.isNaN(t) ? 0 : t)),
    ) - CLOCK_SKEW_MS;
  const byName = new Map<string, UnknownUpload[]>();
  for (const u of unknown) byName.set(basename(u.input), [...(byName.get(basename(u.input)) ?? []), u]);
  const candidates = new Map<string, string[]>();
  // Newest first: stop at the first document older than the oldest unknown upload could be.
  for await (const doc of client.documents.list({ per_page: 200 }, { signal })) {
    const created = Date.parse(doc.created_at ?? '');
    if (!Number.isNaN(created) && created < since) break;
    if (claimed.has(doc.id) || !doc.file_name) continue;
    for (const u of byName.get(doc.file_name) ?? []) {
      if (u.at && !Number.isNaN(created) && created < Date.parse(u.at) - CLOCK_SKEW_MS) continue;
      candidates.set(u.input, [...(candidates.get(u.input) ?? []), doc.id]);
    }
  }
  const taken = new Map<string, number>();
  for (const ids of candidates.values()) for (const id of ids) taken.set(id, (taken.get(id) ?? 0) + 1);
  for (const [input, ids] of candidates) {
    // One document for this file, and no other unknown file could be it either.
    if (ids.length === 1 && taken.get(ids[0] as string) === 1) found.set(input, ids[0] as string);
  }
  return found;
}
