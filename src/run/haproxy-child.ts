/**
 * `hpm-run --haproxy <binary>`: the load balancer itself as a supervised child.
 *
 * HAProxy gets a copy of the configuration without the program sections (so it never starts
 * them twice, and 3.3+, which no longer knows `program`, accepts the file). The copy keeps
 * every other byte, and each program line becomes an empty line so that HAProxy's messages
 * keep the original line numbers. The copies live in a private directory given to HAProxy as
 * `-f <dir>` (it reads the *.cfg files of a directory in order), so a reload can swap the whole
 * set. HAProxy runs as `<binary> -W -db -f <dir>` in its own process group, through the same
 * fork server as the programs (it dies with hpm-run, even on SIGKILL).
 *
 * Reloads: the copy of the new configuration is checked with `<binary> -c` while hpm-run
 * validates it (the supervisor's `validate` hook), and HAProxy gets SIGUSR2 only after the
 * reload succeeded. Stops: HAProxy gets hpm-run's stop signal; after the stop timeout its
 * group gets SIGKILL. When HAProxy dies on its own, everything stops (exit-on-failure rules).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createConnection } from 'node:net';
import { basename, join } from 'node:path';
import { encodeConfigText, expandConfigPaths, readConfig, readConfigSource } from '../model/index.js';
import type { ConfigFile } from '../syntax/index.js';
import { ForkServerLauncher, type Launcher } from './launcher.js';
import type { Logger, LogLevel } from './log.js';
import type { ProcRow } from './show-proc.js';
import { exitStatusOf, type ExitStatus } from './status.js';

/**
 * The text HAProxy gets: the lines of the (structural) program sections blanked, everything
 * else byte for byte. Conditional directives stay, so `.if`/`.endif` keep balancing.
 */
export function withoutProgramSections(file: ConfigFile): string {
  let out = '';
  for (const line of file.lines) {
    const index = line.structuralSectionIndex;
    const inProgram = index !== undefined && file.structuralSections[index]?.keyword === 'program';
    if (inProgram && line.kind !== 'directive') out += line.eol;
    else out += file.text.slice(line.span.start.offset, line.span.end.offset);
  }
  return out;
}

/** `HAProxy version 2.6.12-1+deb12u4 2023/12/23 - ...` -> `2.6.12-1+deb12u4`. */
export function haproxyVersionOf(binary: string): string | undefined {
  try {
    const out = execFileSync(binary, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /version (\S+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

export interface HaproxyChildOptions {
  binary: string;
  /** hpm-run's `-f` arguments. */
  configPaths: readonly string[];
  logger: Logger;
  /** HAProxy's environment (hpm-run's, without NOTIFY_SOCKET and HPM_RUN). */
  env: Readonly<Record<string, string | undefined>>;
  /** Time between the stop signal and SIGKILL to HAProxy's group; 0 = wait forever. */
  stopTimeoutMs: number;
  launcher?: Launcher;
}

const HAPROXY_LINE = /^\[(NOTICE|WARNING|ALERT)\]\s+\(\d+\) : (.*)$/;

export class HaproxyChild {
  readonly version: string;
  pid = 0;
  startedAt = 0;
  reloads = 0;
  /** Set when HAProxy exited; resolves `exited`. */
  status?: ExitStatus;
  readonly exited: Promise<ExitStatus>;

  private readonly dir: string;
  private readonly live: string;
  private readonly staging: string;
  private readonly launcher: Launcher;
  private resolveExited!: (status: ExitStatus) => void;
  private stopping = false;
  private killTimer?: NodeJS.Timeout;
  private staged = false;
  private readonly exitListeners: ((status: ExitStatus, expected: boolean) => void)[] = [];

  constructor(private readonly options: HaproxyChildOptions) {
    const version = haproxyVersionOf(options.binary);
    if (!version) throw new Error(`--haproxy: cannot run '${options.binary} -v'`);
    this.version = version;
    this.dir = mkdtempSync(join(tmpdir(), 'hpm-run-haproxy-'));
    this.live = join(this.dir, 'cfg');
    this.staging = join(this.dir, 'next');
    this.launcher = options.launcher ?? new ForkServerLauncher();
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
  }

  /** Calls `listener` when HAProxy ends; `expected` when hpm-run had asked it to stop. */
  whenExited(listener: (status: ExitStatus, expected: boolean) => void): void {
    this.exitListeners.push(listener);
  }

  /** Started and not ended. */
  get running(): boolean {
    return this.pid > 0 && this.status === undefined;
  }

  /**
   * Writes HAProxy's copy of the current configuration files to the staging directory and has
   * HAProxy check it. Returns undefined when valid, else a one-line reason (HAProxy's own
   * messages are logged first, with the original file names).
   */
  async prepare(): Promise<string | undefined> {
    rmSync(this.staging, { recursive: true, force: true });
    mkdirSync(this.staging, { mode: 0o700 });
    const names = new Map<string, string>();
    let sources;
    try {
      sources = expandConfigPaths(this.options.configPaths).map(readConfigSource);
    } catch (error) {
      return `--haproxy: ${(error as Error).message}`;
    }
    const { files } = readConfig(sources);
    files.forEach((file, i) => {
      const copyName = `${String(i).padStart(4, '0')}-${basename(file.file).replace(/\.cfg$/, '')}.cfg`;
      writeFileSync(join(this.staging, copyName), encodeConfigText(withoutProgramSections(file), sources[i]!.encoding), { mode: 0o600 });
      names.set(join(this.live, copyName), file.file);
      names.set(join(this.staging, copyName), file.file);
    });
    // Asynchronous: the supervisor keeps reaping and answering signals while HAProxy checks.
    const check = await checkConfiguration(this.options.binary, this.staging, this.env());
    if (check.status === 0) {
      this.staged = true;
      return undefined;
    }
    const restore = (text: string) => {
      let out = text;
      for (const [copy, original] of names) out = out.split(copy).join(original);
      return out;
    };
    for (const raw of `${check.stdout ?? ''}${check.stderr ?? ''}`.split('\n')) {
      if (raw.trim() === '') continue;
      const match = HAPROXY_LINE.exec(raw);
      if (match && /^(haproxy version is|path to executable is) /.test(match[2]!)) continue; // noise here
      this.options.logger.log((match?.[1] ?? 'ALERT') as LogLevel, restore(match ? match[2]! : raw));
    }
    this.staged = false;
    return `HAProxy (${this.options.binary} -c) rejected the configuration (exit code ${check.status ?? check.signal}).`;
  }

  /** The staged copy becomes the one HAProxy reads. */
  private commit(): void {
    if (!this.staged) return;
    const old = join(this.dir, 'old');
    rmSync(old, { recursive: true, force: true });
    try {
      renameSync(this.live, old);
    } catch {
      // first commit: no live copy yet
    }
    renameSync(this.staging, this.live);
    rmSync(old, { recursive: true, force: true });
    this.staged = false;
  }

  private env(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.options.env)) if (v !== undefined) env[k] = v;
    delete env.NOTIFY_SOCKET;
    delete env.HPM_RUN;
    return env;
  }

  /** Starts HAProxy on the prepared copy; resolves once it is forked. */
  start(): Promise<void> {
    this.commit();
    return new Promise((resolve, reject) => {
      this.launcher.spawn(
        // A private master CLI of its own, for the `@<n>` / `@!<pid>` commands hpm-run forwards.
        { argv: [this.options.binary, '-W', '-db', '-S', this.cliPath, '-f', this.live], env: this.env() },
        {
          forked: (pid, failure) => {
            this.pid = pid;
            this.startedAt = Date.now();
            if (failure) this.options.logger.log('ALERT', `Cannot execute ${this.options.binary}: ${failure.text}`, pid);
            resolve();
          },
          exited: (code, signal) => this.onExit(exitStatusOf(code, signal)),
          failed: (text) => reject(new Error(`cannot fork HAProxy: ${text}`)),
        },
      );
    });
  }

  /** After a successful hpm-run reload: HAProxy reloads the new copy (SIGUSR2 to its master). */
  reload(): void {
    this.commit();
    if (this.pid > 0 && !this.status) process.kill(this.pid, 'SIGUSR2');
  }

  /** HAProxy's own master CLI socket (private to hpm-run). */
  get cliPath(): string {
    return join(this.dir, 'master.sock');
  }

  /**
   * Sends one command (e.g. `@1 show info`) to HAProxy's master CLI and returns the reply;
   * undefined when HAProxy is not running or does not answer.
   */
  forward(command: string, timeoutMs = 10_000): Promise<string | undefined> {
    if (!this.running) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const conn = createConnection({ path: this.cliPath });
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => conn.destroy(), timeoutMs);
      conn.on('data', (c: Buffer) => chunks.push(c));
      conn.on('error', () => undefined);
      conn.on('close', (hadError) => {
        clearTimeout(timer);
        resolve(hadError && chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8'));
      });
      // HAProxy's master CLI answers, then closes once the client has shut its side.
      conn.end(`${command}\n`);
    });
  }

  /** Drops a staged copy that will not be used (the reload failed elsewhere). */
  discard(): void {
    rmSync(this.staging, { recursive: true, force: true });
    this.staged = false;
  }

  /** Stops HAProxy with hpm-run's stop signal, SIGKILL to its group after the timeout. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitStatus> {
    this.stopping = true;
    if (this.pid > 0 && !this.status) {
      try {
        process.kill(this.pid, signal);
      } catch {
        // already gone
      }
      if (this.options.stopTimeoutMs > 0 && !this.killTimer) {
        this.killTimer = setTimeout(() => this.launcher.signalGroup(this.pid, 'SIGKILL'), this.options.stopTimeoutMs);
      }
    }
    return this.exited;
  }

  private onExit(status: ExitStatus): void {
    this.status = status;
    if (this.killTimer) clearTimeout(this.killTimer);
    const level: LogLevel = status.code < 128 ? 'WARNING' : 'ALERT';
    this.options.logger.log(level, `Current worker (${this.pid}) exited with code ${status.code} (${status.label})`);
    // Its own worker may survive a killed master: the whole group goes.
    this.launcher.signalGroup(this.pid, 'SIGKILL');
    this.resolveExited(status);
    for (const listener of this.exitListeners) listener(status, this.stopping);
  }

  /** The `# workers` row of show proc. */
  row(): ProcRow | undefined {
    if (this.pid === 0 || this.status) return undefined;
    return { pid: this.pid, type: 'worker', reloads: this.reloads, startedAt: this.startedAt, version: this.version };
  }

  /** Lets the fork server go and removes the copies. */
  async close(): Promise<void> {
    await this.launcher.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `<binary> -c -f <dir>`: its exit status (or the signal that ended it) and everything it printed. */
function checkConfiguration(binary: string, dir: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(binary, ['-c', '-f', dir], { encoding: 'utf8', env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
      const status = failure ? (typeof failure.code === 'number' ? failure.code : null) : 0;
      resolve({ status, signal: failure?.signal ?? null, stdout, stderr });
    });
  });
}
