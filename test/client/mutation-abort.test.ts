// The caller's AbortSignal linked to the SDK's controllers (mutation testing, issue #18).
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { linkSignal, orAbort, sleep } from '../../src/abort.js';
import { APIUserAbortError } from '../../src/errors.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('linkSignal', () => {
  it('an already aborted signal aborts the controller at once, with its reason', () => {
    const controller = new AbortController();
    const unlink = linkSignal(AbortSignal.abort('why'), controller);
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBe('why');
    expect(unlink).not.toThrow();
  });

  it('one listener for many links; it goes with the last unlink, and unlinking twice changes nothing', () => {
    const caller = new AbortController();
    const a = new AbortController();
    const b = new AbortController();
    const unlinkA = linkSignal(caller.signal, a);
    const unlinkB = linkSignal(caller.signal, b);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    unlinkA();
    unlinkA();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    caller.abort('stop');
    expect(a.signal.aborted).toBe(false);
    expect(b.signal.reason).toBe('stop');
    unlinkB();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('after the last unlink, a new link listens again', () => {
    const caller = new AbortController();
    linkSignal(caller.signal, new AbortController())();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    const c = new AbortController();
    linkSignal(caller.signal, c);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    caller.abort();
    expect(c.signal.aborted).toBe(true);
  });
});

describe('sleep', () => {
  it('rejects at once on an already aborted signal', async () => {
    vi.useFakeTimers();
    const err = await sleep(60_000, AbortSignal.abort('no')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect((err as Error).cause).toBe('no');
  });

  it('rejects as soon as the signal aborts, and lets go of it', async () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const slept = sleep(60_000, caller.signal).catch((e: unknown) => e);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    caller.abort('now');
    expect(await slept).toBeInstanceOf(APIUserAbortError);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves after the time, and lets go of the signal', async () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    let done = false;
    const slept = sleep(1_000, caller.signal).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await slept;
    expect(done).toBe(true);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });
});

describe('orAbort', () => {
  const never = () => new Promise<string>(() => {});

  it('an already aborted signal rejects at once with APIUserAbortError, its cause the reason', async () => {
    const err = await orAbort(never(), AbortSignal.abort('why')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect((err as APIUserAbortError).cause).toBe('why');
  });

  it('an abort while waiting rejects at once, and leaves no listener on the signal', async () => {
    const controller = new AbortController();
    const pending = orAbort(never(), controller.signal);
    controller.abort('later');
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('without a signal, or before an abort, it is the work itself; its listener goes when the work settles', async () => {
    await expect(orAbort(Promise.resolve('done'), undefined)).resolves.toBe('done');
    const controller = new AbortController();
    await expect(orAbort(Promise.reject(new Error('broke')), controller.signal)).rejects.toThrow('broke');
    await expect(orAbort(Promise.resolve('done'), controller.signal)).resolves.toBe('done');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
