/**
 * Starting and signalling program processes. `Launcher` is the seam the supervisor uses (a fake
 * one drives the supervisor's unit tests); `ForkServerLauncher` is the real one, talking to the
 * Perl fork server over two pipes (see forkserver-script.ts for why it exists).
 */
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { constants as osConstants } from 'node:os';
import { FORKSERVER_SCRIPT } from './forkserver-script.js';

export interface SpawnSpec {
  argv: string[];
  /** Bytes of argv: UTF-8 (default), or latin1 for a configuration file that is not UTF-8. */
  argvEncoding?: 'utf8' | 'latin1';
  /** Target credentials (-1 / undefined = keep hpm-run's). */
  uid?: number;
  gid?: number;
  /** Complete environment of the program. */
  env: Record<string, string>;
  /** Paths (FIFOs) to open as stdout/stderr; undefined = inherit hpm-run's. */
  stdoutPath?: string;
  stderrPath?: string;
  /** Working directory (after the credentials change, as the program's user); undefined = inherit. */
  cwd?: string;
  /** File mode creation mask; undefined = inherit. */
  umask?: number;
}

/** Why the child did not reach exec (it then exits with code 1). */
export interface PreExecFailure {
  step: 'exec' | 'gid' | 'groups' | 'uid' | 'cwd';
  /** strerror() text, e.g. `No such file or directory`. */
  text: string;
}

export interface SpawnCallbacks {
  /**
   * The child exists (pid). With `preExecFailed` it is called right after fork (the supervisor
   * logs `New program` before the child's `Cannot execute`, as HAProxy does); without it, once
   * the exec outcome is known, `failure` telling why the child could not exec.
   */
  forked(pid: number, failure?: PreExecFailure): void;
  /** It could not exec (it then exits with code 1). Called after forked, before its exit. */
  preExecFailed?(failure: PreExecFailure): void;
  /** The child was reaped: exit code, or the signal number that killed it (0 otherwise). */
  exited(exitCode: number, signal: number): void;
  /** fork() itself failed: there is no process. */
  failed(text: string): void;
}

export interface Launcher {
  spawn(spec: SpawnSpec, callbacks: SpawnCallbacks): void;
  /** Signals the program's whole process group (it leads its own session). */
  signalGroup(pid: number, signal: NodeJS.Signals): void;
  /** Called when the launcher itself dies unexpectedly. */
  onCrash(listener: (reason: string) => void): void;
  /** Lets the launcher go: any process still in a group it started is SIGKILLed. */
  close(): Promise<void>;
  /**
   * Signals (0: only lists) every adopted process: an orphan of a program (a daemon it left
   * behind) that the launcher, as subreaper, now parents; its process group too when it leads
   * one. Their exits are reported to onAdoptedExit listeners. `found` is called synchronously
   * with the report, so no exit of a listed process can be reported before it.
   */
  signalAdopted?(signal: NodeJS.Signals | 0, found: (processes: AdoptedProcess[]) => void): void;
  onAdoptedExit?(listener: (pid: number, exitCode: number, signal: number) => void): void;
  /** Signals one process only (not its group). */
  signalProcess?(pid: number, signal: NodeJS.Signals): void;
  /** What a signal would do to a process: caught, ignored, default (its default action), or unknown. */
  dispositionOf?(pid: number, signal: NodeJS.Signals): SignalDisposition | undefined;
  /** Sends one datagram to a unix socket (systemd notify); rejects with the reason it failed. */
  sendDatagram?(socket: string, message: string): Promise<void>;
}

export type SignalDisposition = 'caught' | 'ignored' | 'default';

/** A process's disposition for a signal, from the SigCgt/SigIgn masks of /proc/<pid>/status. */
export function readSignalDisposition(pid: number, signal: NodeJS.Signals): SignalDisposition | undefined {
  const number = osConstants.signals[signal];
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const has = (field: string): boolean | undefined => {
    const mask = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1];
    return mask === undefined ? undefined : ((BigInt(`0x${mask}`) >> BigInt(number - 1)) & 1n) === 1n;
  };
  const caught = has('SigCgt');
  const ignored = has('SigIgn');
  if (caught === undefined || ignored === undefined) return undefined;
  return caught ? 'caught' : ignored ? 'ignored' : 'default';
}

export interface AdoptedProcess {
  pid: number;
  /** Its command name (/proc/<pid>/comm). */
  name: string;
}

export function findExecutable(name: string, path = process.env.PATH ?? '/usr/bin:/bin'): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const hex = (text: string, encoding: 'utf8' | 'latin1' = 'utf8'): string => Buffer.from(text, encoding).toString('hex');
const unhex = (text: string): string => Buffer.from(text, 'hex').toString('utf8');

export class ForkServerLauncher implements Launcher {
  private readonly child: ChildProcess;
  private readonly commands: Writable;
  private nextId = 1;
  private readonly pendingSpawns = new Map<number, SpawnCallbacks>();
  private readonly running = new Map<number, SpawnCallbacks>();
  private readonly crashListeners: ((reason: string) => void)[] = [];
  private closing = false;
  private crashReason?: string;
  private readonly exited: Promise<void>;
  /** The environment the fork server holds (sent once, not with each of 200 SPAWNs). */
  private sentEnv?: Record<string, string>;
  /** Replies the fork server owes, in the order the requests were written. */
  private readonly adoptedReplies: ((processes: AdoptedProcess[]) => void)[] = [];
  private readonly notifyReplies: ((error?: string) => void)[] = [];
  private readonly adoptedExitListeners: ((pid: number, exitCode: number, signal: number) => void)[] = [];

  constructor(perl: string = findExecutable('perl') ?? '/usr/bin/perl') {
    this.child = spawnChild(perl, ['-e', FORKSERVER_SCRIPT], { stdio: ['inherit', 'inherit', 'inherit', 'pipe', 'pipe'] });
    this.commands = this.child.stdio[3] as Writable;
    this.commands.on('error', () => undefined); // EPIPE when the fork server is gone: reported by 'exit'
    const reports = this.child.stdio[4] as Readable;
    let buffer = '';
    reports.setEncoding('latin1');
    reports.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        this.handleReport(line);
      }
    });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        if (!this.closing) this.crashed(`cannot start the fork server (${perl}): ${error.message}`);
        resolve();
      });
      this.child.on('exit', (code, signal) => {
        for (const reply of this.adoptedReplies.splice(0)) reply([]);
        for (const reply of this.notifyReplies.splice(0)) reply('the fork server exited');
        if (!this.closing) this.crashed(`the fork server exited (${signal ?? `code ${code}`})`);
        resolve();
      });
    });
  }

  private handleReport(line: string): void {
    const f = line.split(' ');
    switch (f[0]) {
      case 'S': {
        const id = Number(f[1]);
        const pid = Number(f[2]);
        const callbacks = this.pendingSpawns.get(id);
        if (!callbacks) return;
        this.pendingSpawns.delete(id);
        this.running.set(pid, callbacks);
        if (callbacks.preExecFailed) callbacks.forked(pid);
        return;
      }
      case 'F':
      case 'R': {
        const pid = Number(f[1]);
        const callbacks = this.running.get(pid);
        const failure = f[0] === 'F' ? { step: f[2] as PreExecFailure['step'], text: unhex(f[3] ?? '') } : undefined;
        if (!callbacks) return;
        if (!callbacks.preExecFailed) callbacks.forked(pid, failure);
        else if (failure) callbacks.preExecFailed(failure);
        return;
      }
      case 'E': {
        const id = Number(f[1]);
        const callbacks = this.pendingSpawns.get(id);
        this.pendingSpawns.delete(id);
        callbacks?.failed(unhex(f[2] ?? ''));
        return;
      }
      case 'X': {
        const pid = Number(f[1]);
        const callbacks = this.running.get(pid);
        if (!callbacks) {
          // an orphan re-parented to the fork server (adopted), reaped
          for (const listener of this.adoptedExitListeners) listener(pid, Number(f[2]), Number(f[3]));
          return;
        }
        this.running.delete(pid);
        callbacks.exited(Number(f[2]), Number(f[3]));
        return;
      }
      case 'A': {
        const found = (f[1] ?? '')
          .split(',')
          .filter((entry) => entry.length > 0)
          .map((entry) => {
            const [pid, name] = entry.split(':');
            return { pid: Number(pid), name: unhex(name ?? '') };
          });
        this.adoptedReplies.shift()?.(found);
        return;
      }
      case 'N':
        this.notifyReplies.shift()?.(f[1] === '-' ? undefined : unhex(f[1] ?? ''));
        return;
    }
  }

  signalAdopted(signal: NodeJS.Signals | 0, found: (processes: AdoptedProcess[]) => void): void {
    if (this.closing) {
      queueMicrotask(() => found([]));
      return;
    }
    this.adoptedReplies.push(found);
    this.commands.write(`ADOPTED\t${signal === 0 ? 0 : osConstants.signals[signal]}\n`);
  }

  onAdoptedExit(listener: (pid: number, exitCode: number, signal: number) => void): void {
    this.adoptedExitListeners.push(listener);
  }

  sendDatagram(socket: string, message: string): Promise<void> {
    if (this.closing) return Promise.reject(new Error('the fork server is closed'));
    return new Promise((resolve, reject) => {
      this.notifyReplies.push((error) => (error === undefined ? resolve() : reject(new Error(error))));
      this.commands.write(`NOTIFY\t${hex(socket)}\t${hex(message)}\n`);
    });
  }

  spawn(spec: SpawnSpec, callbacks: SpawnCallbacks): void {
    const id = this.nextId++;
    this.pendingSpawns.set(id, callbacks);
    let envLine = '';
    if (spec.env !== this.sentEnv) {
      this.sentEnv = spec.env;
      envLine = `ENV\t${Object.entries(spec.env).map(([k, v]) => hex(`${k}=${v}`)).join(',')}\n`;
    }
    const fields = [
      'SPAWN',
      String(id),
      String(spec.uid ?? -1),
      String(spec.gid ?? -1),
      spec.stdoutPath ? hex(spec.stdoutPath) : '-',
      spec.stderrPath ? hex(spec.stderrPath) : '-',
      spec.argv.map((arg) => hex(arg, spec.argvEncoding)).join(','),
      spec.cwd !== undefined ? hex(spec.cwd) : '-',
      spec.umask !== undefined ? String(spec.umask) : '-',
      // The exec outcome (R or F) is awaited only for a caller that reports forks once it is known.
      callbacks.preExecFailed ? '-' : 'R',
    ];
    this.commands.write(`${envLine}${fields.join('\t')}\n`);
  }

  signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is gone, or the child has not called setsid() yet (its signals are
      // blocked until then, so one sent to the pid stays pending and is not lost).
      try {
        process.kill(pid, signal);
      } catch {
        // gone
      }
    }
  }

  signalProcess(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }

  dispositionOf(pid: number, signal: NodeJS.Signals): SignalDisposition | undefined {
    return readSignalDisposition(pid, signal);
  }

  onCrash(listener: (reason: string) => void): void {
    this.crashListeners.push(listener);
    // Started ahead of its user (hpm-run starts it while the configuration loads): a crash before then is told now.
    const reason = this.crashReason;
    if (reason !== undefined) queueMicrotask(() => listener(reason));
  }

  private crashed(reason: string): void {
    this.crashReason ??= reason;
    for (const l of this.crashListeners) l(reason);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.commands.end();
    await this.exited;
  }
}
