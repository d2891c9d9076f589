// `npm run spec:diff -- <old> <new> [--json] [--fail-on <level>]`: the change report between any two OpenAPI
// documents, nothing else (no file is replaced, nothing regenerated). See scripts/lib/spec-diff-cli.ts.
import { specDiffCommand } from './lib/spec-diff-cli.js';

// npm runs scripts from the package root; read paths (and run git) where the user typed the command.
const result = await specDiffCommand(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
