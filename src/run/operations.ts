/**
 * Operations wiring: attaches the operations modules (master CLI socket, systemd notify, prefixed
 * output, the --haproxy child's kind) to a Supervisor, so that src/cli/run.ts only has to call
 * `Operations.create()`, `supervisorOptions()`, `attach()` and `finish()`.
 */
import { ControlSocket } from './cli/server.js';
import type { MasterCliHandlers } from './cli/session.js';
import { masterCliEnvValue, parseControlSocketArg } from './cli/socket-arg.js';
import type { HaproxyChild } from './haproxy-child.js';
import { ReloadGate } from './cli/reload-gate.js';
import { AttachedHaproxy } from './haproxy/attached.js';
import { configVersionOf, predefinedVariablesOf } from './haproxy/config-version.js';
import { masterRequest, versionAtLeast, type HaproxyReloadResult } from './haproxy/master-client.js';
import { packageRoot } from '../package-info.js';
import type { Logger } from './log.js';
import { attachNotifier, notifySocketFrom, SystemdNotifier, withoutNotifySocket } from './notify.js';
import { attachPrefixedOutput, PrefixedOutput, type OutputMode } from './output.js';
import { formatShowProc, mergeShowProc, type ProcSnapshot } from './show-proc.js';
import { waitUntilMasterCliAnswers } from './readiness.js';
import type { HaproxyKind, Supervisor, SupervisorOptions } from './supervisor.js';

export interface OperationsOptions {
  configPaths: readonly string[];
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  /** `-S` argument. */
  controlSocket?: string;
  /** `--haproxy` binary. */
  haproxy?: string;
  /** `--haproxy-socket`: the master CLI of an HAProxy run elsewhere. */
  haproxySocket?: string;
  output: OutputMode;
}

/** hpm-run's version string, as `show proc` and `show version` report it. */
export function hpmRunVersion(): string {
  const root = packageRoot();
  return root ? `hpm-run-${root.version}` : 'hpm-run';
}

/** What the master CLI and reloads need from an HAProxy master, ours (--haproxy) or not. */
interface HaproxyMaster {
  readonly version: string;
  readonly running: boolean;
  readonly cliPath: string;
  reload(hard: boolean): Promise<HaproxyReloadResult>;
}

export class Operations {
  private control?: ControlSocket;
  private notifier?: SystemdNotifier;
  private readonly output?: PrefixedOutput;
  private readonly haproxy?: HaproxyChild;
  private readonly socketPath?: string;
  private readonly socketOptions?: ReturnType<typeof parseControlSocketArg>['options'];
  private supervisor?: Supervisor;
  /** hpm-run is stopping: HAProxy will not start any more if it has not yet. */
  private stopping = false;
  /** HAProxy's startup log of the reload in progress (2.7+), for the `reload` reply. */
  private haproxyReloadLog: string[] = [];
  private readonly reloadGate = new ReloadGate();
  /** --haproxy-socket, once attached. */
  private attached?: AttachedHaproxy;
  readonly version = hpmRunVersion();

  /**
   * Loads the --haproxy module only when it is used: it parses configurations, and the parser
   * would otherwise stay in the long-running supervisor's memory for nothing.
   */
  static async create(options: OperationsOptions): Promise<Operations> {
    const haproxyChild = options.haproxy !== undefined ? (await import('./haproxy-child.js')).HaproxyChild : undefined;
    const output = options.output !== 'inherit' ? await PrefixedOutput.create({ json: options.output === 'json' }) : undefined;
    return new Operations(options, haproxyChild, output);
  }

  private constructor(
    private readonly options: OperationsOptions,
    haproxyChild?: typeof HaproxyChild,
    output?: PrefixedOutput,
  ) {
    if (options.controlSocket !== undefined) {
      const parsed = parseControlSocketArg(options.controlSocket);
      this.socketPath = parsed.path;
      this.socketOptions = parsed.options;
    }
    this.output = output;
    if (options.haproxy !== undefined && haproxyChild) {
      this.haproxy = new haproxyChild({ binary: options.haproxy, logger: options.logger, env: options.env });
    }
    const socket = notifySocketFrom(options.env);
    if (socket) this.notifier = new SystemdNotifier(socket, undefined, (e) => options.logger.warning(`sd_notify to ${socket} failed: ${e.message}`));
  }

  /** What the Supervisor must be created with. */
  supervisorOptions(): Partial<SupervisorOptions> {
    const out: Partial<SupervisorOptions> = { env: withoutNotifySocket(this.options.env) };
    if (this.socketPath !== undefined) out.masterCli = masterCliEnvValue(this.socketPath);
    // A master CLI or an HAProxy can still act when no program is left.
    if (this.socketPath !== undefined || this.haproxy || this.options.haproxySocket !== undefined) out.keepAlive = true;
    const output = this.output;
    if (output) out.output = (name) => output.fifosFor(name);
    const haproxy = this.haproxy;
    if (haproxy) out.haproxy = this.haproxyKind(haproxy);
    else if (this.options.haproxySocket !== undefined) {
      out.applyExternal = (hard) => this.reloadHaproxy(hard);
      out.readAs = () => this.attached && { configVersion: configVersionOf(this.attached.version), configVariables: predefinedVariablesOf(this.attached.version) };
    }
    return out;
  }

  /** HAProxy as the supervisor's slot runs it: the child's copies, its master CLI, the reload gate. */
  private haproxyKind(haproxy: HaproxyChild): HaproxyKind {
    return {
      ...(haproxy.configVersion ? { configVersion: haproxy.configVersion } : {}),
      configVariables: haproxy.configVariables,
      validate: (sources) => haproxy.prepare(sources),
      spawnSpec: () => haproxy.spawnSpec(),
      forked: (pid, failure) => haproxy.forked(pid, failure),
      // Its readiness (`after haproxy`, READY=1): its own master CLI answers.
      ready: (signal) => waitUntilMasterCliAnswers(() => haproxy.cliPath, signal),
      reload: (hard) => this.reloadHaproxy(hard),
      discard: () => haproxy.discard(),
      exited: (status) => haproxy.exited(status),
    };
  }

  /** HAProxy reloads (ours or an attached one), with the master CLI's requests held meanwhile. */
  private async reloadHaproxy(hard: boolean): Promise<string | undefined> {
    this.haproxyReloadLog = [];
    const master = this.haproxyMaster();
    if (!master) return undefined;
    // HAProxy's master re-executes: let the requests in flight finish, hold the new ones.
    await this.reloadGate.close(5_000);
    let result: HaproxyReloadResult;
    try {
      result = await master.reload(hard);
    } finally {
      this.reloadGate.open();
    }
    this.haproxyReloadLog = result.log;
    if (result.success) return undefined;
    return `HAProxy could not reload${result.reason ? ` (${result.reason})` : ''}: the programs are left as they were.`;
  }

  private snapshot(): ProcSnapshot {
    const sup = this.supervisor!;
    const rows = sup.processes();
    const toRow = (p: (typeof rows)[number]) => ({ pid: p.pid, type: p.name, reloads: p.reloads, startedAt: p.startedAt });
    const worker = this.haproxy?.row();
    return {
      master: { pid: process.pid, reloads: sup.reloads, failedReloads: sup.failedReloads, startedAt: sup.startedAt, version: this.version },
      programStates: sup.programStates(),
      workers: worker ? [worker] : [],
      oldWorkers: [],
      programs: rows.filter((p) => p.kind === 'current').map(toRow),
      // §4.1: most recently retired first; one reload's retirees in start (configuration) order.
      oldPrograms: rows
        .filter((p) => p.kind === 'old')
        .sort((a, b) => a.reloads - b.reloads || a.startedAt - b.startedAt || a.pid - b.pid)
        .map(toRow),
    };
  }

  /**
   * `show proc` as the HAProxy version run would print it: its own rows (asked from its master)
   * and the programs; hpm-run's 2.6 layout when there is no HAProxy.
   */
  private haproxyMaster(): HaproxyMaster | undefined {
    return this.haproxy ?? this.attached;
  }

  private async showProc(args: string[]): Promise<string> {
    const snapshot = this.snapshot();
    const haproxy = this.haproxyMaster();
    if (!haproxy?.running) return formatShowProc(snapshot);
    const layout = versionAtLeast(haproxy.version, 3, 1) ? '3.1' : 'classic';
    let reply: string;
    try {
      reply = await masterRequest(haproxy.cliPath, ['show proc', ...args].join(' '), 10_000);
    } catch {
      return formatShowProc(snapshot, Date.now(), layout);
    }
    // Not a table (e.g. 3.1+: `'show proc' only supports 'debug' as argument`): HAProxy's answer.
    return mergeShowProc(reply, snapshot, layout) ?? reply;
  }

  /** Hooks every module to the supervisor and opens the control socket (throws if in use). */
  async attach(supervisor: Supervisor): Promise<void> {
    this.supervisor = supervisor;
    if (this.output) attachPrefixedOutput(supervisor, this.output);
    if (this.notifier) attachNotifier(supervisor, this.notifier, process.pid);
    const haproxy = this.haproxy;
    supervisor.on('stopping', () => (this.stopping = true));
    if (this.options.haproxySocket !== undefined) this.attached = await AttachedHaproxy.attach(this.options.haproxySocket);
    if (this.socketPath !== undefined) {
      const handlers: MasterCliHandlers = {
        version: this.version,
        snapshot: () => this.snapshot(),
        reload: async (hard) => {
          const result = await supervisor.reload({ hard });
          // HAProxy's startup log of this reload, then hpm-run's own lines.
          const logLines = [...this.haproxyReloadLog, ...result.log];
          this.haproxyReloadLog = [];
          return { success: result.success, logLines };
        },
        showProc: (args) => this.showProc(args),
        reloadGate: this.reloadGate,
      };
      if (haproxy || this.attached) {
        // While HAProxy starts (after the programs), a client waits for its master CLI rather
        // than getting hpm-run's answers: the Data Plane API pins the first socket that answers.
        handlers.upstream = () => {
          const master = this.haproxyMaster();
          const expected = haproxy !== undefined && haproxy.status === undefined && !this.stopping;
          return master?.running || expected ? master?.cliPath : undefined;
        };
      }
      this.control = await ControlSocket.listen(this.socketPath, handlers, this.socketOptions);
    }
  }

  /** After the supervisor finished (HAProxy, its slot, is gone too): copies removed, output flushed, sockets closed. */
  async finish(code: number): Promise<number> {
    this.haproxy?.close();
    await this.output?.close();
    await this.notifier?.flush();
    await this.control?.close();
    return code;
  }
}
