import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

// zod is an optional peer dependency, used only by `handwriting-ocr/schemas`. Without this plugin a missing zod
// surfaces as Node's bare "Cannot find package 'zod'"; with it, the entry says what to install. The generated
// validators import zod through a small module that loads it inside a try (a top-level await in ESM, require()
// in CJS) and rethrows "not found" with that advice.
const ZOD_MISSING =
  'handwriting-ocr/schemas needs zod 4, an optional peer dependency that is not installed: npm install zod@4';

function zodPeer(): Plugin {
  return {
    name: 'zod-peer',
    setup(build) {
      const esm = build.initialOptions.format === 'esm';
      build.onLoad({ filter: /[\\/]generated[\\/]hey-api[\\/]zod\.gen\.ts$/ }, async (args) => {
        const { readFile } = await import('node:fs/promises');
        const source = await readFile(args.path, 'utf8');
        const line = "import * as z from 'zod';";
        // Fail the build rather than ship an entry that bypasses the check if the generator changes its import.
        if (!source.includes(line)) throw new Error(`zod-peer: ${args.path} no longer has \`${line}\``);
        return { contents: source.replace(line, "import { z } from 'zod-peer';"), loader: 'ts' };
      });
      build.onResolve({ filter: /^zod-peer$/ }, () => ({ path: 'zod-peer', namespace: 'zod-peer' }));
      build.onLoad({ filter: /.*/, namespace: 'zod-peer' }, () => ({
        contents: `const missing = (e) => e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND';
let zod;
try { zod = ${esm ? "await import('zod')" : "require('zod')"}; }
catch (e) { throw missing(e) ? new Error(${JSON.stringify(ZOD_MISSING)}, { cause: e }) : e; }
export const z = zod.z;`,
        loader: 'js',
      }));
    },
  };
}

// The main entry for runtimes without a filesystem: the same modules, but `./io.js` (Node-only I/O) is io.web.ts.
// package.json's exports give this build to every runtime but those with the `node` condition (Node, Deno, Bun),
// so browser bundlers (esbuild, Vite, webpack) need no configuration and never see `node:*`.
function webIo(): Plugin {
  return {
    name: 'web-io',
    setup(build) {
      build.onResolve({ filter: /^\.\/io\.js$/ }, (args) => ({ path: `${args.resolveDir}/io.web.ts` }));
    },
  };
}

// `handwriting-ocr/webhooks` takes its error classes from the main entry, by the package's own name (a self-reference,
// resolved by `exports` like a user's import): a bundled copy would make `err instanceof InvalidParamsError` false
// where InvalidParamsError comes from the main entry (always with `require`; in browsers and Workers, whose main
// entry is the web build, with `import` too).
function errorsFromMainEntry(): Plugin {
  return {
    name: 'errors-from-main-entry',
    setup(build) {
      build.onResolve({ filter: /^\.\/errors\.js$/ }, () => ({ path: 'handwriting-ocr', external: true }));
    },
  };
}

export default defineConfig([
  {
    // Library entries: ESM + CJS, each with its own declarations (.d.ts / .d.cts) so `import` and `require`
    // both get correct types. Code shared between the ESM entries goes to `dist/chunk-<hash>.js`.
    entry: {
      index: 'src/index.ts',
      testing: 'src/testing/index.ts',
      batch: 'src/batch/index.ts', // Node only (files, the journal, the webhook listener)
    },
    format: ['esm', 'cjs'],
    // The webhooks entry's declarations are built here, sharing the type chunks; its code is built below.
    dts: {
      entry: {
        index: 'src/index.ts',
        testing: 'src/testing/index.ts',
        batch: 'src/batch/index.ts',
        webhooks: 'src/webhooks.ts',
      },
    },
    target: 'node20',
    platform: 'neutral',
    sourcemap: false,
    // dist/ is emptied by `npm run build` first: with several configs building at once, tsup's own clean
    // raced the others' declarations.
    clean: false,
    // Rollup's pass over the output also fixes the CJS interop of `import createClient from 'openapi-fetch'`
    // (esbuild alone hands it openapi-fetch's whole exports object, so the CJS build could not construct a client).
    treeshake: true,
    // Keep `node:` specifiers intact (the testing and batch entries and the main entry's Node I/O use them).
    removeNodeProtocol: false,
    external: [/^node:/],
  },
  {
    // The zod validators, alone: their zod-peer loader needs esbuild's output as it is (no rollup pass).
    entry: { schemas: 'src/schemas.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    platform: 'neutral',
    sourcemap: false,
    clean: false,
    esbuildPlugins: [zodPeer()],
  },
  {
    // Webhook deliveries (server side, every runtime): its own code, with the error classes of the main entry.
    entry: { webhooks: 'src/webhooks.ts' },
    format: ['esm', 'cjs'],
    dts: false,
    target: 'es2022',
    platform: 'neutral',
    sourcemap: false,
    clean: false,
    esbuildPlugins: [errorsFromMainEntry()],
  },
  {
    // Declarations are shared with the entry above (same public surface).
    entry: { 'index.web': 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: false,
    treeshake: true, // the CJS interop of openapi-fetch, as above
    target: 'es2022',
    platform: 'browser',
    sourcemap: false,
    clean: false,
    esbuildPlugins: [webIo()],
  },
  {
    // The bin, ESM only, with its libraries (commander, listr2: devDependencies) bundled in, so installing the
    // package for the client never installs them. The SDK itself is bundled in too; openapi-fetch stays a
    // dependency.
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    splitting: false,
    clean: false,
    noExternal: ['commander', 'listr2'],
    // Minified, with function and class names kept so a --debug stack still reads: unminified, this one file
    // was a third of what an install brings.
    minify: true,
    esbuildOptions(options) {
      options.keepNames = true;
    },
    // Bundled CommonJS code (commander) calls require() for Node built-ins, which an ES module lacks.
    banner: {
      js: "import { createRequire as hwocrRequire } from 'node:module';\nconst require = hwocrRequire(import.meta.url);",
    },
  },
]);
