/**
 * Signals to hpm-run, as HAProxy's master handles them (haproxy.md §3.5): TERM, INT and USR1
 * stop everything forwarding that signal; HUP and USR2 reload; TTOU/TTIN are broadcast; QUIT
 * and PIPE are ignored. Returns a function that removes the handlers (so the process can exit).
 */
import type { Supervisor } from './supervisor.js';

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
