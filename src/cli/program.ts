// The command line: commander definitions, and `run()`, which parses, runs one command and turns the outcome
// into an exit code. It never calls `process.exit`, so tests drive it in-process.
import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { me, topup } from './commands/account.js';
import { deleteDocument, downloadDocument, getDocument, listDocuments } from './commands/documents.js';
import {
  SIMULATOR_CREDITS,
  SIMULATOR_PORT,
  SIMULATOR_PROCESSING_MS,
  SIMULATOR_TOKEN,
  simulator,
} from './commands/simulator.js';
import { transcribe } from './commands/transcribe.js';
import { WEBHOOK_SECRET_ENV } from './commands/transcribe-batch.js';
import { BASE_URL_ENV, DEFAULT_BASE_URL, type GlobalOptions, TOKEN_ENV } from './config.js';
import { Context } from './context.js';
import { describeError, describeStack, errorJson, exitCodeFor } from './errors.js';
import { type CliIO, CommandFailure, ExitCode, UsageError } from './io.js';
import {
  ACTION_CHOICES,
  creditAmount,
  deleteAfterSeconds,
  documentId,
  extractorId,
  FORMAT_CHOICES,
  nonNegativeInt,
  perPage,
  port,
  positiveInt,
  positiveSeconds,
  promptId,
} from './options.js';
import { Output } from './output.js';

/** The CLI's version (the package's). */
export const VERSION: string = pkg.version;

const ROOT_HELP = `
Environment:
  ${TOKEN_ENV}   API token (or --token-file; the token is never printed)
  ${BASE_URL_ENV}    API root (default ${DEFAULT_BASE_URL})

Exit codes:
  0 success   1 API or processing failure   2 usage error   130 interrupted

Examples:
  $ hwocr transcribe note.png                      transcript on stdout
  $ hwocr transcribe scans/*.pdf --out out/        one out/<name>.txt per input
  $ hwocr transcribe form.pdf --action tables --format xlsx --out form.xlsx
  $ hwocr documents list --all --json
  $ hwocr credits topup 500 --yes
  $ hwocr simulator                                a local API to try all of the above on`;

const TRANSCRIBE_HELP = `
Formats by action (default first):
  transcribe  txt, docx, json
  tables      json, xlsx
  extractor   json, xlsx, csv

Output:
  no --out, one file     the result on stdout (docx/xlsx only when stdout is not a terminal)
  --out FILE             one file only
  --out DIR/             <input name>.<format> per input (DIR is created; an existing directory needs no /)
  --json                 one JSON object { results: [{ file, id, status, format, output | content, error }] }
                         (with --out DIR also { summary }); errors as one JSON line on stderr

Batches (--out DIR): a journal in DIR/.hwocr-journal.jsonl records every step; rerun the same command to
resume after a crash or Ctrl-C (done files are skipped, uploaded ones fetched by id, nothing paid twice).
An upload cut off mid-request is looked for among your documents, else reported as unknown and only sent
again with --retry-unknown. Uploads at a time start at -c, halve on 429 and grow back, up to --max-concurrency.

Files are independent: when some fail the others still complete, and the exit code is 1.`;

const SIMULATOR_HELP = `
Prints the base URL and the token (one JSON line with --json), then serves until Ctrl-C (SIGINT) or SIGTERM
and exits 0. Point hwocr (or any client) at it:
  export HANDWRITING_OCR_BASE_URL=http://127.0.0.1:${SIMULATOR_PORT}/v3
  export HANDWRITING_OCR_API_TOKEN=${SIMULATOR_TOKEN}

Control API, same token, at http://HOST:PORT/_simulator:
  POST /_simulator/faults     {"route":"GET /documents/{id}","kind":"status","status":429}
  GET|DELETE /_simulator/faults
  POST /_simulator/complete   finish every pending document now
  POST /_simulator/reset      no documents, faults or requests; starting credits
  GET|DELETE /_simulator/requests
  GET /_simulator/documents   ·   GET|PUT /_simulator/credits {"credits":N}`;

interface RunState {
  ctx?: Context;
}

/** Builds the `hwocr` command tree, printing through `io`. */
export function buildProgram(io: CliIO, state: RunState = {}): Command {
  const context = (command: Command): Context => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    state.ctx = new Context(io, globals, new Output(io, { json: globals.json === true }));
    return state.ctx;
  };
  const width = (stream: CliIO['stdout']) => () => stream.columns ?? 80;

  const program = new Command('hwocr')
    .description('Handwriting OCR from the command line: transcribe handwriting in PDFs and images.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--token-file <path>', `read the API token from this file instead of $${TOKEN_ENV}`)
    .option('--base-url <url>', `API root (default: $${BASE_URL_ENV} or ${DEFAULT_BASE_URL})`)
    .option('--json', 'print machine-readable JSON on stdout (no progress)')
    .option('-q, --quiet', 'no progress output')
    .option('--debug', 'log requests and print stacks of errors on stderr')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // run() prints parse errors itself, as one line with a hint.
      outputError: () => {},
      getOutHelpWidth: width(io.stdout),
      getErrHelpWidth: width(io.stderr),
    })
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', ROOT_HELP);

  program
    .command('transcribe')
    .description('upload files, wait for them, and write each result')
    .argument('<files...>', 'PDF, JPG, PNG, TIFF, HEIC, GIF, BMP, WEBP or AVIF files')
    .addOption(
      new Option('-a, --action <action>', 'what to extract').choices(ACTION_CHOICES).default('transcribe'),
    )
    .option('--extractor-id <id>', 'extractor to use (with --action extractor)', extractorId)
    .option('--prompt-id <id>', 'saved prompt to apply (Enterprise plans)', promptId)
    .addOption(
      new Option(
        '-f, --format <format>',
        'result format (default: txt, or json for tables/extractor)',
      ).choices(FORMAT_CHOICES),
    )
    .option('-o, --out <file|dir>', 'write results here instead of stdout')
    .option(
      '--delete-after <seconds>',
      'have the API delete the document after this long (300..1209600)',
      deleteAfterSeconds,
    )
    .option(
      '-c, --concurrency <n>',
      'uploads at a time to start with (adapts to 429s with --out DIR)',
      positiveInt,
      4,
    )
    .option('--max-concurrency <n>', 'with --out DIR: never more uploads at a time (default 16)', positiveInt)
    .option(
      '--retry-unknown',
      'with --out DIR: upload again files whose earlier upload has an unknown outcome',
    )
    .option('--webhook-listen <port>', 'with --out DIR: take webhook deliveries on this port', port)
    .option('--webhook-url <url>', 'with --webhook-listen: the URL the API can reach that port at')
    .option(
      '--webhook-secret-file <path>',
      `with --webhook-listen: file holding the webhook secret (or $${WEBHOOK_SECRET_ENV})`,
    )
    .option(
      '--webhook-wait <seconds>',
      'with --webhook-listen: poll a document that had no delivery after this long (default 60)',
      positiveSeconds,
    )
    .option(
      '--timeout <seconds>',
      'give up waiting for a document after this long (default 600)',
      positiveSeconds,
    )
    .option(
      '--poll-interval <seconds>',
      'first wait between status checks (it backs off from there)',
      positiveSeconds,
    )
    .addHelpText('after', TRANSCRIBE_HELP)
    .action((files: string[], options, command: Command) => transcribe(files, options, context(command)));

  const documents = program
    .command('documents')
    .alias('docs')
    .description('list, inspect, download and delete documents');
  documents
    .command('list')
    .description('list documents, newest first')
    .option('--page <n>', 'page number', positiveInt)
    .option('--per-page <n>', 'documents per page (1..200)', perPage)
    .option('--all', 'every page')
    .action((options, command: Command) => listDocuments(options, context(command)));
  documents
    .command('get')
    .description("show a document's status")
    .argument('<id>', 'document id', documentId)
    .action((id: string, _options, command: Command) => getDocument(id, context(command)));
  documents
    .command('download')
    .description("download a document's result (stdout without --out)")
    .argument('<id>', 'document id', documentId)
    .addOption(
      new Option('-f, --format <format>', "result format (default: by the document's action)").choices(
        FORMAT_CHOICES,
      ),
    )
    .option('-o, --out <file|dir>', 'write to this file, or <id>.<format> in this directory')
    .option('--wait', 'wait until the document is processed')
    .option('--timeout <seconds>', 'with --wait: give up after this long (default 600)', positiveSeconds)
    .option('--poll-interval <seconds>', 'with --wait: first wait between status checks', positiveSeconds)
    .action((id: string, options, command: Command) => downloadDocument(id, options, context(command)));
  documents
    .command('delete')
    .description('delete a document and its results')
    .argument('<id>', 'document id', documentId)
    .action((id: string, _options, command: Command) => deleteDocument(id, context(command)));

  program
    .command('me')
    .description('show the account (the token is shown as [REDACTED])')
    .action((_options, command: Command) => me(context(command)));

  const credits = program.command('credits').description('page credits');
  credits
    .command('topup')
    .description('buy page credits (charges the payment method on file)')
    .argument('<amount>', 'credits to buy, a multiple of 100', creditAmount)
    .option('-y, --yes', 'confirm the purchase')
    .action((amount: number, options, command: Command) => topup(amount, options, context(command)));

  program
    .command('simulator')
    .description(
      'run the stateful API simulator on this machine (for trying hwocr, and for tests in any language)',
    )
    .option('--port <n>', 'port to listen on; 0 picks a free one', port, SIMULATOR_PORT)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option(
      '--processing-ms <ms>',
      'how long a document takes from upload to processed',
      nonNegativeInt,
      SIMULATOR_PROCESSING_MS,
    )
    .option('--token <token>', 'the token it accepts (a test token, printed at start)', SIMULATOR_TOKEN)
    .option('--credits <n>', 'page credits the account starts with', nonNegativeInt, SIMULATOR_CREDITS)
    .addHelpText('after', SIMULATOR_HELP)
    .action((options, command: Command) => simulator(options, context(command)));

  return program;
}

/**
 * Runs `hwocr` with `argv` (the arguments after the program name) and resolves to the exit code: 0 ok,
 * 1 API or processing failure, 2 usage error, 130 interrupted. Errors are printed as one line on stderr,
 * with the stack only under `--debug`.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const state: RunState = {};
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    const json = state.ctx?.globals.json ?? argv.includes('--json');
    const out = state.ctx?.out ?? new Output(io, { json });
    const debug = state.ctx?.globals.debug ?? argv.includes('--debug');
    const hints = { baseUrl: state.ctx?.baseUrl };
    let failure = err;
    let code: number;
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return ExitCode.ok; // --help, --version
      // A group without its subcommand: commander has already printed the group's help on stderr.
      if (err.code === 'commander.help') return ExitCode.usage;
      failure = new UsageError(err.message.replace(/^error: /, ''));
      code = ExitCode.usage;
    } else {
      code = exitCodeFor(err);
    }
    if (json) {
      // Scripts get errors as JSON too: one line on stderr (stdout keeps only results).
      out.errorJson(errorJson(failure, hints));
    } else {
      const line = describeError(failure, hints);
      // A batch whose files were refused exits 2 too, but its files, not its options, were wrong: no hint.
      const usage = code === ExitCode.usage && !(failure instanceof CommandFailure);
      const help = usage ? ` (see '${commandPath(program, argv)} --help')` : '';
      out.note(`hwocr: ${line}${help}`);
    }
    if (debug) out.note(describeStack(err));
    return code;
  }
}

/** `hwocr documents list` for `['documents', 'list', '--page', 'x']`: the deepest command argv names. */
function commandPath(program: Command, argv: readonly string[]): string {
  const names = ['hwocr'];
  let command = program;
  for (const token of argv) {
    if (token.startsWith('-')) continue;
    const sub = command.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (!sub) break;
    names.push(sub.name());
    command = sub;
  }
  return names.join(' ');
}
