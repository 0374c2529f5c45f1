/** A fake clock and a fake launcher: drive the supervisor's state machine without processes. */
import type { Clock } from '../../src/run/clock.js';
import type { Launcher, SpawnCallbacks, SpawnSpec } from '../../src/run/launcher.js';
import { Logger } from '../../src/run/log.js';

export class FakeClock implements Clock {
  time = 1_000_000;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
  pending(): number {
    return this.timers.length;
  }
}

export interface FakeProcess {
  pid: number;
  spec: SpawnSpec;
  callbacks: SpawnCallbacks;
  signals: NodeJS.Signals[];
  alive: boolean;
}

export class FakeLauncher implements Launcher {
  processes: FakeProcess[] = [];
  private nextPid = 1000;
  closed = false;
  /** While true, forks are not confirmed until releaseForks(). */
  holdForks = false;
  private held: (() => void)[] = [];
  spawn(spec: SpawnSpec, callbacks: SpawnCallbacks): void {
    const proc: FakeProcess = { pid: this.nextPid++, spec, callbacks, signals: [], alive: true };
    this.processes.push(proc);
    // The fork server answers asynchronously.
    const confirm = () => callbacks.forked(proc.pid);
    if (this.holdForks) this.held.push(confirm);
    else queueMicrotask(confirm);
  }
  releaseForks(): void {
    this.holdForks = false;
    for (const confirm of this.held.splice(0)) confirm();
  }
  signalGroup(pid: number, signal: NodeJS.Signals): void {
    this.byPid(pid).signals.push(signal);
  }
  /** Dispositions the fake processes have for a signal (default: unknown). */
  dispositions = new Map<number, 'caught' | 'ignored' | 'default'>();
  dispositionOf(pid: number): 'caught' | 'ignored' | 'default' | undefined {
    return this.dispositions.get(pid);
  }
  /** Signals sent to the process alone are recorded as `pid:<SIG>`. */
  signalProcess(pid: number, signal: NodeJS.Signals): void {
    this.byPid(pid).signals.push(`pid:${signal}` as NodeJS.Signals);
  }
  onCrash(): void {}
  /** Orphans the fake fork server has adopted; `dieOf` the signals that end them at once. */
  adopted: { pid: number; name: string; dieOf: NodeJS.Signals[] }[] = [];
  adoptedSignals: (NodeJS.Signals | 0)[] = [];
  private adoptedExit?: (pid: number, code: number, signal: number) => void;
  onAdoptedExit(listener: (pid: number, code: number, signal: number) => void): void {
    this.adoptedExit = listener;
  }
  /** Like the fork server: the listing, then (reported right after it) the exits it caused. */
  signalAdopted(signal: NodeJS.Signals | 0, found: (processes: { pid: number; name: string }[]) => void): void {
    this.adoptedSignals.push(signal);
    const listed = this.adopted.map(({ pid, name }) => ({ pid, name }));
    const dying = signal === 0 ? [] : this.adopted.filter((p) => signal === 'SIGKILL' || p.dieOf.includes(signal));
    this.adopted = this.adopted.filter((p) => !dying.includes(p));
    found(listed);
    for (const p of dying) this.adoptedExit?.(p.pid, 0, signal === 'SIGKILL' ? 9 : 15);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  byPid(pid: number): FakeProcess {
    const p = this.processes.find((x) => x.pid === pid);
    if (!p) throw new Error(`no fake process ${pid}`);
    return p;
  }
  /** The live processes running `argv[1]` (tests use `sleep <unique>` style commands). */
  live(): FakeProcess[] {
    return this.processes.filter((p) => p.alive);
  }
  exit(pid: number, code: number, signal = 0): void {
    const p = this.byPid(pid);
    p.alive = false;
    p.callbacks.exited(code, signal);
  }
}

/** A logger that keeps lines in memory, pid fixed to 1. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = new Logger(1, () => undefined);
  logger.onLine((l) => lines.push(l));
  return { logger, lines };
}

export const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
