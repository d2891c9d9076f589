#!/usr/bin/env node
// The `hwocr` bin: wires the real process (streams, environment, Ctrl-C) to `run()`.
import { ExitCode } from './io.js';
import { run } from './program.js';

const controller = new AbortController();
process.on('SIGINT', () => {
  // First Ctrl-C: stop politely (pending uploads are reported with their ids). Second: stop now.
  if (controller.signal.aborted) process.exit(ExitCode.interrupted);
  process.stderr.write('\nhwocr: stopping after the uploads in progress (Ctrl-C again to quit now)\n');
  controller.abort();
});

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
