// `npm run spec:diff -- <old> <new> [--json] [--fail-on <level>]`: the change report between any two OpenAPI
// documents, nothing else (no file is replaced, nothing regenerated). Each document is a file (JSON or YAML)
// or `git:<ref>:<path>`. Markdown on stdout, or the JSON report with --json (`npm run -s` keeps npm's banner
// out of it). Exit code 1 when the new document has an error (a $ref to nothing) or a change reaches the
// --fail-on level (breaking, potentially-breaking); 2 for a usage or read error.
import { parseArgs } from 'node:util';
import { StageError } from './lib/pipeline.js';
import { diffSpecs, formatReport, LEVELS, type Level, reportJson } from './lib/spec-diff.js';
import { parseSpec, readSource } from './lib/spec-source.js';

const USAGE =
  'Usage: npm run spec:diff -- <old> <new> [--json] [--fail-on breaking|potentially-breaking]\n' +
  '  <old>, <new>: a file (JSON or YAML) or git:<ref>:<path>, e.g. git:HEAD~1:openapi/handwriting-ocr.v3.json';

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (err) {
    throw new StageError('usage', `${(err as Error).message}\n${USAGE}`, 'Name two documents.');
  }
  const { positionals, values } = parsed;
  const failOn = values['fail-on'] as Level | undefined;
  if (positionals.length !== 2 || (failOn !== undefined && !LEVELS.includes(failOn))) {
    throw new StageError('usage', USAGE, 'Name two documents.');
  }
  const [from, to] = positionals as [string, string];
  // npm runs scripts from the package root; resolve paths (and run git) where the user typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const before = parseSpec(await readSource(from, cwd), from, true);
  const after = parseSpec(await readSource(to, cwd), to, true);
  const diff = diffSpecs(before, after);
  const opts = { title: 'Client-facing changes', fromLabel: from, toLabel: to };
  process.stdout.write(
    values.json ? `${JSON.stringify(reportJson(diff, opts), null, 2)}\n` : formatReport(diff, opts),
  );
  const broken = diff.problems.some((p) => p.document === 'new' && p.severity === 'error');
  const limit = failOn === undefined ? -1 : LEVELS.indexOf(failOn);
  const tooMuch = diff.changes.some((c) => LEVELS.indexOf(c.level) <= limit);
  return broken || tooMuch ? 1 : 0;
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean' }, 'fail-on': { type: 'string' } },
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof StageError) console.error(`✖ ${err.message}\n→ ${err.hint}`);
    else console.error(err);
    process.exitCode = 2;
  },
);
