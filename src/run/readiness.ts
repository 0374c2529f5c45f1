/**
 * Readiness checks (`ready tcp|unix|exec|file`): when a started program counts as ready, so
 * the programs that name it in `after` may start. Each check is tried again every
 * READY_POLL_MS until it succeeds, the deadline passes, or the caller aborts it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import type { ReadyCheck } from '../model/extensions.js';

export const READY_POLL_MS = 100;

/** One attempt: true when the check passes now. */
function attempt(check: ReadyCheck, env: Record<string, string>, signal: AbortSignal): Promise<boolean> {
  switch (check.kind) {
    case 'file':
      return Promise.resolve(existsSync(check.path));
    case 'tcp':
    case 'unix':
      return new Promise((resolve) => {
        const conn = check.kind === 'tcp' ? createConnection({ host: check.host, port: check.port }) : createConnection({ path: check.path });
        const done = (ok: boolean): void => {
          conn.destroy();
          signal.removeEventListener('abort', onAbort);
          resolve(ok);
        };
        const onAbort = (): void => done(false);
        signal.addEventListener('abort', onAbort);
        conn.setTimeout(1_000, () => done(false));
        conn.once('connect', () => done(true));
        conn.once('error', () => done(false));
      });
    case 'exec':
      return new Promise((resolve) => {
        const child = spawn(check.argv[0]!, check.argv.slice(1), { stdio: 'ignore', env, signal });
        child.once('error', () => resolve(false));
        child.once('exit', (code) => resolve(code === 0));
      });
  }
}

/** Resolves true once the check passes, false at the deadline or when aborted. */
export async function waitUntilReady(check: ReadyCheck, options: { timeoutMs: number; env: Record<string, string>; signal: AbortSignal }): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (!options.signal.aborted) {
    // An attempt never outlives the deadline (a `ready exec` command that hangs is killed).
    // A controller and timer of our own: a composite of AbortSignal.timeout() may be collected
    // before it fires.
    const attemptControl = new AbortController();
    const stopAttempt = (): void => attemptControl.abort();
    const deadlineTimer = setTimeout(stopAttempt, Math.max(1, deadline - Date.now()));
    options.signal.addEventListener('abort', stopAttempt);
    const passed = await attempt(check, options.env, attemptControl.signal);
    clearTimeout(deadlineTimer);
    options.signal.removeEventListener('abort', stopAttempt);
    if (passed) return !options.signal.aborted;
    if (Date.now() >= deadline || options.signal.aborted) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(READY_POLL_MS, Math.max(0, deadline - Date.now())));
      function done(): void {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', done);
        resolve();
      }
      options.signal.addEventListener('abort', done);
    });
  }
  return false;
}

/** One command to a unix socket CLI: its whole reply, or undefined when nothing answers. */
export function askOnce(path: string, command: string, timeoutMs = 1_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const conn = createConnection({ path });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => conn.destroy(), timeoutMs);
    conn.on('data', (c: Buffer) => chunks.push(c));
    conn.on('error', () => undefined);
    conn.on('close', () => {
      clearTimeout(timer);
      resolve(chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8'));
    });
    conn.end(`${command}\n`);
  });
}

/**
 * Resolves once the master CLI at `socketPath()` answers (`after haproxy`: the --haproxy
 * child's own socket); rejects when aborted.
 */
export async function waitUntilMasterCliAnswers(socketPath: () => string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const answer = await askOnce(socketPath(), 'show version');
    if (answer !== undefined && answer.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error('aborted');
}

/** How a check reads in the log: `tcp 127.0.0.1:8080`. */
export function describeCheck(check: ReadyCheck): string {
  switch (check.kind) {
    case 'tcp':
      return `tcp ${check.host.includes(':') ? `[${check.host}]` : check.host}:${check.port}`;
    case 'unix':
    case 'file':
      return `${check.kind} ${check.path}`;
    case 'exec':
      return `exec ${check.argv.join(' ')}`;
  }
}
