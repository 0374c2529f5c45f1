/**
 * The fork server (src/run/forkserver-script.ts) driven directly through ForkServerLauncher:
 * what it does when hpm-run goes away while a program is still opening its output FIFO.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ForkServerLauncher } from '../../src/run/launcher.js';
import { isAlive, tempDir, waitUntil } from './helpers.js';

const tmp = tempDir();
const started: number[] = [];
afterAll(() => {
  for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  tmp.cleanup();
});

/** The children of a process (every thread's list). */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
}
const commandOf = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8');

describe('fork server', () => {
  it('ends, and ends the program, when hpm-run goes away while the program waits to open its output FIFO', async () => {
    // A FIFO nobody reads: the program's open() for writing waits, and so does the server for its exec.
    const fifo = join(tmp.dir, 'unread.fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const launcher = new ForkServerLauncher();
    let pid = 0;
    launcher.spawn({ argv: ['sleep', '3600'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdoutPath: fifo }, { forked: (p) => (pid = p), exited: () => undefined, failed: () => undefined });
    let server = 0;
    let child = 0;
    await waitUntil(() => {
      server = childrenOf(process.pid).find((p) => commandOf(p).startsWith('hpm-run forkserver')) ?? 0;
      child = server ? (childrenOf(server)[0] ?? 0) : 0;
      return child > 0;
    }, 'the program to be forked');
    started.push(server, child);
    expect(pid).toBe(0); // not reported: it has not opened its FIFO yet
    // hpm-run's end of the command pipe closes (as when it dies): the server must notice though it waits.
    await launcher.close();
    await waitUntil(() => !isAlive(child) && !isAlive(server), 'the program and the server to end');
  }, 20_000);
});
