// `npm run demo`: the whole path with no token and no network. Starts the simulator on a free port, runs the
// real bin (`hwocr transcribe examples/sample-note.png`) against it as a child process, and exits with the
// CLI's exit code. The transcript is the CLI's own stdout; progress is on stderr. Last, it says how to do the
// same by hand with `npx hwocr simulator`.
import { spawn } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIMULATOR_PORT, SIMULATOR_TOKEN } from '../src/cli/commands/simulator.js';
import { startSimulator } from '../src/testing/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sample = join(root, 'examples', 'sample-note.png');
const bin = join(root, 'bin', 'hwocr.js');

async function main(): Promise<number> {
  // Long enough to watch a document go queued → processing → processed, short enough not to wait. The token
  // is the one `hwocr simulator` accepts by default, so the commands printed below work as they are.
  const sim = await startSimulator({ port: 0, processingMs: 1500, token: SIMULATOR_TOKEN });
  const args = [
    'transcribe',
    relative(process.cwd(), sample) || sample,
    '--base-url',
    sim.url,
    '--poll-interval',
    '0.5',
  ];
  process.stderr.write(
    `simulator listening on ${sim.url} (token: ${sim.token})\n$ hwocr ${args.join(' ')}\n\n`,
  );
  try {
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: 'inherit',
      // The simulator's token goes in the environment, as a user's would; the rest of the env is kept.
      env: { ...process.env, HANDWRITING_OCR_API_TOKEN: sim.token },
    });
    // Ctrl-C reaches the child through the terminal; the demo waits for it to finish, then cleans up.
    process.on('SIGINT', () => {});
    const code = await new Promise<number>((resolvePromise, reject) => {
      child.on('error', reject);
      child.on('close', (status, signal) => resolvePromise(status ?? (signal ? 130 : 1)));
    });
    const base = `http://127.0.0.1:${SIMULATOR_PORT}/v3`;
    process.stderr.write(
      [
        '',
        'Try it yourself: start the simulator in one shell,',
        '  npx hwocr simulator',
        'and in another,',
        `  export HANDWRITING_OCR_BASE_URL=${base} HANDWRITING_OCR_API_TOKEN=${SIMULATOR_TOKEN}`,
        `  npx hwocr transcribe ${args[1]}`,
        '',
      ].join('\n'),
    );
    return code;
  } finally {
    await sim.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
