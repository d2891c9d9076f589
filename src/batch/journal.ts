// The batch journal: what happened to each file, one record per state change, so that a rerun after a crash
// resumes without paying for anything twice. `Journal` is the interface a runner needs (a shared store can
// implement it); `FileJournal` is the default, an append-only JSON-lines file.
import { type FileHandle, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HandwritingOCRError } from '../errors.js';

/**
 * A file's state, in the order a file goes through them:
 * - `queued`: known, not sent (also written after a 429: that upload was refused, nothing was created);
 * - `uploading`: about to be sent. Written before the request leaves, so a crash leaves this as the last
 *   state when the outcome of the upload is unknown;
 * - `uploaded`: the API accepted it (`id`): from here on the file is never uploaded again;
 * - `processed`: the document is processed (`pages` charged);
 * - `downloaded`: the result is in `output`, with its SHA-256 `outputHash`;
 * - `failed`: `error` says why; with an `id` the document exists (a rerun looks at it again), without one
 *   nothing was created (a rerun uploads again).
 */
export type JobState = 'queued' | 'uploading' | 'uploaded' | 'processed' | 'downloaded' | 'failed';

const STATES: readonly JobState[] = ['queued', 'uploading', 'uploaded', 'processed', 'downloaded', 'failed'];

/** One state change of one file. */
export interface JournalRecord {
  /** The input file (absolute path): the key of the job. */
  file: string;
  /** SHA-256 of the input's bytes (hex): a changed file is a new job. */
  hash: string;
  state: JobState;
  /** The document id, from `uploaded` on. */
  id?: string;
  /** Where the result is written. */
  output?: string;
  /** SHA-256 of the written result (hex), on `downloaded`. */
  outputHash?: string;
  /** Pages (credits) charged, on `processed`. */
  pages?: number;
  /** Why, on `failed` (and on `queued` after a 429). */
  error?: string;
  /** `uploaded` found by listing the account's documents after an unknown outcome, not by an upload's answer. */
  recovered?: boolean;
  /** When it was written (ISO 8601). */
  at?: string;
}

/**
 * What a journal was written for: the options that decide what an output is. A journal refuses to be resumed
 * by a command with other values (their results would be mixed in one directory).
 */
export type JournalCommand = Readonly<Record<string, string | number | boolean | null>>;

/**
 * Where a batch keeps its records. An implementation must make each record durable before `append` resolves
 * (the runner acts on a state only once its record is safe), and must keep the records of one journal in
 * the order they were appended.
 */
export interface Journal {
  /**
   * Opens the journal for `command` and resolves to every record written so far, oldest first (empty for a
   * new journal). Rejects with {@link JournalError} when it was written for another command or is unreadable.
   */
  open(command: JournalCommand): Promise<JournalRecord[]>;
  /** Appends a record; resolves once it is durable. */
  append(record: JournalRecord): Promise<void>;
  /** Flushes and releases the journal. */
  close(): Promise<void>;
}

/** A journal cannot be used: written for another command, not a journal, or damaged before its last line. */
export class JournalError extends HandwritingOCRError {
  override name = 'JournalError';
}

/** The journal's name in an output directory. */
export const JOURNAL_FILE = '.hwocr-journal.jsonl';

const MAGIC = 'hwocr-batch-journal';
const VERSION = 1;

interface Header {
  journal: typeof MAGIC;
  version: number;
  command: JournalCommand;
}

/** Options of {@link FileJournal}. */
export interface FileJournalOptions {
  /** Told about a cut last line (a crash mid-write), which is dropped. Default: ignored. */
  onWarning?: (message: string) => void;
}

/**
 * The default journal: JSON lines appended to one file, the first line naming the command. Durability: each
 * `append` resolves only after its line was written and `fdatasync`ed (appends that arrive while a sync is
 * under way share the next write and sync, so many files at once cost one sync, not one each). A line cut by
 * a crash can only be the last; it is dropped (with a warning) and the file truncated before new lines follow.
 * Node only. One process at a time per file: `<path>.lock` holds the owner's pid while it is open (a lock
 * left by a process that no longer exists is taken over).
 */
export class FileJournal implements Journal {
  private handle: FileHandle | undefined;
  private pending: { line: string; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private locked = false;

  constructor(
    /** The journal file's path. */
    readonly path: string,
    private readonly options: FileJournalOptions = {},
  ) {}

  async open(command: JournalCommand): Promise<JournalRecord[]> {
    await this.lock();
    try {
      return await this.openLocked(command);
    } catch (err) {
      await this.unlock();
      throw err;
    }
  }

  private async openLocked(command: JournalCommand): Promise<JournalRecord[]> {
    let text: string | undefined;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const parsed = text ? this.parse(text, command) : undefined;
    if (parsed === undefined || parsed.keepBytes === 0) {
      if (text) await truncate(this.path, 0); // only a header cut short: start afresh
      this.handle = await open(this.path, 'a');
      await this.writeAndSync(`${JSON.stringify({ journal: MAGIC, version: VERSION, command })}\n`);
      await syncDirectory(dirname(this.path)); // the new file's name is durable too
      return [];
    }
    const { records, keepBytes, endsInNewline } = parsed;
    if (keepBytes < Buffer.byteLength(text as string, 'utf8')) await truncate(this.path, keepBytes);
    this.handle = await open(this.path, 'a');
    // A whole record whose newline did not make it: end its line before new ones follow.
    if (!endsInNewline) await this.writeAndSync('\n');
    return records;
  }

  append(record: JournalRecord): Promise<void> {
    if (!this.handle) return Promise.reject(new JournalError('The journal is not open.'));
    const line = `${JSON.stringify({ ...record, at: record.at ?? new Date().toISOString() })}\n`;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.handle?.close();
    this.handle = undefined;
    await this.unlock();
  }

  // Two runs appending to one journal would each upload what the other has not journalled yet: a lock file
  // beside it holds the owner's pid. One left by a process that is gone (kill -9) is taken over.
  private get lockPath(): string {
    return `${this.path}.lock`;
  }

  private async lock(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(this.lockPath, `${process.pid}\n`, { flag: 'wx' });
        this.locked = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = Number.parseInt(await readFile(this.lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new JournalError(
          `${this.path} is in use by another hwocr (pid ${owner}): wait for it to end, or stop it first.`,
        );
      }
      await rm(this.lockPath, { force: true }); // stale: its owner is gone
    }
    throw new JournalError(`${this.path}: could not take its lock file ${this.lockPath}.`);
  }

  private async unlock(): Promise<void> {
    if (!this.locked) return;
    this.locked = false;
    await rm(this.lockPath, { force: true });
  }

  // Group commit: one write and one sync for every line queued so far, until none is left.
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.writeAndSync(batch.map((p) => p.line).join(''));
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = undefined;
  }

  private async writeAndSync(text: string): Promise<void> {
    const handle = this.handle as FileHandle;
    await handle.write(text);
    await handle.datasync();
  }

  private parse(
    text: string,
    command: JournalCommand,
  ): { records: JournalRecord[]; keepBytes: number; endsInNewline: boolean } {
    const lines = text.split('\n');
    const complete = text.endsWith('\n');
    if (complete) lines.pop(); // the empty string after the last newline
    const records: JournalRecord[] = [];
    let keepBytes = 0;
    let endsInNewline = true;
    for (const [i, line] of lines.entries()) {
      const last = i === lines.length - 1;
      const value = parseLine(line, i === 0);
      if (value === undefined) {
        // Only the last line can be cut by a crash (the header too, on a first run that died at once); anything
        // else is damage we must not guess around.
        if (last && (i > 0 || (!complete && isHeaderPrefix(line)))) {
          this.options.onWarning?.(
            `${this.path}: ignoring its last line, cut short (${JSON.stringify(line.slice(0, 60))}): a crash while it was written`,
          );
          break;
        }
        if (i === 0) throw new JournalError(`${this.path} is not a hwocr batch journal.`);
        throw new JournalError(
          `${this.path} is damaged at line ${i + 1}: move it away to start the batch afresh (documents already uploaded would then be uploaded again).`,
        );
      }
      if (i === 0) checkHeader(this.path, value as Header, command);
      else records.push(value as JournalRecord);
      keepBytes += Buffer.byteLength(line, 'utf8') + (last && !complete ? 0 : 1);
      endsInNewline = !last || complete;
    }
    return { records, keepBytes, endsInNewline };
  }
}

/** Whether `line` is the start of a header line (one cut short), not some other file's content. */
function isHeaderPrefix(line: string): boolean {
  const start = JSON.stringify({ journal: MAGIC });
  const head = start.slice(0, -1); // without the closing brace: more fields follow
  return line.startsWith(head) || head.startsWith(line);
}

function parseLine(line: string, header: boolean): unknown {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (header) return v.journal === MAGIC ? value : undefined;
  return typeof v.file === 'string' && typeof v.hash === 'string' && STATES.includes(v.state as JobState)
    ? value
    : undefined;
}

function checkHeader(path: string, header: Header, command: JournalCommand): void {
  if (header.version !== VERSION) {
    throw new JournalError(`${path} was written by another version of hwocr (journal v${header.version}).`);
  }
  const was = describeCommand(header.command);
  const now = describeCommand(command);
  if (was !== now) {
    throw new JournalError(
      `${path} was written by another command (${was}); this one is ${now}. Rerun with the same options to resume, or use another output directory.`,
    );
  }
}

/** `action=transcribe format=txt`: the options, sorted by name, for comparing and for messages. */
export function describeCommand(command: JournalCommand): string {
  return Object.keys(command ?? {})
    .sort()
    .filter((key) => command[key] !== null && command[key] !== undefined)
    .map((key) => `${key}=${command[key]}`)
    .join(' ');
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// A directory's entry for a new file is durable only once the directory itself is synced (POSIX).
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or sync a directory; the file's own sync is what remains.
  } finally {
    await handle?.close();
  }
}
