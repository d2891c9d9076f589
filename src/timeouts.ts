// Per-attempt timeouts on one shared timer. A setTimeout + clearTimeout per request costs ~2 µs in Node (each
// clear empties the timer list, so the next request re-creates it and re-arms libuv), a visible share of a
// loopback request. Here an attempt costs a Set insert and delete; the timer is re-armed only when a deadline
// comes earlier than the one it waits for, or when it fires.

interface Entry {
  at: number;
  controller: AbortController;
}

const pending = new Set<Entry>();
let timer: ReturnType<typeof setTimeout> | undefined;
let armedAt = Number.POSITIVE_INFINITY;
let armedWith: typeof setTimeout | undefined;
let generation = 0;

/** Aborts `controller` with a `TimeoutError` after `ms` unless {@link clearDeadline} comes first. */
export function setDeadline(controller: AbortController, ms: number): Entry {
  const entry: Entry = { at: Date.now() + ms, controller };
  pending.add(entry);
  // Also re-arm when the armed timer cannot be trusted: set with another setTimeout (test fake timers
  // installed or removed since), or overdue without having fired.
  if (entry.at < armedAt || globalThis.setTimeout !== armedWith || entry.at - ms > armedAt + 1_000) {
    arm(Math.min(entry.at, earliest()));
  }
  return entry;
}

/** Forgets a deadline (the attempt finished in time). The shared timer is left as it is. */
export function clearDeadline(entry: Entry | undefined): void {
  if (entry) pending.delete(entry);
}

function arm(at: number): void {
  if (timer !== undefined && globalThis.setTimeout === armedWith) clearTimeout(timer);
  armedAt = at;
  armedWith = globalThis.setTimeout;
  const current = ++generation;
  timer = setTimeout(() => fire(current), Math.max(0, at - Date.now()));
  // Node: a pending deadline must not keep the process alive on its own (the request itself does).
  (timer as { unref?: () => void }).unref?.();
}

function fire(armed: number): void {
  // A timer replaced by a newer one (see setDeadline) still aborts what is due, but leaves the state alone.
  const current = armed === generation;
  if (current) {
    timer = undefined;
    armedAt = Number.POSITIVE_INFINITY;
  }
  const now = Date.now();
  let next = Number.POSITIVE_INFINITY;
  for (const entry of pending) {
    if (entry.at <= now + 1) {
      pending.delete(entry);
      entry.controller.abort(new DOMException('The attempt timed out.', 'TimeoutError'));
    } else if (entry.at < next) {
      next = entry.at;
    }
  }
  if (current && next !== Number.POSITIVE_INFINITY) arm(next);
}

function earliest(): number {
  let at = Number.POSITIVE_INFINITY;
  for (const entry of pending) if (entry.at < at) at = entry.at;
  return at;
}
