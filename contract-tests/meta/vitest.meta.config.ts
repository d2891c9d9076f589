// Runs only the coverage meta-test, with no Prism: meta/coverage-meta.test.ts starts it in a child process
// on a modified copy of the spec to show that it goes red.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['contract-tests/coverage.test.ts'],
    reporters: ['json'],
  },
});
