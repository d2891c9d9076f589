// Assertions every case makes about what it received: each response valid per the merged spec (our own
// Ajv check), and no `sl-violations` header, i.e. Prism found nothing wrong with the request the SDK built
// (mock) or with the upstream's answer (proxy).
import { expect } from 'vitest';
import type { Exchange } from './recorder.js';
import { loadSpec, specPath } from './spec.js';
import { SpecValidator } from './validator.js';

let shared: SpecValidator | undefined;
/** One validator per worker; compiling the spec is the expensive part. */
export function specValidator(): SpecValidator {
  shared ??= new SpecValidator(loadSpec(specPath()));
  return shared;
}

export interface Violation {
  location?: string[];
  severity?: string;
  code?: string | number;
  message?: string;
}

export function violationsOf(ex: Pick<Exchange, 'headers'>): Violation[] {
  const raw = ex.headers.get('sl-violations');
  if (!raw) return [];
  try {
    return JSON.parse(raw) as Violation[];
  } catch {
    return [{ message: raw }];
  }
}

const line = (ex: Exchange) =>
  `${ex.method} ${new URL(ex.url).pathname}${new URL(ex.url).search} → ${ex.status}`;

/** Problems with one exchange: what Prism flagged and what our validator finds in the response. */
export async function problemsOf(
  ex: Exchange,
  options: { allowViolations?: boolean } = {},
): Promise<string[]> {
  const problems: string[] = [];
  if (!options.allowViolations)
    for (const v of violationsOf(ex))
      problems.push(`${line(ex)}: Prism sl-violation ${v.location?.join('.') ?? ''}: ${v.message ?? ''}`);
  const body = await ex.body;
  for (const p of specValidator().validateResponse({ ...ex, body })) problems.push(`${line(ex)}: ${p}`);
  if ((ex.headers.get('content-type') ?? '').includes('problem+json'))
    problems.push(`${line(ex)}: Prism answered itself: ${new TextDecoder().decode(body).slice(0, 300)}`);
  return problems;
}

/**
 * Every exchange conforms, and (when given) the last one has the expected status: Prism silently falls
 * back to another status when a forced one cannot be produced, so the status is always checked.
 */
export async function expectConforming(
  exchanges: readonly Exchange[],
  expected: { status?: number; allowViolations?: boolean } = {},
): Promise<void> {
  expect(exchanges.length, 'the SDK sent no request').toBeGreaterThan(0);
  const problems = (await Promise.all(exchanges.map((ex) => problemsOf(ex, expected)))).flat();
  expect(problems, problems.join('\n')).toEqual([]);
  if (expected.status !== undefined) expect(exchanges.at(-1)?.status).toBe(expected.status);
}
