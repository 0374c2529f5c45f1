/**
 * Signals to hpm-run, as HAProxy's master handles them (haproxy.md §3.5): TERM, INT and USR1
 * stop everything forwarding that signal; HUP and USR2 reload; TTOU/TTIN are broadcast; QUIT
 * and PIPE are ignored. Returns a function that removes the handlers (so the process can exit).
 */
import type { Supervisor } from './supervisor.js';

const HANDLED: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGUSR1', 'SIGHUP', 'SIGUSR2', 'SIGTTOU', 'SIGTTIN', 'SIGQUIT', 'SIGPIPE'];

/**
 * Catches the signals while hpm-run is still loading (the parser takes a few hundred ms to
 * import), so an early SIGTERM or SIGHUP is not fatal; `release()` removes these handlers and
 * returns what arrived, for the real handlers to replay.
 */
export function bufferSignals(): { release(): NodeJS.Signals[] } {
  const received: NodeJS.Signals[] = [];
  const handler = (signal: NodeJS.Signals) => received.push(signal);
  for (const signal of HANDLED) process.on(signal, handler);
  return {
    release() {
      for (const signal of HANDLED) process.off(signal, handler);
      return received;
    },
  };
}

export function installSignalHandlers(supervisor: Supervisor): () => void {
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGTERM', () => void supervisor.stop('SIGTERM')],
    ['SIGINT', () => void supervisor.stop('SIGINT')],
    ['SIGUSR1', () => void supervisor.stop('SIGUSR1')],
    ['SIGHUP', () => void supervisor.reload({ hard: false })],
    ['SIGUSR2', () => void supervisor.reload({ hard: false })],
    ['SIGTTOU', () => supervisor.broadcast('SIGTTOU')],
    ['SIGTTIN', () => supervisor.broadcast('SIGTTIN')],
    ['SIGQUIT', () => undefined],
    ['SIGPIPE', () => undefined],
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
