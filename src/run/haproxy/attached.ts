/**
 * `hpm-run --haproxy-socket <path>`: an HAProxy master that runs elsewhere (started by systemd
 * or a container as `haproxy -W -S <path> ...`). hpm-run does not start or stop it: it proxies
 * its master CLI, reloads it through that socket before the programs (2.7+: `reload` and its
 * `Success=`; 2.6: SIGUSR2 to the master pid its `show proc` gives), and lists its rows in
 * `show proc`. HAProxy checks its own configuration when it reloads.
 */
import { existsSync } from 'node:fs';
import { masterRequest, parseShowProc, reloadBySignal, reloadSynchronously, versionAtLeast, type HaproxyReloadResult } from './master-client.js';

export class AttachedHaproxy {
  private constructor(
    readonly cliPath: string,
    readonly version: string,
  ) {}

  /** Asks the master its version (waiting a little for it to come up); throws when nobody answers. */
  static async attach(path: string): Promise<AttachedHaproxy> {
    let reply: string;
    try {
      reply = await masterRequest(path, 'show version', 10_000);
    } catch (error) {
      throw new Error(`--haproxy-socket ${path}: no HAProxy master CLI answers there (${(error as Error).message})`);
    }
    const version = reply.split('\n')[0]!.trim();
    if (!/^\d+\.\d+/.test(version)) throw new Error(`--haproxy-socket ${path}: not an HAProxy master CLI (it answered '${version}' to show version)`);
    return new AttachedHaproxy(path, version);
  }

  /** Its socket is there (HAProxy may be restarting; requests wait for it). */
  get running(): boolean {
    return existsSync(this.cliPath);
  }

  async reload(hard: boolean): Promise<HaproxyReloadResult> {
    if (versionAtLeast(this.version, 2, 7)) return reloadSynchronously(this.cliPath, hard && versionAtLeast(this.version, 2, 9));
    const master = parseShowProc(await masterRequest(this.cliPath, 'show proc').catch(() => ''))?.master;
    if (!master) return { success: false, log: [], reason: `HAProxy's master CLI (${this.cliPath}) does not answer show proc` };
    try {
      return await reloadBySignal(this.cliPath, master.pid);
    } catch (error) {
      return { success: false, log: [], reason: `cannot signal HAProxy's master (${master.pid}): ${(error as Error).message}` };
    }
  }
}
