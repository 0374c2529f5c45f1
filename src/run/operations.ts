/**
 * Operations wiring: attaches the operations modules (master CLI socket, systemd notify, prefixed
 * output, the --haproxy child) to a Supervisor, so that src/cli/run.ts only has to call
 * `prepareOperations()`, `attach()`, `started()` and `finish()`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlSocket, masterCliEnvValue, parseControlSocketArg, type MasterCliHandlers } from './control-socket.js';
import type { HaproxyChild } from './haproxy-child.js';
import type { Logger } from './log.js';
import { attachNotifier, notifySocketFrom, SystemdNotifier, withoutNotifySocket } from './notify.js';
import { attachPrefixedOutput, PrefixedOutput, type OutputMode } from './output.js';
import type { ProcSnapshot } from './show-proc.js';
import { waitUntilMasterCliAnswers } from './readiness.js';
import type { Supervisor, SupervisorOptions } from './supervisor.js';

export interface OperationsOptions {
  configPaths: readonly string[];
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  /** `-S` argument. */
  controlSocket?: string;
  /** `--haproxy` binary. */
  haproxy?: string;
  output: OutputMode;
  stopTimeoutMs: number;
}

/** hpm-run's version string, as `show proc` and `show version` report it. */
export function hpmRunVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hpm-haproxy' && pkg.version) return `hpm-run-${pkg.version}`;
    }
    dir = dirname(dir);
  }
  return 'hpm-run';
}

export class Operations {
  private control?: ControlSocket;
  private notifier?: SystemdNotifier;
  private readonly output?: PrefixedOutput;
  private readonly haproxy?: HaproxyChild;
  private readonly socketPath?: string;
  private readonly socketOptions?: ReturnType<typeof parseControlSocketArg>['options'];
  private supervisor?: Supervisor;
  readonly version = hpmRunVersion();

  /**
   * Loads the --haproxy module only when it is used: it parses configurations, and the parser
   * would otherwise stay in the long-running supervisor's memory for nothing.
   */
  static async create(options: OperationsOptions): Promise<Operations> {
    const haproxyChild = options.haproxy !== undefined ? (await import('./haproxy-child.js')).HaproxyChild : undefined;
    return new Operations(options, haproxyChild);
  }

  private constructor(
    private readonly options: OperationsOptions,
    haproxyChild?: typeof HaproxyChild,
  ) {
    if (options.controlSocket !== undefined) {
      const parsed = parseControlSocketArg(options.controlSocket);
      this.socketPath = parsed.path;
      this.socketOptions = parsed.options;
    }
    if (options.output !== 'inherit') this.output = new PrefixedOutput({ json: options.output === 'json' });
    if (options.haproxy !== undefined && haproxyChild) {
      this.haproxy = new haproxyChild({
        binary: options.haproxy,
        configPaths: options.configPaths,
        logger: options.logger,
        env: options.env,
        stopTimeoutMs: options.stopTimeoutMs,
      });
    }
    const socket = notifySocketFrom(options.env);
    if (socket) this.notifier = new SystemdNotifier(socket, undefined, (e) => options.logger.warning(`sd_notify to ${socket} failed: ${e.message}`));
  }

  /** What the Supervisor must be created with. */
  supervisorOptions(): Partial<SupervisorOptions> {
    const out: Partial<SupervisorOptions> = { env: withoutNotifySocket(this.options.env) };
    if (this.socketPath !== undefined) out.masterCli = masterCliEnvValue(this.socketPath);
    if (this.socketPath !== undefined || this.haproxy) out.keepAlive = true;
    const output = this.output;
    if (output) out.output = (name) => output.fifosFor(name);
    const haproxy = this.haproxy;
    if (haproxy) {
      out.validate = () => haproxy.prepare();
      out.holdOpen = () => haproxy.running;
      // `after haproxy`: ready once HAProxy's own master CLI answers.
      out.dependencyReady = (name, signal) => (name === 'haproxy' ? waitUntilMasterCliAnswers(() => haproxy.cliPath, signal) : Promise.reject(new Error(name)));
    }
    return out;
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

  /** Hooks every module to the supervisor and opens the control socket (throws if in use). */
  async attach(supervisor: Supervisor): Promise<void> {
    this.supervisor = supervisor;
    if (this.output) attachPrefixedOutput(supervisor, this.output);
    if (this.notifier) attachNotifier(supervisor, this.notifier, process.pid, { ready: !this.haproxy });
    const haproxy = this.haproxy;
    if (haproxy) {
      supervisor.on('reloading', () => haproxy.reloads++);
      supervisor.on('reloaded', (result: { success: boolean }) => (result.success ? haproxy.reload() : haproxy.discard()));
      // HAProxy goes after the programs that start `after haproxy`.
      supervisor.on('stopping', (info: { signal: NodeJS.Signals }) => void supervisor.dependentsGone('haproxy').then(() => haproxy.stop(info.signal)));
      haproxy.whenExited((status) => supervisor.externalChildExited(status.code));
    }
    if (this.socketPath !== undefined) {
      const handlers: MasterCliHandlers = {
        version: this.version,
        snapshot: () => this.snapshot(),
        reload: async (hard) => {
          const result = await supervisor.reload({ hard });
          return { success: result.success, logLines: result.log };
        },
      };
      if (haproxy) handlers.forward = (command) => haproxy.forward(command);
      this.control = await ControlSocket.listen(this.socketPath, handlers, this.socketOptions);
    }
  }

  /** After the programs started: HAProxy starts, then systemd hears READY=1. */
  async started(ok: boolean): Promise<void> {
    if (!ok || !this.haproxy) return;
    try {
      await this.haproxy.start();
    } catch (error) {
      // No HAProxy, no service: stop the programs as if it had died at once.
      this.options.logger.alert((error as Error).message);
      this.supervisor?.externalChildExited(1);
      return;
    }
    void this.supervisor?.startsSettled().then(() => this.notifier?.ready(process.pid)); // after every ready check
  }

  /** After the supervisor finished: HAProxy stopped, output flushed, sockets closed. */
  async finish(code: number): Promise<number> {
    if (this.haproxy) {
      if (this.haproxy.pid > 0) await this.haproxy.stop('SIGTERM');
      await this.haproxy.close();
    }
    await this.output?.close();
    await this.notifier?.flush();
    await this.control?.close();
    return code;
  }
}
