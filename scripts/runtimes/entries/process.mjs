// Node, Bun and Deno as ES modules: the scenario's env is the first argument; the results go to stdout as one
// JSON line.
import * as sdk from 'handwriting-ocr';
import { scenario } from './scenario.mjs';

const arg = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2];
console.log(JSON.stringify(await scenario(sdk, JSON.parse(arg))));
