// The file journal: records come back in order, a cut last line is dropped with a warning (and the file
// repaired before new lines follow), and a journal of another command or a damaged one is refused.
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileJournal, JournalError, type JournalRecord } from '../../src/batch/index.js';
import { tempDir } from '../cli/helpers.js';

const COMMAND = { command: 'transcribe', action: 'transcribe', format: 'txt', extractor_id: null };
const rec = (
  file: string,
  state: JournalRecord['state'],
  extra: Partial<JournalRecord> = {},
): JournalRecord => ({
  file,
  hash: 'h'.repeat(64),
  state,
  ...extra,
});

let dir: string;
let cleanup: () => void;
let path: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'journal.jsonl');
});
afterEach(() => cleanup());

async function writeJournal(records: JournalRecord[]): Promise<void> {
  const journal = new FileJournal(path);
  expect(await journal.open(COMMAND)).toEqual([]);
  await Promise.all(records.map((r) => journal.append(r)));
  await journal.close();
}

describe('FileJournal', () => {
  it('starts with a header naming the command and gives back every record in order', async () => {
    const records = [rec('/a', 'queued'), rec('/a', 'uploading'), rec('/a', 'uploaded', { id: 'abc123' })];
    await writeJournal(records);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      journal: 'hwocr-batch-journal',
      version: 1,
      command: COMMAND,
    });
    const again = new FileJournal(path);
    const back = await again.open(COMMAND);
    await again.close();
    expect(back.map(({ at: _at, ...r }) => r)).toEqual(records);
    expect(back.every((r) => typeof r.at === 'string')).toBe(true);
  });

  it('resolves an append only once its line is in the file, and keeps the order of many at once', async () => {
    const journal = new FileJournal(path);
    await journal.open(COMMAND);
    const many = Array.from({ length: 200 }, (_, i) => rec(`/f${i}`, 'queued'));
    await Promise.all(
      many.map(async (r) => {
        await journal.append(r);
        // Durable before resolving: the line is already in the file.
        expect(readFileSync(path, 'utf8')).toContain(`"file":"${r.file}"`);
      }),
    );
    await journal.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
    expect(lines.map((l) => JSON.parse(l).file)).toEqual(many.map((r) => r.file));
  });

  it('ignores a last line cut by a crash, with a warning, and appends cleanly after it', async () => {
    await writeJournal([rec('/a', 'queued'), rec('/a', 'uploading')]);
    appendFileSync(path, '{"file":"/a","hash":"hhh","state":"uplo'); // a write cut short
    const warnings: string[] = [];
    const journal = new FileJournal(path, { onWarning: (m) => warnings.push(m) });
    const records = await journal.open(COMMAND);
    expect(records.map((r) => r.state)).toEqual(['queued', 'uploading']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ignoring its last line, cut short/);
    await journal.append(rec('/a', 'uploaded', { id: 'abc123' }));
    await journal.close();
    const reread = await new FileJournal(path).open(COMMAND);
    expect(reread.map((r) => r.state)).toEqual(['queued', 'uploading', 'uploaded']);
    expect(readFileSync(path, 'utf8')).not.toContain('"uplo\n');
  });

  it('keeps a whole last record whose newline is missing, and ends its line before appending', async () => {
    await writeJournal([rec('/a', 'queued')]);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\n$/, ''));
    const journal = new FileJournal(path);
    expect((await journal.open(COMMAND)).map((r) => r.state)).toEqual(['queued']);
    await journal.append(rec('/a', 'uploading'));
    await journal.close();
    expect((await new FileJournal(path).open(COMMAND)).map((r) => r.state)).toEqual(['queued', 'uploading']);
  });

  it('starts afresh when only the header was written, and cut (a crash at the very start)', async () => {
    writeFileSync(path, '{"journal":"hwocr-batch-jour');
    const warnings: string[] = [];
    const journal = new FileJournal(path, { onWarning: (m) => warnings.push(m) });
    expect(await journal.open(COMMAND)).toEqual([]);
    await journal.append(rec('/a', 'queued'));
    await journal.close();
    expect(warnings).toHaveLength(1);
    expect((await new FileJournal(path).open(COMMAND)).map((r) => r.state)).toEqual(['queued']);
    // Another file's content is never taken for a cut header.
    writeFileSync(path, 'notes without a newline');
    await expect(new FileJournal(path).open(COMMAND)).rejects.toThrow(/is not a hwocr batch journal/);
    expect(readFileSync(path, 'utf8')).toBe('notes without a newline');
  });

  it('refuses a journal written by a different command, saying which', async () => {
    await writeJournal([rec('/a', 'queued')]);
    const other = new FileJournal(path).open({ ...COMMAND, action: 'tables', format: 'json' });
    await expect(other).rejects.toBeInstanceOf(JournalError);
    await expect(new FileJournal(path).open({ ...COMMAND, format: 'docx' })).rejects.toThrow(
      /was written by another command \(action=transcribe command=transcribe format=txt\); this one is action=transcribe command=transcribe format=docx/,
    );
  });

  it('refuses a file that is not a journal, and one damaged before its last line', async () => {
    writeFileSync(path, 'hello\n');
    await expect(new FileJournal(path).open(COMMAND)).rejects.toThrow(/is not a hwocr batch journal/);
    rmSync(path);
    await writeJournal([]);
    appendFileSync(path, 'garbage\n{"file":"/a","hash":"h","state":"queued"}\n');
    await expect(new FileJournal(path).open(COMMAND)).rejects.toThrow(/is damaged at line 2/);
  });
});

describe('FileJournal lock', () => {
  it('refuses a journal another live process has open, and takes over one left by a dead process', async () => {
    await writeJournal([rec('/a', 'queued')]);
    // A live process that is not this one: the parent of this test worker.
    writeFileSync(`${path}.lock`, `${process.ppid}\n`);
    await expect(new FileJournal(path).open(COMMAND)).rejects.toThrow(
      new RegExp(`is in use by another hwocr \\(pid ${process.ppid}\\)`),
    );
    // A pid that no process has (above the kernel's pid_max).
    writeFileSync(`${path}.lock`, '99999999\n');
    const journal = new FileJournal(path);
    expect((await journal.open(COMMAND)).map((r) => r.state)).toEqual(['queued']);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await journal.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
