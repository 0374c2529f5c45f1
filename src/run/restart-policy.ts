/**
 * The `restart` extension (hpm-run.md "Beyond HAProxy"): whether an exited program comes back,
 * after what delay, and when it gives up. Pure: times are passed in, so it is tested with a
 * fake clock.
 *   - exponential backoff: 1 s, doubling up to 60 s; reset once a run lasted 60 s;
 *   - start limit: a 5th start within 60 s that exits again makes the program FATAL.
 */
import type { RestartPolicy } from '../model/index.js';

export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 60_000;
export const BACKOFF_RESET_AFTER_MS = 60_000;
export const START_LIMIT = 5;
export const START_LIMIT_WINDOW_MS = 60_000;

export type RestartDecision = { action: 'stay-down' } | { action: 'restart'; delayMs: number } | { action: 'fatal'; starts: number };

export function wantsRestart(policy: RestartPolicy, code: number): boolean {
  if (policy === 'always') return true;
  if (policy === 'on-failure') return code !== 0;
  return false;
}

export class RestartTracker {
  private starts: number[] = [];
  private nextDelayMs = INITIAL_BACKOFF_MS;

  recordStart(now: number): void {
    this.starts.push(now);
    this.starts = this.starts.filter((t) => now - t < START_LIMIT_WINDOW_MS);
  }

  /** What to do now that the process started last exited with `code` at `now`. */
  decide(policy: RestartPolicy, code: number, now: number): RestartDecision {
    if (!wantsRestart(policy, code)) return { action: 'stay-down' };
    const lastStart = this.starts[this.starts.length - 1] ?? now;
    if (now - lastStart >= BACKOFF_RESET_AFTER_MS) {
      this.nextDelayMs = INITIAL_BACKOFF_MS;
      this.starts = [lastStart];
    }
    const recent = this.starts.filter((t) => now - t < START_LIMIT_WINDOW_MS).length;
    if (recent >= START_LIMIT) return { action: 'fatal', starts: recent };
    const delayMs = this.nextDelayMs;
    this.nextDelayMs = Math.min(this.nextDelayMs * 2, MAX_BACKOFF_MS);
    return { action: 'restart', delayMs };
  }
}
