/**
 * hpm-run's master CLI socket (`-S <path>`): owns the socket file (mode 0600 unless asked
 * otherwise, refuses a live socket, removes a stale one) and serves each connection with a
 * `MasterCliSession`, or a `ProxySession` in front of HAProxy's own master CLI.
 */
import { chmodSync, chownSync, lstatSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { ProxySession } from './proxy.js';
import { MasterCliSession, type MasterCliHandlers } from './session.js';
import type { ControlSocketOptions } from './socket-arg.js';

/** True when something accepts connections on `path`. */
function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

const MAX_LINE = 64 * 1024;

export class ControlSocket {
  private readonly connections = new Set<Socket>();
  private inode?: number;

  private constructor(
    readonly path: string,
    private readonly server: Server,
  ) {}

  /**
   * Listens on `path`. Refuses (throws) when another process answers on it, removes a stale
   * socket file left by a dead one, never removes anything that is not a socket.
   */
  static async listen(path: string, handlers: MasterCliHandlers, options: ControlSocketOptions = {}): Promise<ControlSocket> {
    let existing;
    try {
      existing = lstatSync(path);
    } catch {
      existing = undefined;
    }
    if (existing) {
      if (!existing.isSocket()) throw new Error(`control socket ${path}: a file that is not a socket is in the way`);
      if (await socketIsLive(path)) throw new Error(`control socket ${path} is in use by another process (is another hpm-run running?)`);
      unlinkSync(path);
    }
    // Half-open: a client may shut its side down before the (asynchronous) reply is written.
    const server = createServer({ allowHalfOpen: true });
    const socket = new ControlSocket(path, server);
    server.on('connection', (conn) => socket.serve(conn, handlers, options.idleTimeoutMs ?? 10_000));
    // The socket must never exist with looser permissions than asked, even for an instant: the
    // umask is narrowed around listen() only, which binds synchronously (no other file of this
    // process can be created meanwhile), and restored before anything else runs.
    const mode = options.mode ?? 0o600;
    const listening = new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.once('listening', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const previousUmask = process.umask(0o777 & ~mode);
    try {
      server.listen(path);
    } finally {
      process.umask(previousUmask);
    }
    try {
      await listening;
      chmodSync(path, mode);
      if (options.uid !== undefined || options.gid !== undefined) chownSync(path, options.uid ?? -1, options.gid ?? -1);
      socket.inode = lstatSync(path).ino;
    } catch (error) {
      await socket.close();
      throw new Error(`control socket ${path}: ${(error as Error).message}`);
    }
    return socket;
  }

  private serve(conn: Socket, handlers: MasterCliHandlers, idleTimeoutMs: number): void {
    this.connections.add(conn);
    conn.on('close', () => this.connections.delete(conn));
    conn.on('error', () => conn.destroy());
    conn.setTimeout(idleTimeoutMs, () => conn.destroy());
    const session = new MasterCliSession(handlers);
    const upstream = handlers.upstream;
    const proxy = upstream ? new ProxySession(conn, () => upstream(), session, handlers.reloadGate) : undefined;
    if (proxy) conn.on('close', () => proxy.clientGone());
    let pending = Buffer.alloc(0);
    let busy = false;
    let closing = false;
    let clientDone = false;
    const done = () => closing || conn.destroyed || (proxy?.done ?? false);
    // Lines are run one at a time, in order; a reply may take a while (a reload).
    const pump = async (): Promise<void> => {
      if (busy || done()) return;
      busy = true;
      try {
        // Lines that arrive while HAProxy answers are HAProxy's too: loop until none is left.
        if (proxy) {
          for (let last = pending.lastIndexOf(0x0a); last >= 0 && !done(); last = pending.lastIndexOf(0x0a)) {
            const lines = pending.subarray(0, last).toString('utf8').split('\n');
            pending = pending.subarray(last + 1);
            await proxy.runLines(lines);
          }
        } else {
          for (let nl = pending.indexOf(0x0a); nl >= 0 && !done(); nl = pending.indexOf(0x0a)) {
            const line = pending.subarray(0, nl).toString('utf8');
            pending = pending.subarray(nl + 1);
            const result = await session.runLine(line);
            if (conn.destroyed) return;
            if (result.close) {
              closing = true;
              conn.end(result.output);
            } else {
              conn.write(result.output);
            }
          }
        }
        if (!done() && pending.length > MAX_LINE) {
          closing = true;
          conn.destroy();
        }
        // A request without its final newline is ignored, as HAProxy does; the client is done.
        if (!done() && clientDone) {
          closing = true;
          if (proxy) await proxy.clientEnded();
          else conn.end();
        }
      } finally {
        busy = false;
      }
    };
    conn.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      void pump();
    });
    conn.on('end', () => {
      clientDone = true;
      void pump();
    });
  }

  /** Stops listening, drops the clients and removes the socket file (if it is still ours). */
  async close(): Promise<void> {
    for (const conn of this.connections) conn.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
    try {
      if (this.inode !== undefined && lstatSync(this.path).ino === this.inode) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
