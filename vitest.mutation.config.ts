import { defineConfig } from 'vitest/config';

// Stryker's vitest runner runs the tests in worker threads, where a test cannot change the time zone (it is the
// process's): the run is in a zone other than UTC, set here before the workers start, so that a date read in the
// machine's zone instead of UTC shows (mutation-retry-after.test.ts switches to this zone itself elsewhere).
process.env.TZ = 'Asia/Tokyo';

// The unit tests of the client only, for mutation testing (stryker.config.mjs): no type tests, no contract
// project (Prism), no CLI or simulator tests. The fault matrix is left out: it runs on wall-clock time (29 s, real
// servers and Retry-After waits) and covers every line of the transport, so each transport mutant would rerun all
// of it. It still runs in `npm test`; the focused tests must notice what a mutant breaks on their own.
export default defineConfig({
  test: {
    include: ['test/client/**/*.test.ts'],
    exclude: ['test/client/fault-matrix.test.ts'],
    testTimeout: 20_000,
  },
});
