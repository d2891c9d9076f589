// Starts long-running helpers (Prism) for the suite: on a free loopback port, in their own process group
// behind guard.mjs, awaited until they answer HTTP, and stopped as a group on teardown, on SIGINT/SIGTERM/
// SIGHUP and on exit. Output goes to a log file under reports/ for post-mortems.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GUARD = join(dirname(fileURLToPath(import.meta.url)), 'guard.mjs');

export interface ManagedProcess {
  name: string;
  pid: number;
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (bind port 0, read it, release it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('Could not get a free port');
  return address.port;
}

const running = new Map<number, ChildProcess>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

let hooksInstalled = false;
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // `exit` listeners must be synchronous: SIGKILL the groups, there is no time for anything gentler.
  process.on('exit', () => {
    for (const pid of running.keys()) killGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      for (const pid of running.keys()) killGroup(pid, 'SIGTERM');
      // Vitest has its own SIGINT/SIGTERM handling; where nobody else listens, die as the signal intends.
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

export interface StartOptions {
  name: string;
  command: string;
  /** Arguments; `{port}` is replaced with the chosen port. */
  args: string[];
  logDir: string;
  /** A port chosen beforehand (when others must know it first); default a free one, retried on a clash. */
  port?: number;
  readyTimeoutMs?: number;
}

/** Starts the command on a free port and resolves once it answers HTTP on it. */
export async function startManaged(options: StartOptions): Promise<ManagedProcess> {
  installExitHooks();
  if (options.port !== undefined) return startOnPort(options, options.port);
  let lastError: unknown;
  // The port is free when picked but could be taken before the child binds it: try a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await startOnPort(options, port);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnPort(options: StartOptions, port: number): Promise<ManagedProcess> {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `contract-${options.name}.log`);
  const log = openSync(logFile, 'w');
  const args = options.args.map((a) => a.replaceAll('{port}', String(port)));
  const child = spawn(process.execPath, [GUARD, options.command, ...args], {
    detached: true,
    stdio: ['pipe', log, log],
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: spawn failed`);
  running.set(pid, child);
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (!running.has(pid)) return;
    killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 3000);
    if (child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(timer);
    // Whatever the guard left behind in its group goes too.
    killGroup(pid, 'SIGKILL');
    running.delete(pid);
    child.stdin?.destroy();
  };

  try {
    await waitUntilAnswering(url, child, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    const tail = readFileSync(logFile, 'utf8').slice(-2000);
    throw new Error(`${options.name} did not come up on ${url}: ${(error as Error).message}\n${tail}`);
  }
  return { name: options.name, pid, url, logFile, stop };
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`exited early (${child.exitCode ?? child.signalCode})`);
    try {
      // Any HTTP answer (Prism says 404 to `/`) means it listens.
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}

/** Stops every helper still running (teardown). */
export async function stopAll(processes: readonly ManagedProcess[]): Promise<void> {
  await Promise.allSettled(processes.map((p) => p.stop()));
}
