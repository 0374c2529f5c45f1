/**
 * Shared by hpm-run's integration tests: start hpm-run (or haproxy) as a real process, read its
 * log lines, find program pids, and check that nothing a test started is left behind.
 * Every process a test starts carries HPM_TEST_TAG=<tag> in its environment; `leftovers(tag)`
 * scans /proc for live (non-zombie) processes that still carry it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, expect } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
export const HPM_RUN = join(ROOT, 'bin/hpm-run.js');

/**
 * Rebuilds dist/ when src/run or src/cli/run.ts is newer (tests run the real bin). Test files
 * run in parallel workers: a lock directory makes one build at a time, the others wait for it.
 */
export function ensureBuilt(): void {
  const built = join(ROOT, 'dist/src/cli/run.js');
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  const stale = (): boolean => {
    let builtAt = 0;
    try {
      builtAt = statSync(built).mtimeMs;
    } catch {
      // not built yet
    }
    return builtAt < Math.max(newest(join(ROOT, 'src/run')), statSync(join(ROOT, 'src/cli/run.ts')).mtimeMs);
  };
  if (!stale()) return;
  const lock = join(ROOT, 'dist/.hpm-run-build.lock');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock, { recursive: false });
      break;
    } catch {
      if (waited > 120_000) rmSync(lock, { recursive: true, force: true }); // a crashed builder
      Atomics.wait(pause, 0, 0, 100);
    }
  }
  try {
    if (stale()) execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function tempDir(): { dir: string; write(name: string, text: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hpm-run-test-'));
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const newTag = (): string => `t${randomUUID().replace(/-/g, '')}`;

export interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  lines: () => string[];
  /** Resolves with the exit code (128+signal when killed). */
  exited: Promise<number>;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The pid of the latest `New program '<name>' (<pid>) forked`. */
  pidOf(name: string): number | undefined;
  signal(sig: NodeJS.Signals): void;
}

export function start(command: string, args: string[], options: { tag: string; cwd?: string; env?: Record<string, string> }): Started {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, HPM_TEST_TAG: options.tag },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (c: string) => ((out += c), waiters.forEach((w) => w())));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => ((err += c), waiters.forEach((w) => w())));
  const exited = new Promise<number>((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? (require_signals()[signal] ?? 0) : 0)));
  });
  const started: Started = {
    child,
    stdout: () => out,
    stderr: () => err,
    lines: () => err.split('\n').filter((l) => l.length > 0),
    exited,
    waitForLine(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = err.match(pattern) ?? out.match(pattern);
          if (m) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stderr:\n${err}`));
        }, timeoutMs);
        waiters.push(check);
        check();
      });
    },
    pidOf(name) {
      const all = [...err.matchAll(new RegExp(`New program '${name}' \\((\\d+)\\) forked`, 'g'))];
      const last = all[all.length - 1];
      return last ? Number(last[1]) : undefined;
    },
    signal(sig) {
      child.kill(sig);
    },
  };
  return started;
}

import { constants } from 'node:os';
function require_signals(): Record<string, number> {
  return constants.signals as Record<string, number>;
}

export function startHpmRun(args: string[], options: { tag: string; cwd?: string; env?: Record<string, string> }): Started {
  return start(process.execPath, [HPM_RUN, ...args], options);
}

interface ProcInfo {
  pid: number;
  state: string;
  cmdline: string;
}

function procInfo(pid: number): ProcInfo | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const state = /^State:\s+(\S)/m.exec(status)?.[1] ?? '?';
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, state, cmdline };
  } catch {
    return undefined;
  }
}

/** Live processes (zombies excluded: they are dead) whose environment carries the tag. */
export function leftovers(tag: string): ProcInfo[] {
  const found: ProcInfo[] = [];
  const needle = Buffer.from(`HPM_TEST_TAG=${tag}\0`);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue;
    }
    if (!environ.includes(needle)) continue;
    const info = procInfo(pid);
    if (info && info.state !== 'Z') found.push(info);
  }
  return found;
}

/** Waits (bounded) for the tagged processes to be gone: process exit is asynchronous. */
export async function waitNoLeftovers(tag: string, timeoutMs = 5_000): Promise<ProcInfo[]> {
  const deadline = Date.now() + timeoutMs;
  let left = leftovers(tag);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(50);
    left = leftovers(tag);
  }
  return left;
}

/** The tagged processes whose command line is exactly `cmdline` (arguments joined by spaces). */
export function running(tag: string, cmdline: string): number[] {
  return leftovers(tag)
    .filter((p) => p.cmdline === cmdline)
    .map((p) => p.pid);
}

/** Kills whatever a failed test left behind (SIGKILL, by pid), so the next file starts clean. */
export function killLeftovers(tag: string): void {
  for (const p of leftovers(tag)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** After a test: SIGTERM to an hpm-run still running and its exit awaited (its own stop), then whatever is left, SIGKILLed. */
export async function stopRun(run: Started | undefined, tag: string): Promise<void> {
  if (run && run.child.exitCode === null && run.child.signalCode === null) {
    run.signal('SIGTERM');
    await run.exited;
  }
  killLeftovers(tag);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * After each test of the file: fails the test if a process it started (carrying `tag`) is still
 * alive, then kills the leftovers so the next test starts clean.
 */
export function checkNoLeftoversAfterEach(tag: string): void {
  afterEach(async () => {
    const left = await waitNoLeftovers(tag);
    killLeftovers(tag);
    expect(left.map((p) => p.cmdline)).toEqual([]);
  });
}

export function isAlive(pid: number): boolean {
  const info = procInfo(pid);
  return info !== undefined && info.state !== 'Z';
}

/** Waits until `predicate` holds, polling; rejects after a generous timeout. Not a timing assertion. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** HAProxy log lines with pids masked: `[NOTICE]   (PID) : New program 'x' (PID) forked`. */
export function maskPids(line: string): string {
  return line.replace(/^(\[[A-Z]+\] +)\(\d+\)/, '$1(PID)').replace(/' \(\d+\)/g, "' (PID)");
}

/**
 * An hpm-run that user `nobody` can run. A checkout under a private directory (root's 0700
 * home, a `mktemp -d`) cannot be read by nobody: then bin/, dist/, package.json and the
 * production dependencies are copied to a fresh world-readable directory (removed by
 * `cleanup`). Undefined (with the reason) when even that copy cannot run.
 */
export function hpmRunForNobody(): { path: string; cleanup(): void } | { reason: string } {
  const asNobody = ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', '--'];
  const runs = (bin: string): boolean => {
    try {
      execFileSync('setpriv', [...asNobody, process.execPath, bin, '--help'], { stdio: 'ignore', cwd: '/' });
      return true;
    } catch {
      return false;
    }
  };
  if (runs(HPM_RUN)) return { path: HPM_RUN, cleanup: () => undefined };
  const copy = mkdtempSync(join(tmpdir(), 'hpm-run-nobody-'));
  const cleanup = () => rmSync(copy, { recursive: true, force: true });
  try {
    execFileSync('chmod', ['755', copy]);
    const production = execFileSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((dir) => dir.startsWith(`${ROOT}/node_modules/`) && !dir.slice(ROOT.length + 14).includes('/node_modules/'));
    for (const dir of ['bin', 'dist', 'package.json', ...production.map((d) => d.slice(ROOT.length + 1))]) {
      mkdirSync(join(copy, dir, '..'), { recursive: true });
      execFileSync('cp', ['-a', join(ROOT, dir), join(copy, dir)]);
    }
    execFileSync('chmod', ['-R', 'a+rX', copy]);
  } catch (error) {
    cleanup();
    return { reason: `cannot copy hpm-run where nobody can read it: ${(error as Error).message}` };
  }
  const path = join(copy, 'bin/hpm-run.js');
  if (runs(path)) return { path, cleanup };
  cleanup();
  return { reason: 'user nobody cannot run node or hpm-run here (even from a world-readable copy)' };
}
