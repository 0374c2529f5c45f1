/**
 * Keeps HAProxy's reload and the proxied requests apart. HAProxy's master re-executes itself to
 * reload, dropping the connections it serves at that moment: a request in flight would get an
 * empty reply. So a reload first waits (bounded) for the requests in flight, and new ones wait
 * for the reload to end. Only request/answer connections count (a line ending in `quit`, as the
 * Data Plane API sends): a stream (`show events -w`) or a prompt session never ends by itself.
 */
export class ReloadGate {
  private inFlight = 0;
  private closed?: Promise<void>;
  private reopen?: () => void;
  private idle?: () => void;

  /** Waits while a reload runs, then counts one request in flight; call the result when it ended. */
  async enter(): Promise<() => void> {
    while (this.closed) await this.closed;
    this.inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    };
  }

  /** A reload starts: new requests wait; the ones in flight get up to `maxWaitMs` to finish. */
  async close(maxWaitMs: number): Promise<void> {
    this.closed = new Promise((resolve) => (this.reopen = resolve));
    if (this.inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => (this.idle = resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)))]);
    // The requests ended first: their deadline must not keep hpm-run alive once it stops.
    clearTimeout(timer);
    this.idle = undefined;
  }

  /** The reload ended: waiting requests go. */
  open(): void {
    const reopen = this.reopen;
    this.closed = undefined;
    this.reopen = undefined;
    reopen?.();
  }
}
