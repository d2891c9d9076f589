// Shared by the batch tests: inputs with known transcripts, a run against a simulator, journal reading.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BatchOptions,
  type BatchReport,
  FileJournal,
  JOURNAL_FILE,
  runBatch,
} from '../../src/batch/index.js';
import { HandwritingOCR } from '../../src/index.js';
import { type Simulator, samplePng } from '../../src/testing/index.js';

/** Writes `names` as PNGs reading `text of <name>` into `dir/in`, and returns the batch files (`dir/out`). */
export function makeInputs(dir: string, names: readonly string[]): { input: string; output: string }[] {
  mkdirSync(join(dir, 'in'), { recursive: true });
  mkdirSync(join(dir, 'out'), { recursive: true });
  return names.map((name) => {
    const input = join(dir, 'in', `${name}.png`);
    writeFileSync(input, samplePng(`text of ${name}`));
    return { input, output: join(dir, 'out', `${name}.txt`) };
  });
}

/** A client for `sim` that never retries on its own (so the tests see what the runner does). */
export function clientFor(sim: Simulator): HandwritingOCR {
  return new HandwritingOCR({ apiToken: sim.token, baseUrl: sim.url, maxRetries: 0 });
}

/** Runs a batch into `dir/out` with its file journal, fast polling. */
export function runIn(
  dir: string,
  sim: Simulator,
  files: BatchOptions['files'],
  options: Partial<BatchOptions> = {},
): Promise<BatchReport> {
  return runBatch({
    client: clientFor(sim),
    journal: new FileJournal(join(dir, 'out', JOURNAL_FILE)),
    files,
    action: 'transcribe',
    format: 'txt',
    pollIntervalMs: 20,
    ...options,
  });
}

/** The journal's lines, parsed (the header first). */
export function journalLines(dir: string): Record<string, unknown>[] {
  return readFileSync(join(dir, 'out', JOURNAL_FILE), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** How many documents the simulator holds per file name (duplicates show as counts above 1). */
export function uploadsByName(sim: Simulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const doc of sim.documents) counts.set(doc.fileName, (counts.get(doc.fileName) ?? 0) + 1);
  return counts;
}
