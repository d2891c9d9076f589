import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearDeadline, setDeadline } from '../../src/timeouts.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('shared deadline timer', () => {
  it('aborts each controller at its own deadline, not the cleared ones', async () => {
    vi.useFakeTimers();
    const late = new AbortController();
    const early = new AbortController();
    const cleared = new AbortController();
    setDeadline(late, 300);
    setDeadline(early, 100);
    clearDeadline(setDeadline(cleared, 50));
    await vi.advanceTimersByTimeAsync(99);
    expect(early.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(early.signal.aborted).toBe(true);
    expect((early.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(late.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(late.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(cleared.signal.aborted).toBe(false);
  });

  it('does not re-arm a timer per request', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const first = setDeadline(new AbortController(), 60_000); // re-arms once: setTimeout was swapped by the spy
    for (let i = 0; i < 100; i++) clearDeadline(setDeadline(new AbortController(), 60_000));
    clearDeadline(first);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it('still fires after fake timers come and go (a timer armed under fakes is not trusted)', async () => {
    vi.useFakeTimers();
    const underFakes = new AbortController();
    const entry = setDeadline(underFakes, 20);
    vi.useRealTimers(); // the fake timer will never fire now
    clearDeadline(entry);
    const real = new AbortController();
    setDeadline(real, 60);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(real.signal.aborted).toBe(true);
  });
});
