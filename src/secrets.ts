// Keeping secrets (the API token, credentials in caller headers) out of everything the SDK hands back or logs:
// error messages, error bodies and headers, causes, and log lines.

/** Placeholder written instead of a secret. */
export const REDACTED = '[REDACTED]';

/** Placeholder written instead of an object nested deeper than redaction looks. */
export const TRUNCATED = '[Truncated]';
const MAX_DEPTH = 8;

/** Header and field names whose values are secrets wherever they appear (`token` is the API token in `/users/me`). */
export const SECRET_NAME =
  /^(authorization|proxy-authorization|token|api[-_]?token|api[-_]?key|x-api-key|x-auth-token|secret|password|x-signature|cookie|set-cookie)$/i;

/** Replaces every occurrence of the given secrets in a text. */
export type Scrub = (text: string) => string;

/**
 * A function that replaces every occurrence of each secret in a text. Secrets shorter than 4 characters are left
 * alone: they cannot be searched for without mangling ordinary text (a real token is long).
 */
export function scrubberFor(...secrets: string[]): Scrub {
  // Longest first: a shorter secret inside a longer one would otherwise leave the rest of the longer one.
  const found = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of found) out = out.replaceAll(secret, REDACTED);
    return out;
  };
}

/**
 * The secrets carried by request headers: the value of each credential header, and its credential part
 * (`Bearer <this>`), so that an echo of either is scrubbed.
 */
export function headerSecrets(headers: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!SECRET_NAME.test(name)) continue;
    // Trimmed as fetch sends it: with surrounding blanks kept, an echo of the sent value would not match.
    const sent = value.trim();
    out.push(sent);
    // What follows the first run of blanks (`Bearer <this>`): `sent` starts with none, and a checked header value
    // holds no line break.
    const credential = /\s+(.+)/.exec(sent)?.[1];
    if (credential) out.push(credential);
  }
  return out;
}

/**
 * A deep copy of `value` with secret-named fields replaced and secrets scrubbed from every string. An object
 * nested deeper than {@link MAX_DEPTH} levels is replaced by {@link TRUNCATED}: what is not inspected is not kept.
 */
export function redact(value: unknown, scrub: Scrub = (t) => t, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return TRUNCATED;
  if (value instanceof Headers) return redact(Object.fromEntries(value), scrub, depth);
  if (Array.isArray(value)) return value.map((item) => redact(item, scrub, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_NAME.test(key) && item != null ? REDACTED : redact(item, scrub, depth + 1);
  }
  return out;
}

/** A copy of response headers with credential headers replaced and secrets scrubbed from every value. */
export function scrubHeaders(headers: Headers, scrub: Scrub): Headers {
  const out = new Headers();
  headers.forEach((value, name) => {
    out.append(name, SECRET_NAME.test(name) ? REDACTED : scrub(value));
  });
  return out;
}

/**
 * `error` itself when no secret is reachable from it (its message, stack, and nested own properties), else a
 * plain Error with the same name and a scrubbed message. A custom `fetch` may throw anything, including an error
 * that holds the request and its `Authorization` header.
 */
export function safeCause(error: unknown, scrub: Scrub): unknown {
  if (!leaks(error, scrub, 0, new Set())) return error;
  // Only a string or an object leaks: never null or undefined here.
  const source = error as { name?: unknown; message?: unknown; code?: unknown };
  const copy = new Error(scrub(String(source.message ?? error)));
  copy.name = typeof source.name === 'string' ? source.name : 'Error';
  if (typeof source.code === 'string') Object.assign(copy, { code: source.code });
  return copy;
}

function leaks(value: unknown, scrub: Scrub, depth: number, seen: Set<unknown>): boolean {
  if (typeof value === 'string') return scrub(value) !== value;
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  // Deeper than this, or an object we cannot walk: assume the worst.
  if (depth > MAX_DEPTH) return true;
  seen.add(value);
  if (value instanceof Headers || value instanceof Request || value instanceof Response) return true;
  for (const key of Reflect.ownKeys(value)) {
    let item: unknown;
    try {
      item = (value as Record<PropertyKey, unknown>)[key];
    } catch {
      // A getter that throws: nothing was read, and `undefined` leaks nothing.
    }
    if (leaks(item, scrub, depth + 1, seen)) return true;
  }
  return false;
}
