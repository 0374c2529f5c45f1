/**
 * HAProxy as a slot (`hpm-run --haproxy`): the program slot's state machine (core/states.ts),
 * with HAProxy's own kind of start, readiness, reload and stop.
 *
 * - start: `exited -> starting`, spawned through the supervisor's fork server; `starting -> ready`
 *   once its master CLI answers (the kind's `ready`): then the programs `after haproxy` start.
 * - reload: the kind's (HAProxy's own reload on the validated copy), before the programs reload;
 *   the slot's state does not change.
 * - stop: `-> stopping` once the programs that depend on it are gone (the supervisor decides
 *   when): hpm-run's stop signal to HAProxy's master, SIGKILL to its group after the stop timeout.
 * - exit: `-> exited`; what follows (everything stops, with its code) is the supervisor's.
 *
 * It never restarts: the programs' lifetime is tied to it.
 */
import type { Clock } from '../clock.js';
import type { Launcher, PreExecFailure, SpawnSpec } from '../launcher.js';
import type { Logger, LogLevel } from '../log.js';
import type { ConfigSourceText } from '../spec.js';
import { exitStatusOf, type ExitStatus } from '../status.js';
import type { StateMachine } from './state-machine.js';
import { haproxySlotState, instanceState, type InstanceState, type SlotState } from './states.js';

/** What differs between HAProxy and a program (haproxy-child.ts and operations.ts fill it in). */
export interface HaproxyKind {
  /**
   * The version the configuration is read with (`.if version_atleast()`): the binary's own, so
   * hpm-run picks the branches HAProxy picks. Undefined: the parser's default.
   */
  readonly configVersion?: string;
  /** The variables the binary defines before reading the configuration (HAPROXY_BRANCH...). */
  readonly configVariables?: Record<string, string>;
  /**
   * Checks HAProxy's copy of a configuration hpm-run found valid (`haproxy -c`); a message =
   * invalid. The copy is written from `sources`, the texts hpm-run validated: never read again.
   */
  validate(sources: readonly ConfigSourceText[]): Promise<string | undefined>;
  /** How to start it (the validated copy becomes the one it reads). */
  spawnSpec(): SpawnSpec;
  /** Its fork is confirmed; `failure` when it could not exec. */
  forked(pid: number, failure?: PreExecFailure): void;
  /** Resolves once it answers (its master CLI); rejects once `signal` aborts. */
  ready(signal: AbortSignal): Promise<void>;
  /** Reloads it on the validated copy; a message = it could not (the programs stay as they are). */
  reload(hard: boolean): Promise<string | undefined>;
  /** Drops a validated copy that a failed reload will not use. */
  discard(): void;
  /** It was reaped. */
  exited(status: ExitStatus): void;
}

export interface HaproxySlotContext {
  launcher: Launcher;
  clock: Clock;
  logger: Logger;
  /** Between the stop signal and SIGKILL to its group; 0 = wait forever. */
  stopTimeoutMs: number;
  /** Its fork is confirmed or failed (the supervisor counts pending forks). */
  forkSettled(): void;
  /** It became ready: the programs `after haproxy` may start. */
  ready(): void;
  /** It ended (code 1 when it could not be forked); `expected` when it had been told to stop. */
  ended(code: number, expected: boolean): void;
}

interface Instance {
  pid: number;
  state: StateMachine<InstanceState>;
  /** The stop signal, when the stop came before the fork was confirmed. */
  pendingSignal?: NodeJS.Signals;
}

export class HaproxySlot {
  readonly state = haproxySlotState();
  private instance?: Instance;
  private readiness?: AbortController;
  private killTimer?: unknown;

  constructor(
    readonly kind: HaproxyKind,
    private readonly context: HaproxySlotContext,
  ) {}

  /** Its process exists or is being forked. */
  get alive(): boolean {
    return this.instance !== undefined && !this.instance.state.is('gone');
  }

  get slotState(): SlotState {
    return this.state.state;
  }

  start(): void {
    this.state.to('starting');
    const instance: Instance = { pid: 0, state: instanceState(() => `HAProxy (${instance.pid})`) };
    this.instance = instance;
    let spec: SpawnSpec;
    try {
      spec = this.kind.spawnSpec();
    } catch (error) {
      this.forkFailed(instance, (error as Error).message);
      return;
    }
    this.context.launcher.spawn(spec, {
      forked: (pid, failure) => this.onForked(instance, pid, failure),
      exited: (code, signal) => this.onExit(instance, exitStatusOf(code, signal)),
      failed: (text) => this.forkFailed(instance, text),
    });
  }

  /** HAProxy's own reload (the supervisor calls it after the validation, before the programs). */
  reload(hard: boolean): Promise<string | undefined> {
    return this.kind.reload(hard);
  }

  /** The stop signal to HAProxy's master (it stops its workers), SIGKILL to its group after the stop timeout. */
  stop(signal: NodeJS.Signals): void {
    const instance = this.instance;
    if (!instance || instance.state.is('gone')) return;
    if (!this.state.is('stopping')) this.state.to('stopping');
    this.readiness?.abort();
    if (instance.state.is('forking', 'running')) instance.state.to('stopping');
    if (instance.pid === 0) {
      instance.pendingSignal = signal;
      return;
    }
    this.signal(instance.pid, signal);
    const timeout = this.context.stopTimeoutMs;
    if (timeout > 0 && this.killTimer === undefined) {
      const pid = instance.pid;
      this.killTimer = this.context.clock.setTimeout(() => this.context.launcher.signalGroup(pid, 'SIGKILL'), timeout);
    }
  }

  /** The fork server died (and every group with it): nothing is left to wait for. */
  lost(): void {
    this.readiness?.abort();
    this.clearKillTimer();
    if (this.instance && !this.instance.state.is('gone')) this.instance.state.to('gone');
    if (!this.state.is('exited')) this.state.to('exited');
  }

  /** The supervisor finished: no timer may outlive it. */
  close(): void {
    this.readiness?.abort();
    this.clearKillTimer();
  }

  private signal(pid: number, signal: NodeJS.Signals): void {
    const { launcher } = this.context;
    if (launcher.signalProcess) launcher.signalProcess(pid, signal);
    else launcher.signalGroup(pid, signal);
  }

  private onForked(instance: Instance, pid: number, failure?: PreExecFailure): void {
    instance.pid = pid;
    this.kind.forked(pid, failure);
    this.context.forkSettled();
    const pending = instance.pendingSignal;
    if (instance.state.is('forking')) instance.state.to('running');
    if (pending) {
      instance.pendingSignal = undefined;
      this.stop(pending);
      return;
    }
    if (!this.state.is('starting')) return;
    const readiness = new AbortController();
    this.readiness = readiness;
    this.kind.ready(readiness.signal).then(
      () => {
        if (readiness.signal.aborted || this.instance !== instance || !this.state.is('starting')) return;
        this.readiness = undefined;
        this.state.to('ready');
        this.context.ready();
      },
      () => undefined, // stopped or exited meanwhile
    );
  }

  private onExit(instance: Instance, status: ExitStatus): void {
    const expected = this.state.is('stopping');
    instance.state.to('gone');
    this.readiness?.abort();
    this.clearKillTimer();
    const level: LogLevel = status.code < 128 ? 'WARNING' : 'ALERT';
    this.context.logger.log(level, `Current worker (${instance.pid}) exited with code ${status.code} (${status.label})`);
    // Its own worker may survive a killed master: the whole group goes.
    this.context.launcher.signalGroup(instance.pid, 'SIGKILL');
    this.state.to('exited');
    this.kind.exited(status);
    this.context.ended(status.code, expected);
  }

  private forkFailed(instance: Instance, text: string): void {
    this.context.logger.alert(`cannot fork HAProxy: ${text}`);
    instance.state.to('gone');
    this.state.to('exited');
    this.context.forkSettled();
    this.context.ended(1, false);
  }

  private clearKillTimer(): void {
    if (this.killTimer !== undefined) this.context.clock.clearTimeout(this.killTimer);
    this.killTimer = undefined;
  }
}
