import { defineConfig } from 'tsup';

// Library entries: ESM + CJS, each with its own declarations (.d.ts / .d.cts) so `import` and `require` both
// get correct types. Dependencies stay external; the bin is ESM only.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      testing: 'src/testing/index.ts',
      schemas: 'src/schemas.ts',
      batch: 'src/batch/index.ts', // Node only (files, the journal, the webhook listener)
    },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    platform: 'neutral',
    // Code splitting for ESM only (tsup's default): src/io.ts (uploads from paths and streams, `downloadToFile`)
    // becomes a chunk of its own, `dist/io-<hash>.js`, that the main entry loads with a dynamic import() only
    // when one of those is used; browser and Worker bundles keep it out of what they load up front, and
    // .size-limit.json leaves it out of the main entry's budget. Code shared between entries goes to
    // `dist/chunk-<hash>.js`. The CJS build keeps each entry in one file.
    splitting: undefined,
    sourcemap: false,
    clean: true,
    treeshake: true,
    // Keep `node:` specifiers external and intact: the main entry loads them lazily, only where a
    // filesystem exists; the testing and batch entries are Node-only.
    removeNodeProtocol: false,
    external: [/^node:/],
  },
  {
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    splitting: false,
    clean: false,
  },
]);
