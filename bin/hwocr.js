#!/usr/bin/env node
// The `hwocr` bin. In a checkout (src/ beside it) it runs the CLI from source through tsx, so `npx hwocr` works
// right after `npm ci` and never runs a stale build; the published package has no src/ and runs dist/cli.js.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/index.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli.js');
}
