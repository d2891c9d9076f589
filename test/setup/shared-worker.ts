// Setup of the projects whose files share a worker and its module cache (`isolate: false`: unit, contract):
// whatever a file changes in the process, it undoes at its end, even when a test failed half-way (Vitest itself
// only restores spies between files).
import { afterAll, vi } from 'vitest';

afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});
