// `npm run demo`: the whole path with no token and no network. Starts the simulator on a free port, runs the
// real bin (`hwocr transcribe examples/sample-note.png`) against it as a child process, and exits with the
// CLI's exit code. The transcript is the CLI's own stdout; progress is on stderr.
import { spawn } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSimulator } from '../src/testing/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sample = join(root, 'examples', 'sample-note.png');
const bin = join(root, 'src', 'cli', 'index.ts');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

async function main(): Promise<number> {
  // Long enough to watch a document go queued → processing → processed, short enough not to wait.
  const sim = await startSimulator({ port: 0, processingMs: 1500 });
  const args = [
    'transcribe',
    relative(process.cwd(), sample) || sample,
    '--base-url',
    sim.url,
    '--poll-interval',
    '0.5',
  ];
  process.stderr.write(`simulator listening on ${sim.url}\n$ hwocr ${args.join(' ')}\n\n`);
  try {
    const child = spawn(process.execPath, ['--import', tsx, bin, ...args], {
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
