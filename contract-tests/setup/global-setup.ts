// Starts what the contract suite talks to, in parallel, once per run: `prism mock --errors` on the merged
// spec, a local upstream (simulator or loopback) behind `prism proxy --errors`, and in live mode a second
// `prism proxy --errors` in front of the real API. Hands their URLs to the tests with provide(), stops them
// all on teardown (and on signals and exit, see processes.ts).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, specPath } from '../lib/spec.js';
import type { ContractContext } from './context.js';
import { liveSettings } from './live.js';
import { freePort, type ManagedProcess, startManaged, stopAll } from './processes.js';
import { startUpstream } from './upstream.js';

const PRISM = join(ROOT, 'node_modules/.bin/prism');
const LOG_DIR = join(ROOT, 'reports');

const prism = (name: string, args: string[], port?: number) =>
  startManaged({
    name,
    command: PRISM,
    ...(port === undefined ? {} : { port }),
    // --errors: request violations become 4xx (mock) and response violations 500s (proxy); -v warn keeps
    // the log to what went wrong.
    args: [...args, '-h', '127.0.0.1', '-p', '{port}', '--errors', '-v', 'warn'],
    logDir: LOG_DIR,
  });

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const spec = specPath();
  const live = liveSettings();
  // The local proxy's port is picked first: the upstream's absolute links (next_page_url) must point at it.
  const proxyPort = await freePort();
  const webhookSecret = randomBytes(16).toString('hex');
  const upstream = await startUpstream({ publicUrl: `http://127.0.0.1:${proxyPort}`, webhookSecret });
  const results = await Promise.allSettled([
    prism('prism-mock', ['mock', spec]),
    prism('prism-proxy-local', ['proxy', spec, upstream.url], proxyPort),
    ...(live.enabled ? [prism('prism-proxy-live', ['proxy', spec, live.baseUrl])] : []),
  ]);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const teardown = async () => {
    await stopAll(started);
    await upstream.close();
  };
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await teardown();
    throw failed.reason;
  }
  const [mock, local, liveProxy] = started as [ManagedProcess, ManagedProcess, ManagedProcess | undefined];
  const context: ContractContext = {
    specPath: spec,
    mockUrl: mock.url,
    local: {
      proxyUrl: local.url,
      upstream: upstream.kind,
      upstreamUrl: upstream.url,
      token: upstream.token,
      webhookSecret,
    },
    live: { ...live, ...(liveProxy ? { proxyUrl: liveProxy.url } : {}) },
  };
  project.provide('contract', context);
  return teardown;
}
