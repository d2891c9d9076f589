import { defineConfig } from 'vitest/config';

// One config, four projects: `unit` (in-process; its files share a worker), `fresh` (unit tests that need a
// worker of their own), `pipeline` (the slow end-to-end runs of the generation pipeline: spec:update in a scratch
// copy, generating twice) and `contract` (drives the SDK against Prism, which its globalSetup starts and stops).
// `npm test` runs them all; `npm run test:unit` (unit + fresh), `test:pipeline` and `test:contract` a part each.
// Vitest starts the projects in the order of their names (contract, fresh, pipeline, unit), a project's files
// largest first (slowest first once it has timings from an earlier run). So the fault matrix, long but mostly
// waiting, starts early, beside the pipeline runs that keep the cores busy, instead of last.
// End-to-end runs of the generation pipeline (Spectral, code generators, tsgo, the contract suite in a child).
const PIPELINE_E2E = [
  'test/pipeline/spec-update.test.ts',
  'test/pipeline/spec-update-failures.test.ts',
  'test/pipeline/reproducible.test.ts',
];
// Unit tests that need a fresh worker: a vi.mock must reach the module before anything else loads it (node:fs for
// src/io.ts; io-web swaps src/io.js for the web build's io.web.ts); the
// fault matrix forces full garbage collections, which take ~10 ms in a fresh worker and ~110 ms in one that other
// files have filled (enough to push its hanging rows past their 2 s timeouts).
const FRESH = [
  'test/client/mutation-io.test.ts',
  'test/client/io-web.test.ts',
  'test/client/fault-matrix.test.ts',
];

export default defineConfig({
  test: {
    // Vitest's default on 2 cores is 1 worker, so every file would wait for the one before it, the slow pipeline
    // runs (mostly waiting on child processes) included. Two files at a time keep both cores busy.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['junit', { outputFile: 'reports/junit.xml' }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...PIPELINE_E2E, ...FRESH],
          // One module cache per worker, not one per file: starting a fresh worker for each of ~70 files cost
          // more CPU than their tests. The setup file makes each file leave the worker as it found it.
          isolate: false,
          setupFiles: ['test/setup/shared-worker.ts'],
          typecheck: {
            enabled: true,
            include: ['test/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
            // The native compiler (@typescript/native-preview): ~1 s where tsc takes ~10 s on 2 cores.
            checker: 'tsgo',
          },
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'fresh',
          include: FRESH,
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'pipeline',
          include: PIPELINE_E2E,
          testTimeout: 120_000,
        },
      },
      {
        plugins: [
          {
            // Reporters are a root option; the contract project adds its own whenever it runs: the
            // per-operation summary (also reports/contract-summary.md) and reports/contract-junit.xml.
            name: 'contract-reporters',
            configureVitest({ vitest }) {
              const root = vitest.config.root;
              vitest.config.reporters.push(
                [
                  `${root}/contract-tests/reporting/summary-reporter.ts`,
                  { outputFile: 'reports/contract-summary.md' },
                ],
                [
                  `${root}/contract-tests/reporting/junit-reporter.ts`,
                  { outputFile: 'reports/contract-junit.xml' },
                ],
              );
            },
          },
        ],
        test: {
          name: 'contract',
          include: ['contract-tests/**/*.test.ts'],
          globalSetup: ['contract-tests/setup/global-setup.ts'],
          // As in `unit`: a fresh worker per file costs more than the smaller files' tests (this project also
          // runs inside spec:update).
          isolate: false,
          setupFiles: ['test/setup/shared-worker.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
