/**
 * Exit status as HAProxy's master reports it (haproxy.md §3.4, Appendix A): the exit code, or
 * 128 + signal; the label is `Exit` below 128, else glibc's strsignal() text for code - 128.
 */
import { constants } from 'node:os';

const SIGNAL_TEXT: Record<number, string> = {
  1: 'Hangup', 2: 'Interrupt', 3: 'Quit', 4: 'Illegal instruction', 5: 'Trace/breakpoint trap',
  6: 'Aborted', 7: 'Bus error', 8: 'Floating point exception', 9: 'Killed', 10: 'User defined signal 1',
  11: 'Segmentation fault', 12: 'User defined signal 2', 13: 'Broken pipe', 14: 'Alarm clock',
  15: 'Terminated', 16: 'Stack fault', 17: 'Child exited', 18: 'Continued', 19: 'Stopped (signal)',
  20: 'Stopped', 21: 'Stopped (tty input)', 22: 'Stopped (tty output)', 23: 'Urgent I/O condition',
  24: 'CPU time limit exceeded', 25: 'File size limit exceeded', 26: 'Virtual timer expired',
  27: 'Profiling timer expired', 28: 'Window changed', 29: 'I/O possible', 30: 'Power failure',
  31: 'Bad system call',
};

/** glibc strsignal(): real-time signals 34..64 are `Real-time signal 0..30`. */
export function strsignal(signal: number): string {
  const text = SIGNAL_TEXT[signal];
  if (text) return text;
  if (signal >= 34 && signal <= 64) return `Real-time signal ${signal - 34}`;
  return `Unknown signal ${signal}`;
}

export interface ExitStatus {
  /** The exit code, or 128 + the signal that killed the process. */
  code: number;
  /** `Exit` when code < 128, else strsignal(code - 128). */
  label: string;
}

export function exitStatus(code: number): ExitStatus {
  return { code, label: code < 128 ? 'Exit' : strsignal(code - 128) };
}

/** From a raw (exit code, terminating signal number) pair as waitpid() decodes it. */
export function exitStatusOf(exitCode: number, signal: number): ExitStatus {
  return exitStatus(signal > 0 ? 128 + signal : exitCode);
}

export function signalNumber(signal: NodeJS.Signals): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0;
}

/** HAProxy's exit-on-failure exemption and exit-code bookkeeping (§3.4). */
export const BENIGN_FAILURE_CODES: readonly number[] = [0, 130, 143];
/** Codes that do not set the master's final exit code (130 does). */
export const UNRECORDED_EXIT_CODES: readonly number[] = [0, 143];
