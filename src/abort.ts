// The caller's AbortSignal: linking it to the SDK's own controllers, and waits that it cuts short at once.
import { APIUserAbortError } from './errors.js';

/** The error for an aborted signal; its `cause` is the signal's reason. */
export function abortError(signal: AbortSignal): APIUserAbortError {
  return new APIUserAbortError(undefined, { cause: signal.reason });
}

interface Fan {
  controllers: Set<AbortController>;
  onAbort: () => void;
}

// One listener per caller signal, however many requests, streams and waits share it: Node warns past 10
// listeners on one AbortSignal (MaxListenersExceededWarning), and a batch may run hundreds under one signal.
const fans = new WeakMap<AbortSignal, Fan>();

/**
 * Aborts `controller` (with the signal's reason) when `signal` aborts. Returns the unlink function, which is
 * safe to call more than once; the signal's listener goes with the last link.
 */
export function linkSignal(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => {};
  }
  let fan = fans.get(signal);
  if (!fan) {
    const controllers = new Set<AbortController>();
    const onAbort = () => {
      fans.delete(signal);
      for (const c of controllers) c.abort(signal.reason);
    };
    fan = { controllers, onAbort };
    fans.set(signal, fan);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent: a signal aborts once, so `once` only tidies up
    signal.addEventListener('abort', onAbort, { once: true });
  }
  const { controllers, onAbort } = fan;
  controllers.add(controller);
  return () => {
    if (!controllers.delete(controller) || controllers.size > 0) return;
    signal.removeEventListener('abort', onAbort);
    // Stryker disable next-line ConditionalExpression: equivalent: the fan of a signal is this one or gone (a new link to an aborted signal makes none)
    if (fans.get(signal)?.controllers === controllers) fans.delete(signal);
  };
}

/**
 * `work`, or a rejection with `APIUserAbortError` as soon as `signal` aborts, whichever comes first (`work` is left
 * to settle on its own). Through `linkSignal`, not a listener of its own (as transport's `untilAborted` on an
 * attempt's private signal): the caller's signal may be shared by many calls.
 */
export function orAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const controller = new AbortController();
    const unlink = linkSignal(signal, controller);
    controller.signal.addEventListener('abort', () => reject(abortError(signal)));
    work.then(resolve, reject).finally(unlink);
  });
}

/** Resolves after `ms`, or rejects with `APIUserAbortError` as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const controller = new AbortController();
    const unlink = linkSignal(signal, controller);
    const timer = setTimeout(() => {
      unlink();
      resolve();
    }, ms);
    controller.signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        unlink();
        reject(abortError(signal as AbortSignal));
      },
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent: a signal aborts once, so `once` only tidies up
      { once: true },
    );
  });
}
