// What the CLI needs from its process, as one injectable object, so most of it runs in-process in tests.

/** A writable the CLI prints to: `process.stdout`/`process.stderr`, or a test capture. */
export interface CliStream {
  write(chunk: string | Uint8Array): unknown;
  /** Whether the stream is a terminal. */
  isTTY?: boolean;
  /** Terminal width, where known. */
  columns?: number;
}

/** Everything `run()` takes from its environment. */
export interface CliIO {
  /** Results (transcripts, JSON, listings). */
  stdout: CliStream;
  /** Progress, messages and errors. */
  stderr: CliStream;
  /** Environment variables (token, base URL, TERM, CI). */
  env: Record<string, string | undefined>;
  /**
   * Overrides terminal detection for both streams (default: each stream's own `isTTY`). A live progress
   * display needs stderr to be a terminal; binary output refuses a terminal stdout.
   */
  isTTY?: boolean;
  /** Working directory for relative paths (default `process.cwd()`). */
  cwd?: string;
  /** Aborts the running command (the bin wires it to SIGINT). */
  signal?: AbortSignal;
  /** A `fetch` for the client (tests). */
  fetch?: (input: Request) => Promise<Response>;
}

/** Process exit codes of `hwocr`. */
export const ExitCode = {
  /** Everything worked. */
  ok: 0,
  /** The API refused, a document failed to process, or a file could not be written. */
  failure: 1,
  /** The command line was wrong (unknown option, missing argument, bad value, no token, topup without --yes). */
  usage: 2,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

/** A wrong command line: printed as one line with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A failure that was already reported in detail (e.g. some files of a batch failed): `run()` prints its
 * message as the one error line and exits 1.
 */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.failure) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Whether `stream` counts as a terminal, honouring the `isTTY` override. */
export function isTerminal(io: CliIO, stream: CliStream): boolean {
  return io.isTTY ?? stream.isTTY === true;
}
