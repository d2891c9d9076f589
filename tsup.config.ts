import { defineConfig } from 'tsup';

// Library entries: ESM + CJS, each with its own declarations (.d.ts / .d.cts) so `import` and `require` both
// get correct types. Dependencies stay external; the bin is ESM only.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', schemas: 'src/schemas.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    platform: 'neutral',
    splitting: false,
    sourcemap: false,
    clean: true,
    treeshake: true,
    // Keep `node:` specifiers external and intact: the main entry loads them lazily, only where a
    // filesystem exists; the testing entry is Node-only.
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
