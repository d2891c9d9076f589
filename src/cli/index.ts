#!/usr/bin/env node
// The `hwocr` bin: wires the real process (streams, environment, Ctrl-C) to `run()`.
import { ExitCode } from './io.js';
import { run } from './program.js';

const controller = new AbortController();
// First SIGINT (Ctrl-C) or SIGTERM: stop politely (a batch reports its pending uploads with their ids, the
// simulator closes and exits 0). A second one: stop now.
const stop = (): void => {
  if (controller.signal.aborted) process.exit(ExitCode.interrupted);
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// `hwocr documents list | head -1` closes stdout early; that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
  throw err;
});

run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // run() reports every failure itself; this is a bug in the CLI.
    process.stderr.write(
      `hwocr: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = ExitCode.failure;
  },
);
