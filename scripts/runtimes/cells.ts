// How each kind of runtime runs the scenario and hands back its results: a process (Node, Bun, Deno) prints them
// as its last line; workerd answers them to a request; a Chromium page keeps them in `window.hwocrResults`.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Backend } from './control.js';
import { freePort } from './control.js';
import type { StepResult } from './scenario.js';
import { chromium } from './tools.js';

/** How long one runtime may take for the whole scenario (it needs about 2 s). */
const CELL_TIMEOUT_MS = 90_000;

/** Output of a finished process. */
interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (killed after `timeoutMs`). */
export function exec(
  bin: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      stderr += `\n(killed after ${options.timeoutMs ?? CELL_TIMEOUT_MS} ms)`;
    }, options.timeoutMs ?? CELL_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment a runtime process gets: nothing of the caller's but what a program needs to start. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), ...extra };
}

/** Runs the scenario in a process: `bin ...args <env as JSON>`, in `cwd` (where the package is installed). */
export async function runProcess(
  bin: string,
  args: string[],
  cwd: string,
  backend: Backend,
  extraEnv?: Record<string, string>,
): Promise<StepResult[]> {
  const exit = await exec(bin, [...args, JSON.stringify(backend.env)], { cwd, env: cleanEnv(extraEnv) });
  const last = exit.stdout.trim().split('\n').at(-1) ?? '';
  if (exit.code === 0 && last.startsWith('[')) return JSON.parse(last) as StepResult[];
  throw new Error(`exit ${exit.code}: ${tail(exit.stderr || exit.stdout)}`);
}

/** The last lines of a program's output, on one line. */
function tail(text: string): string {
  return text.trim().split('\n').slice(-4).join(' | ').slice(-400);
}

/**
 * Runs the scenario in workerd: `worker` (a bundled module Worker) behind a socket on a free port, with outbound
 * fetch allowed to loopback addresses only (where the simulator and the control server are).
 */
export async function runWorkerd(
  bin: string,
  worker: string,
  nodejsCompat: boolean,
  backend: Backend,
): Promise<StepResult[]> {
  const port = await freePort();
  const config = join(dirname(worker), `${basename(worker, '.js')}.capnp`);
  const flags = nodejsCompat ? '"nodejs_compat"' : '';
  await writeFile(
    config,
    `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .scenario),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const scenario :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "${basename(worker)}")],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = [${flags}],
  globalOutbound = "loopback",
);
`,
  );
  const child = spawn(bin, ['serve', config], { env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    const url = `http://127.0.0.1:${port}/`;
    const ready = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`workerd exited ${child.exitCode}: ${tail(stderr)}`);
      const ok = await fetch(url).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > ready) throw new Error(`workerd did not answer within 20 s: ${tail(stderr)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const response = await fetch(`${url}?env=${encodeURIComponent(JSON.stringify(backend.env))}`, {
      signal: AbortSignal.timeout(CELL_TIMEOUT_MS),
    });
    if (!response.ok)
      throw new Error(`the Worker answered ${response.status}: ${tail(await response.text())}`);
    return (await response.json()) as StepResult[];
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Chromium's flags: headless, no sandbox (root in a container), nothing that talks to the network by itself. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Runs the scenario in a page served by the control server (`backend.origin`), in a fresh Chromium profile. */
export async function runChromium(executablePath: string, backend: Backend): Promise<StepResult[]> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'hwocr-chromium-'));
  const context = await (await chromium()).launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: 60_000,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`${backend.origin}/?env=${encodeURIComponent(JSON.stringify(backend.env))}`);
    await page
      .waitForFunction(() => 'hwocrResults' in window, undefined, { timeout: 30_000 })
      .catch((err: Error) => {
        throw new Error(`the page never started the scenario: ${errors.join(' | ') || err.message}`);
      });
    const results = page.evaluate(
      () => (window as unknown as { hwocrResults: Promise<StepResult[]> }).hwocrResults,
      undefined,
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no results after ${CELL_TIMEOUT_MS} ms`)), CELL_TIMEOUT_MS);
    });
    try {
      return await Promise.race([results, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}
