import { defineConfig } from 'vitest/config';

// The unit tests of the client only, for mutation testing (stryker.config.mjs): no type tests, no contract
// project (Prism), no CLI or simulator tests.
export default defineConfig({
  test: {
    include: ['test/client/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
