/**
 * Helpers for the run-ops tests: temp dirs, free ports, a master-CLI client, and a tracker
 * that kills every process a test started (by pid, process group when it has one).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(tag: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `hpm-ops-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The lines of a configuration that make HAProxy answer HTTP on 127.0.0.1:<port> (master-worker,
 * defaults with timeouts, a frontend `web` bound to the port): a test adds the frontend's answer
 * and its program sections after them.
 */
export function httpFrontendLines(port: number): string[] {
  return ['global', '    master-worker', 'defaults', '    mode http', '    timeout connect 5s', '    timeout client 5s', '    timeout server 5s', 'frontend web', `    bind 127.0.0.1:${port}`];
}

/** The body of a 200 answer to GET / on 127.0.0.1:<port>; undefined for anything else (not up yet). */
export async function httpGet(port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return response.status === 200 ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Sends one request to a unix socket and returns everything it answers until it closes. */
export function cliRequest(path: string, request: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = createConnection({ path });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error(`no reply from ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    conn.on('data', (c: Buffer) => chunks.push(c));
    conn.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    conn.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    // HAProxy's master CLI closes only once the client has shut its side down.
    conn.end(request);
  });
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `/proc/<pid>/stat` fields after the command name: state, ppid, pgrp. */
function procStat(pid: number): { state: string; ppid: number; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** Running (a zombie does not count: nobody may reap it in a container without init). */
export function isAlive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** Live members of a process group. */
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      const stat = procStat(pid);
      return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z';
    });
}

/** Live children of a process. */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((p) => {
      const stat = procStat(p);
      return stat !== undefined && stat.ppid === pid && stat.state !== 'Z';
    });
}

/**
 * Starts processes, each in its own process group, and remembers them so that `killAll` leaves
 * nothing behind: SIGTERM to every group (haproxy's master stops its worker and programs), then
 * SIGKILL to the groups that are still there.
 */
export class ProcessTracker {
  private readonly children: ChildProcess[] = [];
  private readonly pids = new Set<number>();

  spawn(cmd: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
    this.children.push(child);
    return child;
  }

  /** Also kill this pid (and its group) at the end: a grandchild the test learned about. */
  track(pid: number): void {
    this.pids.add(pid);
  }

  private signalAll(signal: NodeJS.Signals): void {
    const targets = [...this.children.map((c) => c.pid), ...this.pids].filter((p): p is number => p !== undefined);
    for (const pid of targets) {
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, signal);
        } catch {
          // gone
        }
      }
    }
  }

  private groupsAlive(): boolean {
    const targets = [...this.children.map((c) => c.pid), ...this.pids].filter((p): p is number => p !== undefined);
    return targets.some((pid) => isAlive(pid) || groupMembers(pid).length > 0);
  }

  async killAll(): Promise<void> {
    this.signalAll('SIGTERM');
    await waitFor('tracked processes to stop', () => !this.groupsAlive() || undefined, 3000).catch(() => undefined);
    this.signalAll('SIGKILL');
    await waitFor('tracked processes to die', () => !this.groupsAlive() || undefined, 5000).catch(() => undefined);
  }
}

/** Collects a child's stderr/stdout as text. */
export function collect(stream: NodeJS.ReadableStream | null | undefined): { text: () => string } {
  const chunks: Buffer[] = [];
  stream?.on('data', (c: Buffer) => chunks.push(c));
  return { text: () => Buffer.concat(chunks).toString('utf8') };
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** `socat - UNIX-CONNECT:<path> <<< "<request>"`, the way an operator asks. */
export function socatRequest(path: string, request: string): string {
  const result = spawnSync('socat', ['-', `UNIX-CONNECT:${path}`], { input: `${request}\n`, encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) throw new Error(`socat failed: ${result.stderr}`);
  return result.stdout;
}
