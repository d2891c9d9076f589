// What globalSetup hands to the test files through vitest's provide/inject.
import type { LiveSettings } from './live.js';

export interface ContractContext {
  specPath: string;
  /** `prism mock --errors` on the merged spec. */
  mockUrl: string;
  /** `prism proxy --errors` in front of a local upstream: the live path, exercised in every run. */
  local: {
    proxyUrl: string;
    upstream: 'simulator' | 'loopback';
    upstreamUrl: string;
    token: string;
    /** The secret the upstream signs webhook deliveries with. */
    webhookSecret: string;
  };
  /** `prism proxy --errors` in front of the real API, when live mode is on. */
  live: LiveSettings & { proxyUrl?: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    contract: ContractContext;
  }
}
