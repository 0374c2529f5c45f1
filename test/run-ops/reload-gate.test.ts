/** The gate between HAProxy's reload and the proxied requests, on vitest's fake timers. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReloadGate } from '../../src/run/cli/reload-gate.js';

describe('ReloadGate', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a reload waits for the requests in flight, then leaves no timer behind', async () => {
    const gate = new ReloadGate();
    const leave = await gate.enter();
    let closed = false;
    const closing = gate.close(5_000).then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(closed).toBe(false);
    leave();
    await closing;
    // A stop right after the reload must not wait for the unused deadline.
    expect(vi.getTimerCount()).toBe(0);
    // New requests wait for the reload's end.
    let entered = false;
    const next = gate.enter().then((l) => ((entered = true), l));
    await vi.advanceTimersByTimeAsync(0);
    expect(entered).toBe(false);
    gate.open();
    (await next)();
    expect(entered).toBe(true);
  });

  it('a request that never ends holds a reload back for the deadline only', async () => {
    const gate = new ReloadGate();
    await gate.enter();
    let closed = false;
    const closing = gate.close(5_000).then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await closing;
    expect(closed).toBe(true);
    gate.open();
  });
});
