import { randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random alphanumeric string, e.g. a 10-character document id like the API's `k2D9ZRz9Ob`. */
export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** A token shaped like a Laravel Sanctum token (`<id>|<40 chars>`), as the real API hands out. */
export function randomToken(): string {
  return `1|${randomAlphanumeric(40)}`;
}
