// Progress of a batch of files, shown one of three ways: a live listr2 display when stderr is a terminal,
// plain lines (no escape codes) when it is not, nothing with --json or --quiet. Progress always goes to
// stderr: stdout carries the result, so `hwocr transcribe note.png > note.txt` stays clean.
import { DefaultRenderer, Listr, ListrLogger, ProcessOutput } from 'listr2';
import { type CliIO, isTerminal } from './io.js';
import type { Output } from './output.js';

/** Where one file of a batch stands. */
export type FileState =
  | { state: 'waiting' }
  | { state: 'uploading' }
  | { state: 'pending'; id: string; status: string }
  | { state: 'downloading'; id: string }
  | { state: 'done'; id: string; output?: string }
  | { state: 'failed'; id?: string; message: string; notSent?: boolean; unknown?: boolean };

/** Receives every state change of every file of a batch. */
export interface ProgressReporter {
  /** Starts the display (a no-op for plain lines). */
  start(): void;
  /** File `index` moved to `state`. */
  update(index: number, state: FileState): void;
  /** Ends the display; resolves once it has been drawn for the last time. */
  stop(): Promise<void>;
}

/** How progress is shown. */
export type ProgressMode = 'live' | 'plain' | 'silent';

/**
 * The mode for this run: silent with `--json`/`--quiet`; live when stderr is a terminal that can redraw (not
 * `TERM=dumb`, not CI); plain lines otherwise.
 */
export function progressMode(io: CliIO, options: { json?: boolean; quiet?: boolean }): ProgressMode {
  if (options.json || options.quiet) return 'silent';
  const dumb =
    io.env.TERM === 'dumb' || (io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false');
  return isTerminal(io, io.stderr) && !dumb ? 'live' : 'plain';
}

/** A reporter for `names` (as the user typed them) in `mode`. */
export function createProgress(
  mode: ProgressMode,
  names: readonly string[],
  io: CliIO,
  out: Output,
): ProgressReporter {
  if (mode === 'live') return new LiveProgress(names, io, out);
  if (mode === 'plain') return new PlainProgress(names, out);
  return { start() {}, update() {}, stop: async () => {} };
}

/** One line per state of a file, e.g. `scan.png: processing (id abcde12345)`. */
export function describeState(name: string, state: FileState): string {
  switch (state.state) {
    case 'waiting':
      return `${name}: waiting`;
    case 'uploading':
      return `${name}: uploading`;
    case 'pending':
      return `${name}: ${state.status} (id ${state.id})`;
    case 'downloading':
      return `${name}: downloading (id ${state.id})`;
    case 'done':
      return state.output ? `${name}: done → ${state.output}` : `${name}: done (id ${state.id})`;
    case 'failed':
      // The cause is said once, in the summary after the batch (a shared cause would repeat per file here).
      if (state.notSent) return `${name}: not sent`;
      if (state.unknown) return `${name}: upload outcome unknown`;
      return state.id ? `${name}: failed (id ${state.id})` : `${name}: failed`;
  }
}

/**
 * The header of the live display: how many files are finished (the bar and the count say the same thing),
 * how many failed, and where the others stand, by the status the API gave, e.g.
 * `Transcribing 7 files ██████░░░░ 2/7 · 1 failed · 3 processing · 1 uploading`.
 */
export function headline(states: readonly FileState[]): string {
  const total = states.length;
  const counts = new Map<string, number>();
  let finished = 0;
  for (const s of states) {
    if (s.state === 'done' || s.state === 'failed') finished++;
    const label = s.state === 'pending' ? s.status : s.state === 'done' ? undefined : s.state;
    if (label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const failed = counts.get('failed');
  counts.delete('failed');
  counts.delete('waiting');
  const parts = [
    ...(failed ? [`${failed} failed`] : []),
    ...[...counts].map(([label, n]) => `${n} ${label}`),
  ];
  const noun = total === 1 ? 'file' : 'files';
  const detail = parts.length ? ` · ${parts.join(' · ')}` : '';
  return `Transcribing ${total} ${noun} ${bar(finished / Math.max(1, total))} ${finished}/${total}${detail}`;
}

/** `███████░░░░░░░` for `fraction` of `width` cells. */
export function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

class PlainProgress implements ProgressReporter {
  private readonly last: string[] = [];
  constructor(
    private readonly names: readonly string[],
    private readonly out: Output,
  ) {}
  start(): void {}
  update(index: number, state: FileState): void {
    if (state.state === 'waiting') return;
    const line = describeState(this.names[index] ?? `#${index + 1}`, state);
    // onStatus repeats a status on some polls; one line per change is enough.
    if (this.last[index] === line) return;
    this.last[index] = line;
    this.out.note(line);
  }
  async stop(): Promise<void> {}
}

/** listr2's default renderer, allowed to draw on stderr even when stdout is not a terminal. */
class StderrRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

/** The part of a listr2 task wrapper this display uses. */
interface TitledTask {
  title: string;
}

interface LiveRecord {
  name: string;
  state: FileState;
  task?: TitledTask;
  settle: { resolve: () => void; reject: (err: Error) => void };
  done: Promise<void>;
}

class LiveProgress implements ProgressReporter {
  private readonly records: LiveRecord[];
  private parent?: TitledTask;
  private running?: Promise<unknown>;

  constructor(
    names: readonly string[],
    private readonly io: CliIO,
    private readonly out: Output,
  ) {
    this.records = names.map((name) => {
      let settle!: LiveRecord['settle'];
      const done = new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
      // The task may not have started when a file fails; mark the rejection handled until it awaits it.
      done.catch(() => {});
      return { name, state: { state: 'waiting' }, settle, done };
    });
  }

  start(): void {
    const stream = this.io.stderr as unknown as NodeJS.WriteStream;
    const listr = new Listr(
      [
        {
          title: headline(this.records.map((r) => r.state)),
          task: (_ctx, parent) => {
            this.parent = parent;
            // Files may have moved (or failed) before listr2 got here: show where they stand now.
            this.redrawHeadline();
            return parent.newListr(
              this.records.map((record) => ({
                title: this.out.redact(record.name),
                task: async (_c, task) => {
                  record.task = task;
                  this.draw(record);
                  await record.done;
                },
              })),
              { concurrent: true, exitOnError: false },
            );
          },
        },
      ],
      {
        renderer: StderrRenderer,
        rendererOptions: {
          logger: new ListrLogger({ processOutput: new ProcessOutput(stream, stream) }),
          collapseSubtasks: false,
          collapseErrors: true,
        },
        exitOnError: false,
        registerSignalListeners: false,
      },
    );
    // Failures are reported by the caller; the display only shows them.
    this.running = listr.run().catch(() => {});
  }

  update(index: number, state: FileState): void {
    const record = this.records[index];
    if (!record) return;
    record.state = state;
    this.draw(record);
    if (state.state === 'done') record.settle.resolve();
    if (state.state === 'failed')
      record.settle.reject(new Error(this.out.redact(describeState(record.name, state))));
    this.redrawHeadline();
  }

  private redrawHeadline(): void {
    if (this.parent) this.parent.title = headline(this.records.map((r) => r.state));
  }

  async stop(): Promise<void> {
    for (const record of this.records) record.settle.resolve();
    await this.running;
  }

  private draw(record: LiveRecord): void {
    if (!record.task || record.state.state === 'failed') return;
    record.task.title = this.out.redact(
      record.state.state === 'waiting'
        ? `${record.name}: waiting for a slot`
        : describeState(record.name, record.state),
    );
  }
}
