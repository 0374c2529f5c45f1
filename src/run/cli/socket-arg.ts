/**
 * The `-S` argument, checked before anything starts, and what programs see of it.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';

export interface ControlSocketOptions {
  /** File mode of the socket (default 0600). */
  mode?: number;
  uid?: number;
  gid?: number;
  /** Close a connection idle for this long (default 10 s, HAProxy's CLI default). */
  idleTimeoutMs?: number;
}

/** sockaddr_un's sun_path holds 108 bytes, the last one a NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

/**
 * `-S` argument: `[unix@]<path>[,mode,<octal>][,uid,<n>][,gid,<n>]`. Everything that can be
 * checked before anything starts is: a bad mode, a path the kernel cannot bind, a missing
 * directory.
 */
export function parseControlSocketArg(arg: string): { path: string; options: ControlSocketOptions } {
  const [address = '', ...rest] = arg.split(',');
  if (/^(abns|ipv4|ipv6|udp|sockpair|fd|stdin)@/.test(address) || /^[^/]*:\d+$/.test(address)) {
    throw new Error(`-S: '${address}': hpm-run's master CLI listens on unix sockets only (give a path)`);
  }
  const path = address.startsWith('unix@') ? address.slice(5) : address;
  if (path === '') throw new Error(`-S: missing socket path in '${arg}'`);
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_SOCKET_PATH_BYTES) throw new Error(`-S: socket path too long (${bytes} bytes, unix sockets take at most ${MAX_SOCKET_PATH_BYTES}): ${path}`);
  const dir = dirname(resolvePath(path));
  if (!existsSync(dir)) throw new Error(`-S ${path}: directory ${dir} does not exist`);
  const options: ControlSocketOptions = {};
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i];
    const value = rest[i + 1];
    if (key !== 'mode' && key !== 'uid' && key !== 'gid') throw new Error(`-S: unknown option '${key}' (known: mode, uid, gid)`);
    if (key === 'mode') {
      if (value === undefined || !/^[0-7]{1,4}$/.test(value)) throw new Error(`-S: mode '${value ?? ''}' is not an octal file mode (e.g. 600, 660)`);
      options.mode = parseInt(value, 8) & 0o777;
    } else {
      if (value === undefined || !/^\d+$/.test(value)) throw new Error(`-S: option '${key}' needs a numeric value`);
      if (key === 'uid') options.uid = Number(value);
      else options.gid = Number(value);
    }
  }
  return { path, options };
}

/** What programs see in HAPROXY_MASTER_CLI, as HAProxy sets it. */
export function masterCliEnvValue(path: string): string {
  return `unix@${path}`;
}
