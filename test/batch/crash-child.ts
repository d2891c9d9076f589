// A batch that kills itself (SIGKILL, like `kill -9`: no handler, no flush) at one point, for crash.test.ts.
// argv: <base url> <out dir> <crash point> <input...>; the token comes in HANDWRITING_OCR_API_TOKEN.
// Crash points: a journal state (killed right after that record is durable), or `sent` (killed once the
// API has accepted an upload, before the answer reaches the journal).
import { basename, join } from 'node:path';
import { FileJournal, JOURNAL_FILE, type JournalRecord, runBatch } from '../../src/batch/index.js';
import { HandwritingOCR } from '../../src/index.js';

const [baseUrl = '', outDir = '', crashAt = '', ...inputs] = process.argv.slice(2);
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

class CrashingJournal extends FileJournal {
  override async append(record: JournalRecord): Promise<void> {
    await super.append(record);
    if (record.state === crashAt) die();
  }
}

const client = new HandwritingOCR({
  baseUrl,
  maxRetries: 0,
  fetch: async (request: Request) => {
    const response = await fetch(request);
    if (crashAt === 'sent' && request.method === 'POST' && response.status === 201) die();
    return response;
  },
});

await runBatch({
  client,
  journal: new CrashingJournal(join(outDir, JOURNAL_FILE)),
  files: inputs.map((input) => ({ input, output: join(outDir, `${basename(input, '.png')}.txt`) })),
  action: 'transcribe',
  format: 'txt',
  concurrency: 1,
  maxConcurrency: 1,
  pollIntervalMs: 20,
});
// Reaching this line means the crash point never came: the test fails on the exit code.
process.exitCode = 3;
