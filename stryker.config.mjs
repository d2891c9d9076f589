// Mutation testing of the client's core (issue #18): `npm run test:mutation`. Not part of `npm test`.
// Mutates the client's modules (src/*.ts, not the CLI or the simulator) and runs the unit tests of
// test/client against each mutant. Incremental: results are kept in test/mutation/stryker-incremental.json
// (committed), so a rerun only tests mutants whose code or covering tests changed.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // index.ts only re-exports; types.ts and schemas.ts hold types and a re-export.
  mutate: ['src/*.ts', '!src/index.ts', '!src/types.ts', '!src/schemas.ts'],
  // Static mutants (module-level tables and patterns) are run too: the bar is over all mutants. Each reruns the
  // whole suite, so a change to any test file reruns them all (about 10 minutes on 2 cores).
  ignoreStatic: false,
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  // The machine is shared: two test processes at most (override with --concurrency).
  concurrency: 2,
  // Tests with fake timers and loopback servers can be slow on a loaded machine; a mutant that hangs still ends.
  timeoutMS: 10_000,
  tempDirName: '.tmp/stryker',
  cleanTempDir: 'always',
  thresholds: { high: 92, low: 90, break: null },
};
