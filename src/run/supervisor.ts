/**
 * The supervisor: HAProxy's master for `program` sections (haproxy.md §3), with hpm-run's fixes
 * (hpm-run.md). It owns one slot per configured program and the live process instances, current
 * or old; the supervisor, each slot and each instance move through the state machines of
 * core/states.ts, whose transitions are asserted. Processes are started and signalled through a
 * Launcher; time comes from a Clock; every line goes through the Logger; what happens is told
 * through typed events (core/events.ts). See docs/run.md for the API around it.
 */
import { EventEmitter } from 'node:events';
import type { AccountDatabase } from '../model/index.js';
import type { Diagnostic } from '../syntax/index.js';
import { systemClock, type Clock } from './clock.js';
import { loadRunConfigInChild } from './config-loader.js';
import { DEFAULT_STOP_TIMEOUT_MS, describeDiagnostic, describeLoadFailure, sameDefinition, type LoadResult, type ProgramSpec, type RunConfig, type RunLoadOptions } from './spec.js';
import { programEnvironment } from './environment.js';
import { READING_ONLY_VARIABLES, variablesSetOver } from './haproxy/config-version.js';
import { ForkServerLauncher, type AdoptedProcess, type Launcher, type PreExecFailure } from './launcher.js';
import { Logger } from './log.js';
import { RestartTracker } from './restart-policy.js';
import { describeCheck, waitUntilReady } from './readiness.js';
import { HAPROXY_DEPENDENCY, type ReadyCheck } from '../model/extensions.js';
import { BENIGN_FAILURE_CODES, UNRECORDED_EXIT_CODES, exitStatus, exitStatusOf, type ExitStatus } from './status.js';
import type { ProcessRow, ReloadResult, SupervisorEvents } from './core/events.js';
import { instanceState, slotState, supervisorState, type InstanceState, type SlotState } from './core/states.js';
import type { StateMachine } from './core/state-machine.js';
import { HaproxySlot, type HaproxyKind } from './core/haproxy-slot.js';

export type { ExitStatus } from './status.js';
export type { ProcessRow, ReloadResult, SupervisorEvents } from './core/events.js';
export type { SlotState } from './core/states.js';
export type { HaproxyKind } from './core/haproxy-slot.js';

export interface SupervisorOptions {
  /** `-f` arguments: files, or directories meaning their *.cfg. */
  configPaths: readonly string[];
  /** Base environment of the programs (before global setenv...); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  logger?: Logger;
  /** HAProxy's exit-on-failure (off by default: hpm-run.md). */
  exitOnFailure?: boolean;
  /** Stop timeout before SIGKILL to the group; 0 = wait forever. Default 10 s. */
  stopTimeoutMs?: number;
  /** Stay up when no program is left (a control socket or --haproxy can still act). */
  keepAlive?: boolean;
  /** Exported as HAPROXY_MASTER_CLI, e.g. `unix@/run/hpm.sock`. */
  masterCli?: string;
  /** Paths (FIFOs) to use as a program's stdout/stderr instead of hpm-run's own. */
  output?: (name: string) => { stdout?: string; stderr?: string } | undefined;
  /**
   * --haproxy: HAProxy as a slot (core/haproxy-slot.ts): checked with each configuration, started
   * after the programs, reloaded before them, stopped after the programs `after haproxy`; its
   * exit stops everything. Without it, `after haproxy` refuses the configuration.
   */
  haproxy?: HaproxyKind;
  /**
   * --haproxy-socket: runs after a reload was validated, before the programs reload (an HAProxy
   * run elsewhere reloads first); a message = it failed, the programs stay as they are.
   */
  applyExternal?: (hard: boolean) => Promise<string | undefined>;
  /**
   * --haproxy-socket: how the attached HAProxy reads a configuration (its version and the
   * variables it defines), asked at each load; --haproxy's `haproxy` answers it itself.
   */
  readAs?: () => Pick<HaproxyKind, 'configVersion' | 'configVariables'> | undefined;
  launcher?: Launcher;
  clock?: Clock;
  /** A user/group database (tests); implies loading in this process. */
  accounts?: AccountDatabase;
  /**
   * Where configurations are parsed: 'child' (default) keeps the parser out of the supervisor's
   * memory; 'in-process' saves a Node start per load.
   */
  configLoader?: 'child' | 'in-process';
}

export { DEFAULT_STOP_TIMEOUT_MS };
/** How long the orphans of stopped programs get to finish going before they count as daemons. */
const ADOPTED_SETTLE_MS = 100;

/** A process instance. `pid` is 0 until the fork is confirmed. */
interface Proc {
  pid: number;
  name: string;
  reloads: number;
  startedAt: number;
  state: StateMachine<InstanceState>;
  spec: ProgramSpec;
  /** The slot it is the current instance of; none once old. */
  slot?: Slot;
  stopTimer?: unknown;
  /** Signal to send once forked (retired or stopped while the fork was pending). */
  pendingSignal?: NodeJS.Signals;
  /** Being stopped so its replacement can start (`reload-order stop-first`): the stop timer applies. */
  stoppedForReplacement?: boolean;
  /** Its `ready` check, while it runs. */
  readiness?: AbortController;
  /** Stopped because its `ready` check timed out: its exit counts as a failed start. */
  readyTimedOut?: boolean;
  /** Got the stop signal of hpm-run's stop (which goes in reverse `after` order). */
  stopSent?: boolean;
}

const isAlive = (proc: Proc): boolean => !proc.state.is('gone');
const isForked = (proc: Proc): boolean => proc.pid > 0;

interface Slot {
  spec: ProgramSpec;
  state: StateMachine<SlotState>;
  process?: Proc;
  tracker: RestartTracker;
  backoffTimer?: unknown;
  /** `reload-order stop-first`: starts once no instance of the program is left. */
  waitingForFormer?: boolean;
  /** `after`: starts once the programs it names are ready. */
  waitingForDependencies?: boolean;
}

export class Supervisor extends EventEmitter<SupervisorEvents> {
  readonly logger: Logger;
  reloads = 0;
  failedReloads = 0;
  startedAt = 0;
  readonly done: Promise<number>;

  private readonly clock: Clock;
  private readonly stopTimeoutMs: number;
  private launcherInstance?: Launcher;
  private readonly mode = supervisorState();
  private env: Record<string, string> = {};
  private slots = new Map<string, Slot>();
  private readonly procs = new Set<Proc>();
  private pendingForks = 0;
  private forkWaiters: (() => void)[] = [];
  private exitCode?: number;
  private reloadQueue: Promise<unknown> = Promise.resolve();
  private resolveDone!: (code: number) => void;
  /** Daemons left behind by programs, adopted by the fork server, signalled and awaited before the end. */
  private readonly adopted = new Map<number, AdoptedProcess>();
  private adoptedTimer?: unknown;
  /** 'asking': the launcher is listing them; 'clear': none was left at the last look. */
  private adoptedSweep: 'none' | 'asking' | 'clear' = 'none';
  /** --haproxy: HAProxy's slot, created with the launcher at the first start. */
  private haproxySlot?: HaproxySlot;
  /** Ends the readiness checks when the supervisor stops. */
  private readonly lifetime = new AbortController();
  private settledWaiters: (() => void)[] = [];
  /** The signal of hpm-run's stop, for the programs stopped after their dependents. */
  private orderedStopSignal: NodeJS.Signals = 'SIGTERM';

  constructor(private readonly options: SupervisorOptions) {
    super();
    this.logger = options.logger ?? new Logger();
    this.clock = options.clock ?? systemClock;
    this.stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  private get launcher(): Launcher {
    if (!this.launcherInstance) {
      this.launcherInstance = this.options.launcher ?? new ForkServerLauncher();
      this.launcherInstance.onCrash((reason) => this.onLauncherCrash(reason));
      this.launcherInstance.onAdoptedExit?.((pid, code, signal) => this.onAdoptedExit(pid, exitStatusOf(code, signal)));
    }
    return this.launcherInstance;
  }

  /** Sends datagrams (systemd notify) through the fork server while it runs; undefined otherwise. */
  datagramSender(): ((socket: string, message: string) => Promise<void>) | undefined {
    if (this.mode.is('done')) return undefined;
    const launcher = this.launcher;
    return launcher.sendDatagram ? (socket, message) => launcher.sendDatagram!(socket, message) : undefined;
  }

  /** The slot states by program name (config order): for tests and show proc json. */
  programStates(): { name: string; state: SlotState }[] {
    return [...this.slots.values()].map((s) => ({ name: s.spec.name, state: s.state.state }));
  }

  processes(): ProcessRow[] {
    const live = [...this.procs].filter((p) => isAlive(p) && isForked(p));
    const current = [...this.slots.values()].flatMap((s) => (s.process && live.includes(s.process) ? [s.process] : []));
    const others = live.filter((p) => !current.includes(p)).sort((a, b) => a.reloads - b.reloads || b.startedAt - a.startedAt);
    return [...current, ...others].map((p) => this.rowOf(p));
  }

  /** Loads, validates and starts every program in file order. False (and exit code 1) on an invalid config. */
  start(): Promise<boolean> {
    if (!this.mode.is('idle')) throw new Error('Supervisor.start() called twice');
    this.mode.to('loading');
    const started = this.doStart();
    this.reloadQueue = started.catch(() => undefined); // a reload asked for meanwhile runs after it
    return started;
  }

  private async doStart(): Promise<boolean> {
    this.startedAt = this.clock.now();
    const result = await this.load();
    if (!this.mode.is('loading')) return false; // stopped while loading
    if (!result.ok) {
      this.logLoadFailure(result);
      this.mode.to('done');
      this.exitCode = 1;
      this.emit('exit', 1);
      this.resolveDone(1);
      return false;
    }
    this.logDiagnostics(result.diagnostics);
    this.mode.to('running');
    this.useConfig(result.config);
    for (const spec of result.config.programs) this.slots.set(spec.name, this.newSlot(spec));
    for (const slot of this.slots.values()) this.requestStart(slot);
    await this.forksSettled();
    this.startHaproxy();
    await this.forksSettled();
    void this.startsSettled().then(() => {
      if (this.mode.is('running')) this.emit('ready');
    });
    this.maybeFinish();
    return true;
  }

  reload(options: { hard?: boolean } = {}): Promise<ReloadResult> {
    const next = this.reloadQueue.then(() => this.doReload(options.hard ?? false));
    this.reloadQueue = next.catch(() => undefined);
    return next;
  }

  /** TERM, INT, USR1 (HAProxy §3.5): forward the signal to every program, wait, exit. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number> {
    if (this.mode.is('done', 'idle')) {
      if (this.mode.is('idle')) this.finishNow(0);
      return this.done;
    }
    this.logger.warning('Exiting Master process...');
    this.emit('stopping', { signal });
    const again = this.mode.is('stopping');
    if (!again) this.mode.to('stopping');
    this.cancelBackoffs();
    if (again) {
      // A second stop signal is forwarded to all, at once.
      for (const proc of this.procs) if (isAlive(proc)) this.stopProcess(proc, signal);
      this.haproxySlot?.stop(signal);
    } else {
      this.orderedStopSignal = signal;
      this.stopInOrder();
    }
    this.maybeFinish();
    return this.done;
  }

  /**
   * --haproxy: HAProxy (shown as a worker) ended. Its code counts as a current child's (§3.4)
   * and, since the programs' lifetime is tied to it, everything stops: with exit-on-failure's
   * line when the code is not benign.
   */
  private haproxyEnded(code: number): void {
    this.recordExitCode(code);
    if (!this.mode.is('running')) {
      this.maybeFinish(); // it was stopping with the rest: the supervisor may finish now
      return;
    }
    if (BENIGN_FAILURE_CODES.includes(code)) void this.stop('SIGTERM');
    else {
      this.exitOnFailure();
      this.maybeFinish();
    }
  }

  /** SIGTTOU / SIGTTIN: HAProxy broadcasts them to every child (§3.5). */
  broadcast(signal: NodeJS.Signals): void {
    for (const proc of this.procs) if (isAlive(proc) && isForked(proc)) this.launcher.signalGroup(proc.pid, signal);
  }

  // ---- loading ---------------------------------------------------------------------------

  private async load(): Promise<LoadResult> {
    const env = this.options.env ?? process.env;
    const haproxy = this.options.haproxy;
    // Read with HAProxy's version and variables when there is one; --haproxy also keeps the
    // validated texts for HAProxy's copy.
    const readAs = this.readAs();
    const loadOptions: RunLoadOptions = {
      ...(haproxy ? { keepSources: true } : {}),
      ...(readAs?.configVersion ? { haproxyVersion: readAs.configVersion } : {}),
      ...(readAs?.configVariables ? { predefined: readAs.configVariables } : {}),
    };
    let result: LoadResult;
    if (this.options.configLoader === 'in-process' || this.options.accounts) {
      const { loadRunConfig } = await import('./config.js');
      result = loadRunConfig(this.options.configPaths, env, this.options.accounts, loadOptions);
    } else {
      result = await loadRunConfigInChild(this.options.configPaths, env, loadOptions);
    }
    if (result.ok && !this.options.haproxy) {
      const needsHaproxy = result.config.programs.find((p) => p.after.includes(HAPROXY_DEPENDENCY));
      if (needsHaproxy) return { ok: false, diagnostics: result.diagnostics, fatal: `config : program '${needsHaproxy.name}': 'after haproxy' needs hpm-run --haproxy: there is no HAProxy child to wait for` };
    }
    if (!result.ok || !haproxy) return result;
    // --haproxy: HAProxy checks its copy too (of the very texts just validated), before anything
    // starts or is reloaded. The texts are not kept beyond that.
    const sources = result.config.sources ?? [];
    delete result.config.sources;
    const fatal = await haproxy.validate(sources);
    return fatal ? { ok: false, diagnostics: result.diagnostics, fatal } : result;
  }

  /** How HAProxy, when there is one (--haproxy, --haproxy-socket), reads a configuration. */
  private readAs(): Pick<HaproxyKind, 'configVersion' | 'configVariables'> | undefined {
    return this.options.haproxy ?? this.options.readAs?.();
  }

  /**
   * Keeps only what later starts need (the environment), not the configuration's ASTs. With an
   * HAProxy, the variables it defines at its start and keeps (HAPROXY_STARTUP_VERSION,
   * HAPROXY_BRANCH) are in it too, before the `global` env lines, as its master passed them on.
   */
  private useConfig(config: RunConfig): void {
    const inherited = this.options.env ?? process.env;
    const kept = { ...this.readAs()?.configVariables };
    for (const name of READING_ONLY_VARIABLES) delete kept[name];
    const base = { ...inherited, ...variablesSetOver(inherited, kept) };
    this.env = programEnvironment(base, config.envLines, {
      configFiles: config.files,
      masterCli: this.options.masterCli,
    });
  }

  private logDiagnostics(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) {
      if (d.severity === 'error') this.logger.alert(describeDiagnostic(d));
      else this.logger.warning(describeDiagnostic(d));
    }
  }

  private logLoadFailure(result: Extract<LoadResult, { ok: false }>): void {
    for (const { level, text } of describeLoadFailure(result)) this.logger.log(level, text);
  }

  // ---- starting ---------------------------------------------------------------------------

  private newSlot(spec: ProgramSpec): Slot {
    return { spec, state: slotState(spec.name), tracker: new RestartTracker() };
  }

  /** Starts the program now, or once the programs it names in `after` are ready. */
  private requestStart(slot: Slot): void {
    if (!this.mode.is('running')) return;
    const waitingFor = slot.spec.after.filter((name) => !this.dependencyReady(name));
    if (waitingFor.length === 0) {
      slot.waitingForDependencies = false;
      this.startSlot(slot);
      return;
    }
    if (slot.waitingForDependencies) return;
    slot.waitingForDependencies = true;
    slot.state.to('starting');
    this.logger.notice(`Program '${slot.spec.name}' waits for ${waitingFor.map((n) => `'${n}'`).join(', ')} to be ready (after)`);
  }

  private dependencyReady(name: string): boolean {
    const slot = this.slots.get(name);
    if (slot) return slot.state.is('running', 'ready');
    if (name === HAPROXY_DEPENDENCY) return this.haproxySlot?.state.is('ready') ?? false;
    return true; // an unknown name is a lint error: never reached with a valid configuration
  }

  /** A program became ready (or running): those waiting for it may start, in file order. */
  private startWaitingPrograms(): void {
    for (const slot of this.slots.values()) if (slot.waitingForDependencies) this.requestStart(slot);
  }

  /** Resolves once no slot is starting: HAProxy answers, every check has passed or failed (systemd READY=1). */
  startsSettled(): Promise<void> {
    if (!this.anyStarting()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private anyStarting(): boolean {
    return [...this.slots.values()].some((s) => s.state.is('starting')) || this.haproxySlot?.state.is('starting') === true;
  }

  private checkStartsSettled(): void {
    if (this.settledWaiters.length === 0 || this.anyStarting()) return;
    for (const waiter of this.settledWaiters.splice(0)) waiter();
  }

  /**
   * --haproxy: HAProxy starts after the programs' forks (those `after haproxy` wait for its
   * readiness). It never restarts: its exit stops everything.
   */
  private startHaproxy(): void {
    const kind = this.options.haproxy;
    if (!kind || !this.mode.is('running')) return;
    const slot = new HaproxySlot(kind, {
      launcher: this.launcher,
      clock: this.clock,
      logger: this.logger,
      stopTimeoutMs: this.stopTimeoutMs,
      forkSettled: () => this.forkDone(),
      ready: () => {
        this.startWaitingPrograms();
        this.checkStartsSettled();
      },
      ended: (code) => {
        this.checkStartsSettled();
        this.haproxyEnded(code);
      },
    });
    this.haproxySlot = slot;
    this.pendingForks++;
    slot.start();
  }

  private startSlot(slot: Slot): void {
    if (!this.mode.is('running')) return;
    const spec = slot.spec;
    const now = this.clock.now();
    if (!slot.state.is('starting')) slot.state.to('starting');
    this.adoptedSweep = 'none'; // a new program may leave daemons behind too
    slot.tracker.recordStart(now);
    const proc: Proc = { pid: 0, name: spec.name, reloads: 0, startedAt: now, state: instanceState(() => `program '${spec.name}' (${proc.pid})`), spec, slot };
    slot.process = proc;
    this.procs.add(proc);
    this.pendingForks++;
    let output: ReturnType<NonNullable<SupervisorOptions['output']>>;
    try {
      output = this.options.output?.(spec.name);
    } catch (error) {
      // Its output pipes could not be made (mkfifo killed or missing): a failed start, told as
      // the launcher tells one (later), never an exception out of a timer.
      this.logger.alert(`Cannot create the output pipes of program '${spec.name}': ${(error as Error).message.split('\n')[0]}`);
      queueMicrotask(() => this.onForkFailed(proc));
      return;
    }
    this.launcher.spawn(
      { argv: spec.argv, argvEncoding: spec.argvEncoding, uid: spec.uid, gid: spec.gid, env: this.envOf(spec), stdoutPath: output?.stdout, stderrPath: output?.stderr, cwd: spec.cwd, umask: spec.umask },
      {
        forked: (pid) => this.onForked(proc, pid),
        preExecFailed: (failure) => this.logger.log('ALERT', preExecFailureMessage(proc.spec, failure), proc.pid),
        exited: (code, signal) => this.onExit(proc, exitStatusOf(code, signal)),
        failed: () => this.onForkFailed(proc),
      },
    );
  }

  /** The shared environment (one object, sent to the fork server once), with the program's `env` lines over it. */
  private envOf(spec: ProgramSpec): Record<string, string> {
    const own = spec.env ?? {};
    return Object.keys(own).length === 0 ? this.env : { ...this.env, ...own };
  }

  private onForked(proc: Proc, pid: number): void {
    proc.pid = pid;
    proc.startedAt = this.clock.now();
    this.logger.notice(`New program '${proc.name}' (${pid}) forked`);
    const pending = proc.pendingSignal;
    proc.pendingSignal = undefined;
    if (proc.state.is('forking')) proc.state.to('running');
    const startedSlot = proc.slot?.process === proc && proc.slot.state.is('starting') && this.mode.is('running') ? proc.slot : undefined;
    if (startedSlot && !startedSlot.spec.ready) startedSlot.state.to('running');
    this.emit('spawned', this.rowOf(proc));
    if (startedSlot?.spec.ready) this.checkReadiness(proc, startedSlot.spec.ready);
    else if (startedSlot) this.startWaitingPrograms();
    this.checkStartsSettled();
    // Stopped or retired while the fork was on its way: deliver what it missed.
    if (this.mode.is('stopping')) {
      if (pending) this.stopProcess(proc, pending);
      else this.stopInOrder(); // forked after the stop began: its turn comes in reverse `after` order
    } else if (pending) {
      this.launcher.signalGroup(pid, pending);
      if (proc.stoppedForReplacement) this.armStopTimer(proc, pending);
    }
    this.forkDone();
  }

  /**
   * The `ready` check of a new instance: the slot turns `ready` when it passes; when it has not
   * passed in ready-timeout, the instance is stopped and its exit counts as a failed start.
   */
  private checkReadiness(proc: Proc, check: ReadyCheck): void {
    const controller = new AbortController();
    proc.readiness = controller;
    const abort = () => controller.abort();
    this.lifetime.signal.addEventListener('abort', abort);
    const timeout = proc.spec.readyTimeoutMs;
    void waitUntilReady(check, { timeoutMs: timeout, env: this.envOf(proc.spec), signal: controller.signal }).then((ok) => {
      this.lifetime.signal.removeEventListener('abort', abort);
      if (controller.signal.aborted) return;
      proc.readiness = undefined;
      const slot = proc.slot;
      if (!this.mode.is('running') || !slot || slot.process !== proc || !isAlive(proc) || !slot.state.is('starting')) return;
      if (ok) {
        slot.state.to('ready');
        this.logger.notice(`Program '${proc.name}' (${proc.pid}) is ready (${describeCheck(check)})`);
        this.startWaitingPrograms();
        this.checkStartsSettled();
        return;
      }
      this.logger.warning(`Program '${proc.name}' (${proc.pid}) not ready within ${formatDuration(timeout)} (${describeCheck(check)}): stopping it, a failed start`);
      proc.readyTimedOut = true;
      this.signalToStop(proc, 'SIGTERM');
    });
  }

  private onForkFailed(proc: Proc): void {
    this.logger.alert(`Cannot fork program '${proc.name}'.`);
    proc.state.to('gone');
    this.procs.delete(proc);
    this.recordExitCode(1);
    if (proc.slot?.process === proc) {
      proc.slot.process = undefined;
      this.afterCurrentExit(proc.slot, 1);
    }
    this.forkDone();
    this.maybeFinish();
  }

  private forkDone(): void {
    this.pendingForks--;
    if (this.pendingForks === 0) for (const waiter of this.forkWaiters.splice(0)) waiter();
  }

  private forksSettled(): Promise<void> {
    if (this.pendingForks === 0) return Promise.resolve();
    return new Promise((resolve) => this.forkWaiters.push(resolve));
  }

  // ---- exits ------------------------------------------------------------------------------

  private onExit(proc: Proc, status: ExitStatus): void {
    const row = this.rowOf(proc);
    const wasOld = proc.state.is('old');
    proc.state.to('gone');
    this.procs.delete(proc);
    proc.readiness?.abort();
    if (proc.stopTimer !== undefined) this.clock.clearTimeout(proc.stopTimer);
    if (wasOld) {
      this.logger.warning(`Former program '${proc.name}' (${proc.pid}) exited with code ${status.code} (${status.label})`);
      this.stopDependencies();
      this.emit('exited', row, status);
      this.startReplacement(proc.name);
      this.maybeFinish();
      return;
    }
    this.logger.alert(`Current program '${proc.name}' (${proc.pid}) exited with code ${status.code} (${status.label})`);
    this.stopDependencies();
    this.recordExitCode(status.code);
    this.emit('exited', row, status);
    const slot = proc.slot;
    if (slot && slot.process === proc) {
      slot.process = undefined;
      // A check that timed out is a failed start, whatever the code of the stopped process.
      this.afterCurrentExit(slot, proc.readyTimedOut && status.code === 0 ? 1 : status.code);
    }
    this.checkStartsSettled();
    this.maybeFinish();
  }

  /** At a stop, a program's exit may let its dependencies go (after its exit line, which HAProxy's own lines must follow). */
  private stopDependencies(): void {
    if (this.mode.is('stopping')) this.stopInOrder();
  }

  /** §3.4: the first current exit code other than 0 and 143 becomes hpm-run's exit code. */
  private recordExitCode(code: number): void {
    if (this.exitCode === undefined && !UNRECORDED_EXIT_CODES.includes(code)) this.exitCode = code;
  }

  private afterCurrentExit(slot: Slot, code: number): void {
    if (!this.mode.is('running')) {
      slot.state.to('exited');
      // HAProxy applies exit-on-failure while stopping too (a program dying of the forwarded
      // SIGUSR1 logs it, once per failing program).
      if (this.mode.is('stopping') && this.options.exitOnFailure && !BENIGN_FAILURE_CODES.includes(code)) this.exitOnFailure();
      return;
    }
    const decision = slot.tracker.decide(slot.spec.restart, code, this.clock.now());
    switch (decision.action) {
      case 'restart':
        slot.state.to('backoff');
        this.logger.notice(`Program '${slot.spec.name}' will be restarted in ${formatDuration(decision.delayMs)} (restart ${slot.spec.restart})`);
        slot.backoffTimer = this.clock.setTimeout(() => {
          slot.backoffTimer = undefined;
          if (slot.state.is('backoff') && this.slots.get(slot.spec.name) === slot) this.requestStart(slot);
        }, decision.delayMs);
        return;
      case 'fatal':
        slot.state.to('fatal');
        this.logger.alert(`Program '${slot.spec.name}' started ${decision.starts} times within 60s and exited each time: giving up (FATAL)`);
        if (this.options.exitOnFailure) this.exitOnFailure();
        return;
      case 'stay-down':
        slot.state.to('exited');
        if (this.options.exitOnFailure && !BENIGN_FAILURE_CODES.includes(code)) this.exitOnFailure();
        return;
    }
  }

  /** HAProxy's exit-on-failure (§3.4), only with --exit-on-failure. */
  private exitOnFailure(): void {
    this.logger.alert('exit-on-failure: killing every processes with SIGTERM');
    if (!this.mode.is('stopping')) this.mode.to('stopping'); // HAProxy logs it for each failing program
    this.emit('stopping', { signal: 'SIGTERM' }); // systemd STOPPING=1, --haproxy stops too
    this.cancelBackoffs();
    this.orderedStopSignal = 'SIGTERM';
    this.stopInOrder();
  }

  /**
   * hpm-run's stop, in reverse `after` order: a program gets the stop signal once no running
   * program names it in `after` (called again at each exit). Old instances go at once.
   */
  private stopInOrder(): void {
    const alive = [...this.procs].filter(isAlive);
    for (const proc of alive) {
      if (proc.stopSent) continue;
      const name = proc.slot?.process === proc ? proc.name : undefined;
      if (name !== undefined && alive.some((p) => p !== proc && p.slot?.process === p && p.spec.after.includes(name))) continue;
      proc.stopSent = true;
      this.stopProcess(proc, this.orderedStopSignal);
    }
    // HAProxy goes after every live program that names it in `after` (old instances too).
    const haproxy = this.haproxySlot;
    if (haproxy?.alive && !haproxy.state.is('stopping') && !alive.some((p) => p.spec.after.includes(HAPROXY_DEPENDENCY))) haproxy.stop(this.orderedStopSignal);
  }

  // ---- stopping ---------------------------------------------------------------------------

  /** The signal to the whole group, SIGCONT (a stopped program must see it), then SIGKILL after the stop timeout. */
  private stopProcess(proc: Proc, signal: NodeJS.Signals): void {
    if (proc.slot?.process === proc && !proc.slot.state.is('stopping')) proc.slot.state.to('stopping');
    this.signalToStop(proc, signal);
  }

  /** The instance's part of a stop (its slot keeps its state: a failed check is a failed start). */
  private signalToStop(proc: Proc, signal: NodeJS.Signals): void {
    const sig = signal === 'SIGTERM' ? (proc.spec.stopSignal ?? 'SIGTERM') : signal;
    proc.readiness?.abort();
    if (proc.state.is('forking', 'running')) proc.state.to('stopping');
    this.sendStop(proc, sig);
  }

  /** The stop signal to the group, SIGCONT, SIGKILL after the stop timeout; once forked if it is not yet. */
  private sendStop(proc: Proc, sig: NodeJS.Signals): void {
    if (!isForked(proc)) {
      proc.pendingSignal = sig;
      return;
    }
    this.launcher.signalGroup(proc.pid, sig);
    if (sig !== 'SIGCONT' && sig !== 'SIGKILL') this.launcher.signalGroup(proc.pid, 'SIGCONT');
    this.armStopTimer(proc, sig);
  }

  private armStopTimer(proc: Proc, sig: NodeJS.Signals): void {
    const timeout = proc.spec.stopTimeoutMs ?? this.stopTimeoutMs;
    if (timeout <= 0 || proc.stopTimer !== undefined) return;
    proc.stopTimer = this.clock.setTimeout(() => {
      if (!isAlive(proc)) return;
      this.logger.warning(`Program '${proc.name}' (${proc.pid}) still running ${formatDuration(timeout)} after ${sig}: killing its process group with SIGKILL`);
      this.launcher.signalGroup(proc.pid, 'SIGKILL');
    }, timeout);
  }

  /** Backoff timers and starts still waiting (for `after` or a former instance) are dropped. */
  private cancelBackoffs(): void {
    for (const slot of this.slots.values()) {
      if (slot.backoffTimer !== undefined) this.clock.clearTimeout(slot.backoffTimer);
      slot.backoffTimer = undefined;
      if (slot.state.is('backoff')) slot.state.to('exited');
      if (slot.waitingForDependencies && slot.state.is('starting') && !slot.process) slot.state.to('exited');
      slot.waitingForDependencies = false;
      slot.waitingForFormer = false;
    }
  }

  /** Nothing left running and nothing can bring a program back except a reload: HAProxy's ECHILD. */
  private maybeFinish(): void {
    if (this.mode.is('done', 'idle')) return;
    if (this.options.keepAlive && this.mode.is('running')) return;
    if (this.pendingForks > 0 || [...this.procs].some((p) => isAlive(p))) return;
    if (this.haproxySlot?.alive) return;
    if (this.mode.is('running') && [...this.slots.values()].some((s) => s.state.is('backoff', 'starting'))) return;
    if (!this.adoptedGone()) return;
    this.finishNow(this.exitCode ?? 0);
  }

  /**
   * Whatever the fork server adopted as subreaper (a daemon a program left behind) belongs to
   * hpm-run: before the end it gets SIGTERM (its group too), then SIGKILL after the stop timeout,
   * each named in the log. True once none is left (asks again after each batch is gone).
   */
  private adoptedGone(): boolean {
    const launcher = this.launcherInstance;
    if (!launcher?.signalAdopted || this.adoptedSweep === 'clear') return true;
    if (this.adoptedSweep === 'asking' || this.adopted.size > 0) return false;
    this.adoptedSweep = 'asking';
    // A look first: members of a program's group that got its signal are often still on their
    // way out. Those still there a moment later are the daemons: signalled and named. (The
    // launcher answers synchronously with its report, before any exit reported after it.)
    launcher.signalAdopted(0, (seen) => {
      if (seen.length === 0) this.adoptedListed(launcher, []);
      else this.clock.setTimeout(() => launcher.signalAdopted!('SIGTERM', (found) => this.adoptedListed(launcher, found)), ADOPTED_SETTLE_MS);
    });
    return false;
  }

  private adoptedListed(launcher: Launcher, found: AdoptedProcess[]): void {
    if (this.mode.is('done')) return;
    const fresh = found.filter((p) => !this.adopted.has(p.pid));
    const startedMeanwhile = this.adoptedSweep !== 'asking';
    this.adoptedSweep = fresh.length === 0 && this.adopted.size === 0 && !startedMeanwhile ? 'clear' : 'none';
    for (const p of fresh) {
      this.adopted.set(p.pid, p);
      this.logger.warning(`Adopted process '${p.name}' (${p.pid}), left behind by a program: stopping it with SIGTERM`);
    }
    const timeout = this.stopTimeoutMs;
    if (fresh.length > 0 && timeout > 0 && this.adoptedTimer === undefined) {
      this.adoptedTimer = this.clock.setTimeout(() => {
        this.adoptedTimer = undefined;
        for (const p of this.adopted.values()) {
          this.logger.warning(`Adopted process '${p.name}' (${p.pid}) still running ${formatDuration(timeout)} after SIGTERM: killing it with SIGKILL`);
        }
        launcher.signalAdopted!('SIGKILL', (alive) => {
          // One that is no longer the fork server's child was reaped already: nothing to wait for.
          for (const pid of [...this.adopted.keys()]) if (!alive.some((p) => p.pid === pid)) this.adopted.delete(pid);
          this.maybeFinish();
        });
      }, timeout);
    }
    this.maybeFinish();
  }

  private onAdoptedExit(pid: number, status: ExitStatus): void {
    const adopted = this.adopted.get(pid);
    if (!adopted) return; // an orphan that ended on its own while programs ran: reaped, that is all
    this.adopted.delete(pid);
    this.logger.warning(`Adopted process '${adopted.name}' (${pid}) exited with code ${status.code} (${status.label})`);
    if (this.adopted.size === 0 && this.adoptedTimer !== undefined) {
      this.clock.clearTimeout(this.adoptedTimer);
      this.adoptedTimer = undefined;
    }
    this.maybeFinish();
  }

  private finishNow(code: number): void {
    this.mode.to('done');
    this.lifetime.abort();
    for (const waiter of this.settledWaiters.splice(0)) waiter();
    this.haproxySlot?.close();
    this.cancelBackoffs();
    for (const proc of this.procs) if (proc.stopTimer !== undefined) this.clock.clearTimeout(proc.stopTimer);
    if (this.adoptedTimer !== undefined) this.clock.clearTimeout(this.adoptedTimer);
    this.logger.warning(`All workers exited. Exiting... (${code})`);
    const closing = this.launcherInstance ? this.launcherInstance.close() : Promise.resolve();
    void closing.then(() => {
      this.emit('exit', code);
      this.resolveDone(code);
    });
  }

  private onLauncherCrash(reason: string): void {
    if (this.mode.is('done')) return;
    this.logger.alert(`hpm-run: ${reason}; its programs were killed with it`);
    for (const proc of this.procs) proc.state.to('gone');
    this.procs.clear();
    this.haproxySlot?.lost();
    this.pendingForks = 0;
    this.recordExitCode(1);
    this.finishNow(this.exitCode ?? 1);
  }

  // ---- reloading --------------------------------------------------------------------------

  private async doReload(hard: boolean): Promise<ReloadResult> {
    if (!this.mode.is('running')) return { success: false, log: [] };
    const capture = this.logger.capture();
    let success = false;
    let log: string[];
    try {
      success = await this.runReload(hard);
    } catch (error) {
      // A file, a loader or a signal that failed on the way: a failed reload, never hpm-run's end.
      this.logger.alert(`Reload failed: ${(error as Error).message}`);
      this.logger.warning('Loading failure!');
      this.failedReloads++;
    } finally {
      log = capture.end();
    }
    if (!success) this.options.haproxy?.discard();
    const reload = { success, log };
    this.emit('reloaded', reload);
    this.maybeFinish();
    return reload;
  }

  /** One reload's steps, logged; true when it succeeded. */
  private async runReload(hard: boolean): Promise<boolean> {
    this.emit('reloading', { hard });
    this.logger.notice(hard ? 'Reloading HAProxy (hard-reload)' : 'Reloading HAProxy');
    this.reloads++;
    for (const proc of this.procs) if (isAlive(proc)) proc.reloads++;
    const result = await this.load();
    if (!this.mode.is('running')) {
      this.logger.warning('Loading failure!'); // stopped while the new configuration was read
      return false;
    }
    if (!result.ok) {
      this.logLoadFailure(result);
      this.logger.warning('Loading failure!');
      this.failedReloads++;
      return false;
    }
    if (this.reloadsExternal() && (await this.applyExternal(result.diagnostics, hard))) {
      this.logger.warning('Loading failure!');
      this.failedReloads++;
      return false;
    }
    if (!this.reloadsExternal()) this.logDiagnostics(result.diagnostics);
    this.failedReloads = 0;
    this.applyReload(result.config, hard);
    await this.forksSettled(); // so the reload's log holds its `New program` lines, as HAProxy's does
    this.logger.notice('Loading success.');
    return true;
  }

  /** HAProxy reloads before the programs: ours (--haproxy) or one run elsewhere (--haproxy-socket). */
  private reloadsExternal(): boolean {
    return this.options.haproxy !== undefined || this.options.applyExternal !== undefined;
  }

  /** --haproxy: its slot reloads HAProxy; a message = it could not. */
  private reloadHaproxy(hard: boolean): Promise<string | undefined> {
    const slot = this.haproxySlot;
    // Not started (or gone): the kind answers why (its validated copy is dropped).
    return slot ? slot.reload(hard) : this.options.haproxy!.reload(hard);
  }

  /** HAProxy's reload after the diagnostics; true when it failed (already logged). */
  private async applyExternal(diagnostics: readonly Diagnostic[], hard: boolean): Promise<boolean> {
    this.logDiagnostics(diagnostics);
    const failure = this.options.haproxy ? await this.reloadHaproxy(hard) : await this.options.applyExternal!(hard);
    if (failure !== undefined) this.logger.alert(failure);
    return failure !== undefined;
  }

  /**
   * §3.6 with the hpm-run fixes: old instances (and already-old ones, again) get SIGUSR1
   * (SIGTERM when hard) before the new instances start in config order; removed programs are
   * stopped; `no option start-on-reload` keeps the running instance untouched and current.
   */
  private applyReload(config: RunConfig, hard: boolean): void {
    const oldSignal: NodeJS.Signals = hard ? 'SIGTERM' : 'SIGUSR1';
    const next = new Map(config.programs.map((spec) => [spec.name, spec]));
    for (const proc of this.procs) if (proc.state.is('old') && isForked(proc) && !proc.stoppedForReplacement) this.launcher.signalGroup(proc.pid, oldSignal);
    for (const slot of this.slots.values()) {
      const spec = next.get(slot.spec.name);
      if (spec && !spec.startOnReload) continue;
      if (slot.backoffTimer !== undefined) this.clock.clearTimeout(slot.backoffTimer);
      slot.backoffTimer = undefined;
      const proc = slot.process;
      slot.process = undefined;
      if (!proc || !isAlive(proc)) continue;
      proc.state.to('old');
      proc.slot = undefined;
      proc.readiness?.abort();
      if (spec?.reloadOrder === 'stop-first') continue; // stopped below, with the program's former instances
      if (!isForked(proc)) proc.pendingSignal = oldSignal;
      else this.launcher.signalGroup(proc.pid, oldSignal);
      if (!spec && isForked(proc)) this.armStopTimer(proc, oldSignal); // removed: stopped, not left behind
    }
    for (const spec of config.programs) if (spec.startOnReload && spec.reloadOrder === 'stop-first') this.stopFormerInstances(spec.name);
    const slots = new Map<string, Slot>();
    const toStart: Slot[] = [];
    for (const spec of config.programs) {
      const kept = this.slots.get(spec.name);
      if (kept && !spec.startOnReload) {
        if (!sameDefinition(kept.spec, spec)) {
          this.logger.warning(`Program '${spec.name}' changed but has 'no option start-on-reload': the running instance is kept; the new settings apply from its next start`);
        }
        this.sendReloadSignal(kept, spec);
        kept.spec = spec;
        slots.set(spec.name, kept);
        continue;
      }
      const slot = this.newSlot(spec);
      slots.set(spec.name, slot);
      toStart.push(slot);
    }
    this.slots = slots;
    this.useConfig(config);
    for (const slot of toStart) {
      if (slot.spec.reloadOrder === 'stop-first' && this.formerInstances(slot.spec.name).length > 0) slot.waitingForFormer = true;
      else this.requestStart(slot);
    }
  }

  private formerInstances(name: string): Proc[] {
    return [...this.procs].filter((p) => p.name === name && p.state.is('old'));
  }

  /**
   * `reload-order stop-first`: every former instance of the program (the one this reload retires,
   * and any left by earlier reloads) is stopped as at hpm-run's stop (stop-signal to the group,
   * SIGCONT, SIGKILL after the stop timeout); the new instance starts once the last one is gone.
   */
  private stopFormerInstances(name: string): void {
    for (const proc of this.formerInstances(name)) {
      if (proc.stoppedForReplacement) continue;
      proc.stoppedForReplacement = true;
      this.sendStop(proc, proc.spec.stopSignal ?? 'SIGTERM');
    }
  }

  private startReplacement(name: string): void {
    const slot = this.slots.get(name);
    if (!slot?.waitingForFormer || this.formerInstances(name).length > 0) return;
    slot.waitingForFormer = false;
    if (this.mode.is('running') && slot.state.is('exited')) this.requestStart(slot);
  }

  /**
   * A kept (`no option start-on-reload`) instance stays current and hears of the reload as under
   * HAProxy (SIGUSR1, which the Data Plane API handles), unless it would die of it: with
   * `reload-signal auto` it gets SIGUSR1 only when its process catches or ignores it.
   */
  private sendReloadSignal(slot: Slot, spec: ProgramSpec): void {
    const proc = slot.process;
    if (!proc || !isAlive(proc) || !isForked(proc)) return;
    const choice = spec.reloadSignal ?? 'auto';
    if (choice === 'none') return;
    if (choice !== 'auto') {
      this.launcher.signalGroup(proc.pid, choice);
      return;
    }
    const disposition = this.launcher.dispositionOf?.(proc.pid, 'SIGUSR1');
    if (disposition !== 'caught' && disposition !== 'ignored') return;
    if (this.launcher.signalProcess) this.launcher.signalProcess(proc.pid, 'SIGUSR1');
    else this.launcher.signalGroup(proc.pid, 'SIGUSR1');
  }

  private rowOf(proc: Proc): ProcessRow {
    const state = proc.state.state;
    return {
      pid: proc.pid,
      name: proc.name,
      kind: state === 'old' ? 'old' : 'current',
      reloads: proc.reloads,
      startedAt: proc.startedAt,
      state: state === 'forking' ? 'starting' : state === 'gone' ? 'stopping' : state,
    };
  }
}

function preExecFailureMessage(spec: ProgramSpec, failure: PreExecFailure): string {
  const command = spec.argv[0] ?? '';
  switch (failure.step) {
    case 'gid':
      return `[${command}.main()] Cannot set gid ${spec.gid}.`;
    case 'uid':
      return `[${command}.main()] Cannot set uid ${spec.uid}.`;
    case 'groups':
      return `[${command}.main()] Cannot set groups to ${spec.gid ?? 'its gid'} only: ${failure.text}.`;
    case 'cwd':
      return `Cannot execute ${command}: cannot change directory to '${spec.cwd}': ${failure.text}`;
    default:
      return `Cannot execute ${command}: ${failure.text}`;
  }
}

function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export { exitStatus };
