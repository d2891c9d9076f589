// Where the CLI's token and API root come from. The token is never taken from the command line itself:
// arguments show up in `ps` and shell history.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_BASE_URL } from '../index.js';
import { UsageError } from './io.js';

/** Environment variable holding the API token. */
export const TOKEN_ENV = 'HANDWRITING_OCR_API_TOKEN';
/** Environment variable holding the API root. */
export const BASE_URL_ENV = 'HANDWRITING_OCR_BASE_URL';
/** The API root when neither `--base-url` nor the environment names one. */
export { DEFAULT_BASE_URL };

/** Options every command accepts. */
export interface GlobalOptions {
  tokenFile?: string;
  baseUrl?: string;
  json?: boolean;
  debug?: boolean;
  quiet?: boolean;
}

/**
 * The API token: the contents of `--token-file` (trailing whitespace and newline trimmed) when given, else
 * `HANDWRITING_OCR_API_TOKEN`. A missing, unreadable or empty source is a usage error.
 */
export function resolveToken(
  options: Pick<GlobalOptions, 'tokenFile'>,
  env: Record<string, string | undefined>,
  cwd: string,
): string {
  if (options.tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, options.tokenFile), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new UsageError(`cannot read token file ${options.tokenFile} (${code})`);
    }
    const token = text.trim();
    if (!token) throw new UsageError(`token file ${options.tokenFile} is empty`);
    if (/\s/.test(token)) throw new UsageError(`token file ${options.tokenFile} must hold the token alone`);
    return token;
  }
  const token = env[TOKEN_ENV]?.trim();
  if (!token) throw new UsageError(`no API token: set ${TOKEN_ENV} or pass --token-file <path>`);
  return token;
}

/** The API root: `--base-url`, else `HANDWRITING_OCR_BASE_URL`, else the public API. */
export function resolveBaseUrl(
  options: Pick<GlobalOptions, 'baseUrl'>,
  env: Record<string, string | undefined>,
): string {
  const raw = options.baseUrl ?? (env[BASE_URL_ENV] || undefined) ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid base URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`invalid base URL: ${raw} (expected http(s)://…)`);
  }
  return raw;
}
