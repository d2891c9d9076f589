// `hwocr documents list|get|download|delete`.
import { relative } from 'node:path';
import { checkFormat } from '../../checks.js';
import { type Action, type Document, type DownloadFormat, WaitTimeoutError } from '../../index.js';
import type { Context } from '../context.js';
import { waitTimeoutMessage } from '../errors.js';
import { checkParentDirectory, ensureDirectory, isDirectoryTarget, outputPathFor } from '../files.js';
import { CommandFailure, isTerminal, UsageError } from '../io.js';
import { DEFAULT_FORMAT, FORMATS_BY_ACTION, isBinaryFormat } from '../options.js';
import { cell, formatFields, formatTable, shortTime } from '../output.js';
import { saveResult, toOutput } from './transcribe.js';

/** Options of `hwocr documents list`. */
export interface ListOptions {
  page?: number;
  perPage?: number;
  all?: boolean;
}

/** Runs `hwocr documents list`. */
export async function listDocuments(options: ListOptions, ctx: Context): Promise<void> {
  if (options.all && options.page !== undefined) throw new UsageError('--all and --page cannot be combined');
  const client = ctx.client();
  const { out, signal } = ctx;
  const query = {
    ...(options.page !== undefined ? { page: options.page } : {}),
    ...(options.perPage !== undefined ? { per_page: options.perPage } : {}),
  };
  if (options.all) {
    const documents: Document[] = [];
    for await (const doc of client.documents.list(query, { signal })) documents.push(doc);
    if (ctx.globals.json) out.printJson({ documents });
    else printDocuments(documents, ctx);
    return;
  }
  const page = await client.documents.list(query, { signal });
  if (ctx.globals.json) {
    out.printJson(page);
    return;
  }
  printDocuments(page.documents, ctx);
  if (page.last_page > 1) {
    const more =
      page.current_page < page.last_page ? `; --page ${page.current_page + 1} for more, or --all` : '';
    out.note(`page ${page.current_page} of ${page.last_page} (${page.total} documents)${more}`);
  }
}

function printDocuments(documents: readonly Document[], ctx: Context): void {
  if (documents.length === 0) {
    ctx.out.note('no documents');
    return;
  }
  const rows = documents.map((d) => [
    d.id,
    d.status,
    d.action,
    cell(d.page_count),
    shortTime(d.created_at),
    cell(d.file_name),
  ]);
  for (const line of formatTable(rows, ['ID', 'STATUS', 'ACTION', 'PAGES', 'CREATED', 'FILE']))
    ctx.out.line(line);
}

/** Runs `hwocr documents get <id>`. */
export async function getDocument(id: string, ctx: Context): Promise<void> {
  const doc = await ctx.client().documents.retrieve(id, { signal: ctx.signal });
  if (ctx.globals.json) {
    ctx.out.printJson(doc);
    return;
  }
  const full = doc as Partial<Document> & { id: string; status: string; thumbnails?: unknown[] };
  const offered = full.action ? FORMATS_BY_ACTION[full.action].join(', ') : undefined;
  const lines = formatFields([
    ['id', full.id],
    ['file', full.file_name],
    ['action', full.action],
    ['status', full.status],
    [
      'pages',
      full.page_count === undefined || full.page_count === null ? undefined : String(full.page_count),
    ],
    ['created', full.created_at],
    ['updated', full.updated_at],
    ['deleted at', full.automatically_deleted_at],
    ['formats', full.status === 'processed' ? offered : undefined],
    // A failed document's reason, as the API gives it.
    ['error', (doc as { error?: string | null }).error ?? undefined],
  ]);
  for (const line of lines) ctx.out.line(line);
}

/** Options of `hwocr documents download`. */
export interface DownloadOptions {
  format?: DownloadFormat;
  out?: string;
  wait?: boolean;
  timeout?: number;
  pollInterval?: number;
}

/** Runs `hwocr documents download <id>`. */
export async function downloadDocument(id: string, options: DownloadOptions, ctx: Context): Promise<void> {
  const { out, signal } = ctx;
  const json = ctx.globals.json === true;
  if (options.format && isBinaryFormat(options.format) && options.out === undefined) {
    if (json) throw new UsageError(`--json with --format ${options.format} needs --out <file>`);
    if (isTerminal(ctx.io, ctx.io.stdout)) {
      throw new UsageError(
        `will not write ${options.format} to a terminal: use --out <file> or redirect stdout`,
      );
    }
  }
  let target: string | undefined;
  if (options.out !== undefined && !isDirectoryTarget(options.out, ctx.cwd)) {
    target = checkParentDirectory(options.out, ctx.cwd);
  }
  const client = ctx.client();
  // The document says which formats it offers (by its action): known before anything is downloaded.
  let doc: { action?: Action | undefined };
  if (options.wait) {
    try {
      doc = await client.documents.waitForProcessing(id, {
        signal,
        ...(options.timeout !== undefined ? { timeoutMs: options.timeout * 1000 } : {}),
        ...(options.pollInterval !== undefined ? { pollIntervalMs: options.pollInterval * 1000 } : {}),
      });
    } catch (err) {
      if (!(err instanceof WaitTimeoutError)) throw err;
      const again = ['hwocr', 'documents', 'download', id, '--wait'];
      if (options.format) again.push('--format', options.format);
      if (options.out) again.push('--out', options.out);
      throw new CommandFailure(waitTimeoutMessage(err, options.timeout, `'${again.join(' ')}'`));
    }
  } else {
    doc = await client.documents.retrieve(id, { signal });
  }
  let format = options.format;
  if (format) {
    // The SDK's check: a format the document's action does not offer is refused, naming those it offers.
    checkFormat(format, doc.action);
  } else {
    format = doc.action ? DEFAULT_FORMAT[doc.action] : 'txt';
    if (isBinaryFormat(format) && options.out === undefined && isTerminal(ctx.io, ctx.io.stdout)) {
      throw new UsageError(`will not write ${format} to a terminal: use --out <file> or redirect stdout`);
    }
  }
  if (options.out !== undefined && target === undefined) {
    target = outputPathFor(id, ensureDirectory(options.out, ctx.cwd), format);
  }

  if (target !== undefined) {
    await saveResult(client, id, format, target, signal);
    const shown = relative(ctx.cwd, target) || target;
    if (json) out.printJson({ id, format, output: shown });
    else out.note(`wrote ${shown}`);
    return;
  }
  const content = await client.documents.download(id, format, { signal });
  if (json) {
    out.printJson({ id, format, content });
    return;
  }
  const data = toOutput(content);
  if (typeof data === 'string') {
    out.text(data);
    if (isTerminal(ctx.io, ctx.io.stdout) && !data.endsWith('\n')) out.text('\n');
  } else {
    out.bytes(data);
  }
}

/** Runs `hwocr documents delete <id>`. */
export async function deleteDocument(id: string, ctx: Context): Promise<void> {
  await ctx.client().documents.delete(id, { signal: ctx.signal });
  if (ctx.globals.json) ctx.out.printJson({ id, deleted: true });
  else ctx.out.line(`deleted ${id}`);
}
