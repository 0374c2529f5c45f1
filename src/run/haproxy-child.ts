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
 * This module is HAProxy's kind (core/haproxy-slot.ts): the supervisor runs it as a slot, starts,
 * stops and reaps it. What is HAProxy's own is here: the copy of the new configuration is checked
 * with `<binary> -c` while hpm-run validates it; then HAProxy reloads before the programs:
 * through its master CLI `reload` where it answers `Success=` (2.7+), else SIGUSR2 and waiting
 * for the new worker (2.6). A failed HAProxy reload fails hpm-run's, and the previous copy
 * becomes the live one again.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { reloadBySignal, reloadSynchronously, versionAtLeast, type HaproxyReloadResult } from './haproxy/master-client.js';
import { configVersionOf, predefinedVariablesOf } from './haproxy/config-version.js';
import { encodeConfigText, readConfig } from '../model/index.js';
import type { ConfigFile } from '../syntax/index.js';
import type { PreExecFailure, SpawnSpec } from './launcher.js';
import type { Logger, LogLevel } from './log.js';
import type { ProcRow } from './show-proc.js';
import type { ConfigSourceText } from './spec.js';
import type { ExitStatus } from './status.js';

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
  logger: Logger;
  /** HAProxy's environment (hpm-run's, without NOTIFY_SOCKET and HPM_RUN). */
  env: Readonly<Record<string, string | undefined>>;
}

const DIR_PREFIX = 'hpm-run-haproxy-';

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the copy directories of hpm-run processes that are gone (killed with SIGKILL, so they
 * could not clean up): `hpm-run-haproxy-<pid>-XXXXXX`, ours by owner, their pid dead.
 */
export function removeStaleCopyDirs(base = tmpdir()): void {
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  for (const name of names) {
    const match = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(name);
    if (!match || Number(match[1]) === process.pid || processExists(Number(match[1]))) continue;
    const path = join(base, name);
    try {
      if (uid !== undefined && statSync(path).uid !== uid) continue;
      rmSync(path, { recursive: true, force: true });
    } catch {
      // raced with its removal
    }
  }
}

const HAPROXY_LINE = /^\[(NOTICE|WARNING|ALERT)\]\s+\(\d+\) : (.*)$/;

export class HaproxyChild {
  readonly version: string;
  /** What `.if version_atleast()` compares against, at the first load and every reload. */
  readonly configVersion?: string;
  /** Seen by `"$NAME"` and `.if defined()` while the configuration is read. */
  readonly configVariables: Record<string, string>;
  pid = 0;
  startedAt = 0;
  reloads = 0;
  /** Set when HAProxy exited. */
  status?: ExitStatus;

  private readonly dir: string;
  private readonly live: string;
  private readonly staging: string;
  private staged = false;
  /** Copy path -> original file, from the last prepare(). */
  private copyNames = new Map<string, string>();

  constructor(private readonly options: HaproxyChildOptions) {
    const version = haproxyVersionOf(options.binary);
    if (!version) throw new Error(`--haproxy: cannot run '${options.binary} -v'`);
    this.version = version;
    this.configVersion = configVersionOf(version);
    this.configVariables = predefinedVariablesOf(version);
    removeStaleCopyDirs();
    this.dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
    this.live = join(this.dir, 'cfg');
    this.staging = join(this.dir, 'next');
  }

  /** Started and not ended. */
  get running(): boolean {
    return this.pid > 0 && this.status === undefined;
  }

  /**
   * Writes HAProxy's copy of the configuration hpm-run just validated to the staging directory
   * and has HAProxy check it. `sources` are the texts that load read and validated: the files are
   * not read again, so a file changed since cannot reach HAProxy unvalidated, and HAProxy and the
   * programs always come from the same texts. Returns undefined when valid, else a one-line
   * reason (HAProxy's own messages are logged first, with the original file names).
   */
  async prepare(sources: readonly ConfigSourceText[]): Promise<string | undefined> {
    rmSync(this.staging, { recursive: true, force: true });
    mkdirSync(this.staging, { mode: 0o700 });
    const names = new Map<string, string>();
    const { files } = readConfig(sources, { haproxyVersion: this.configVersion });
    files.forEach((file, i) => {
      const copyName = `${String(i).padStart(4, '0')}-${basename(file.file).replace(/\.cfg$/, '')}.cfg`;
      writeFileSync(join(this.staging, copyName), encodeConfigText(withoutProgramSections(file), sources[i]!.encoding), { mode: 0o600 });
      names.set(join(this.live, copyName), file.file);
      names.set(join(this.staging, copyName), file.file);
    });
    // Asynchronous: the supervisor keeps reaping and answering signals while HAProxy checks.
    const check = await checkConfiguration(this.options.binary, this.staging, this.env());
    if (check.status === 0) {
      // Only an accepted copy may become the live one: a rejected one leaves the names alone.
      this.copyNames = names;
      this.staged = true;
      return undefined;
    }
    const restore = (text: string) => this.originalNames(text, names);
    for (const raw of `${check.stdout ?? ''}${check.stderr ?? ''}`.split('\n')) {
      if (raw.trim() === '') continue;
      const match = HAPROXY_LINE.exec(raw);
      if (match && /^(haproxy version is|path to executable is) /.test(match[2]!)) continue; // noise here
      this.options.logger.log((match?.[1] ?? 'ALERT') as LogLevel, restore(match ? match[2]! : raw));
    }
    this.staged = false;
    return `HAProxy (${this.options.binary} -c) rejected the configuration (exit code ${check.status ?? check.signal}).`;
  }

  /** HAProxy's messages name the copies: give them the original file names back. */
  private originalNames(text: string, names = this.copyNames): string {
    let out = text;
    for (const [copy, original] of names) out = out.split(copy).join(original);
    return out;
  }

  /** The staged copy becomes the one HAProxy reads; the previous one is kept until `settle`. */
  private commit(): void {
    if (!this.staged) return;
    const old = join(this.dir, 'old');
    rmSync(old, { recursive: true, force: true });
    if (existsSync(this.live)) renameSync(this.live, old);
    renameSync(this.staging, this.live);
    this.staged = false;
  }

  /** After HAProxy's reload: keep the new copy, or bring back the one HAProxy still runs. */
  private settle(success: boolean): void {
    const old = join(this.dir, 'old');
    if (!success && existsSync(old)) {
      rmSync(this.live, { recursive: true, force: true });
      renameSync(old, this.live);
    }
    rmSync(old, { recursive: true, force: true });
  }

  private env(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.options.env)) if (v !== undefined) env[k] = v;
    delete env.NOTIFY_SOCKET;
    delete env.HPM_RUN;
    return env;
  }

  /** How to start HAProxy: the prepared copy becomes the live one. */
  spawnSpec(): SpawnSpec {
    this.commit();
    // A private master CLI of its own, for the `@<n>` / `@!<pid>` commands hpm-run forwards.
    return { argv: [this.options.binary, '-W', '-db', '-S', this.cliPath, '-f', this.live], env: this.env() };
  }

  /** Its fork is confirmed (the supervisor's fork server started it). */
  forked(pid: number, failure?: PreExecFailure): void {
    this.pid = pid;
    this.startedAt = Date.now();
    if (failure) this.options.logger.log('ALERT', `Cannot execute ${this.options.binary}: ${failure.text}`, pid);
  }

  /** It was reaped (the supervisor's HAProxy slot logged it). */
  exited(status: ExitStatus): void {
    this.status = status;
  }

  /** The master CLI `reload` answers with its outcome from 2.7 on. */
  get syncReload(): boolean {
    return versionAtLeast(this.version, 2, 7);
  }

  /**
   * After hpm-run validated a reload, before the programs: HAProxy reloads the new copy and
   * says whether it could (HAProxy's own startup log with it, 2.7+).
   */
  async reload(hard: boolean): Promise<HaproxyReloadResult> {
    this.commit();
    if (!this.running) {
      this.settle(false);
      return { success: false, log: [], reason: 'HAProxy is not running' };
    }
    const result = this.syncReload ? await reloadSynchronously(this.cliPath, hard && versionAtLeast(this.version, 2, 9)) : await reloadBySignal(this.cliPath, this.pid);
    this.settle(result.success);
    if (result.success) this.reloads++;
    return { ...result, log: result.log.map((line) => this.originalNames(line)) };
  }

  /** HAProxy's own master CLI socket (private to hpm-run). */
  get cliPath(): string {
    return join(this.dir, 'master.sock');
  }

  /** Drops a staged copy that will not be used (the reload failed elsewhere). */
  discard(): void {
    rmSync(this.staging, { recursive: true, force: true });
    this.staged = false;
  }

  /** The `# workers` row of show proc. */
  row(): ProcRow | undefined {
    if (this.pid === 0 || this.status) return undefined;
    return { pid: this.pid, type: 'worker', reloads: this.reloads, startedAt: this.startedAt, version: this.version };
  }

  /** Removes the copies (the supervisor finished). */
  close(): void {
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
