/**
 * What the supervisor tells the modules around it (control socket, notify, output, --haproxy),
 * typed: `supervisor.on('reloaded', (result) => ...)` knows `result` is a ReloadResult.
 */
import type { ExitStatus } from '../status.js';

/** A live process as `processes()` lists it. */
export interface ProcessRow {
  pid: number;
  name: string;
  kind: 'current' | 'old';
  /** Reloads this process has survived. */
  reloads: number;
  /** ms since epoch. */
  startedAt: number;
  state: 'starting' | 'running' | 'stopping' | 'old';
}

export interface ReloadResult {
  success: boolean;
  /** The log lines of this reload, formatted as on stderr (without newline). */
  log: string[];
}

export interface SupervisorEvents {
  /** After `New program ... forked`. */
  spawned: [row: ProcessRow];
  /** After the exit line of a program instance. */
  exited: [row: ProcessRow, status: ExitStatus];
  /** Before anything of a reload happens. */
  reloading: [info: { hard: boolean }];
  /** A reload is over; `log` holds its lines. */
  reloaded: [result: ReloadResult];
  /** The initial forks are done (systemd READY=1). */
  ready: [];
  /** A stop began (systemd STOPPING=1; --haproxy stops HAProxy). */
  stopping: [info: { signal: NodeJS.Signals }];
  /** Finished: hpm-run exits with this code. */
  exit: [code: number];
}

/** The listening side of the supervisor, for modules that only hook into its events. */
export interface SupervisorEventSource {
  on<E extends keyof SupervisorEvents>(event: E, listener: (...args: SupervisorEvents[E]) => void): unknown;
  off<E extends keyof SupervisorEvents>(event: E, listener: (...args: SupervisorEvents[E]) => void): unknown;
}
