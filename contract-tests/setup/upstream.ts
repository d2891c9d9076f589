// The local upstream behind the validating proxy: the project's simulator (src/testing) when it exists,
// else the minimal loopback upstream. `HWOCR_CONTRACT_UPSTREAM=simulator|loopback` forces one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/spec.js';
import { startLoopbackUpstream, type Upstream } from './loopback-upstream.js';

export type UpstreamKind = 'simulator' | 'loopback';

const SIMULATOR_ENTRY = join(ROOT, 'src/testing/index.ts');

interface SimulatorModule {
  startSimulator?: (options: Record<string, unknown>) => Promise<Upstream>;
}

export interface UpstreamOptions {
  /** Where clients reach it (the validating proxy): absolute links in answers point there. */
  publicUrl: string;
  /** Signs webhook deliveries. */
  webhookSecret: string;
}

export async function startUpstream(
  options: UpstreamOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Upstream & { kind: UpstreamKind }> {
  const forced = env.HWOCR_CONTRACT_UPSTREAM;
  if (forced && forced !== 'simulator' && forced !== 'loopback')
    throw new Error(`HWOCR_CONTRACT_UPSTREAM must be simulator or loopback, got ${forced}`);
  const useSimulator = forced ? forced === 'simulator' : existsSync(SIMULATOR_ENTRY);
  if (!useSimulator) return { kind: 'loopback', ...(await startLoopbackUpstream(options)) };
  // Once the simulator exists it is the upstream; a broken one fails the run rather than hiding behind
  // the loopback stand-in.
  const mod = (await import(SIMULATOR_ENTRY)) as SimulatorModule;
  if (typeof mod.startSimulator !== 'function')
    throw new Error(`${SIMULATOR_ENTRY} exists but exports no startSimulator()`);
  // Processing long enough that a retrieve and a download right after the upload both see the 202, each through
  // prism proxy, even on a loaded 2-core machine running test files in parallel (300 ms was not), and short
  // enough to stay fast.
  const sim = await mod.startSimulator({ port: 0, processingMs: 2000, ...options });
  return { kind: 'simulator', url: sim.url, token: sim.token, close: () => sim.close() };
}
